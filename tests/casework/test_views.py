"""Casework pages: referral queue, case forms, cross-site tampering, access log, PDFs."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ressourcerie.casework import services
from ressourcerie.casework.models import Case, CaseReferral, CaseStatus, Entry, Procedure
from ressourcerie.columns import local_today
from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Referral
from ressourcerie.security.models import AuditEvent, User
from tests.casework.builders import (
    build_casework_fixture,
    make_case,
    make_partner,
    make_person,
    make_referral,
    other_site,
)
from tests.security import matrix_casework


def casework_events(app, **filters) -> list[AuditEvent]:
    with app.app_context():
        statement = sa.select(AuditEvent).where(AuditEvent.category == "casework")
        for name, value in filters.items():
            statement = statement.where(getattr(AuditEvent, name) == value)
        events = list(_db.session.scalars(statement.order_by(AuditEvent.id)))
        _db.session.expunge_all()
        return events


def test_accepting_a_referral_opens_a_case_with_consent(app, signed_in):
    client, user = signed_in("social_worker")
    with app.app_context():
        referral_id = make_referral(make_person("Nadia", "Roussel")).id
        _db.session.commit()
    queue = client.get("/casework/referrals").get_data(as_text=True)
    assert "Nadia Roussel" in queue
    form = client.get(f"/casework/referrals/{referral_id}/accept")
    assert "Date du consentement" in form.get_data(as_text=True)
    response = client.post(
        f"/casework/referrals/{referral_id}/accept",
        data={
            "consent_on": local_today().isoformat(),
            "consent_method": "oral",
            "consent_sharing": "yes",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        referral = _db.session.get(Referral, referral_id)
        assert referral.status == "accepted" and referral.handled_by_id == user.id
        case = _db.session.scalars(sa.select(Case)).one()
        assert case.consent_sharing and case.consent_method == "oral"
        assert _db.session.scalars(sa.select(CaseReferral.case_id)).one() == case.id
    case_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dossier ouvert pour Nadia Roussel. Le signalement y est joint." in case_page
    assert "Signalement à l&#39;origine" in case_page or "Signalement à l'origine" in case_page
    assert "Semble épuisée, parle de sa mère." in case_page
    assert "Nadia Roussel" not in client.get("/casework/referrals").get_data(as_text=True)


def test_a_referral_of_someone_followed_links_the_open_case(app, signed_in):
    client, _user = signed_in("psychologist")
    with app.app_context():
        person = make_person()
        case_id = make_case(person).id
        referral_id = make_referral(person).id
        _db.session.commit()
    assert "déjà un dossier ouvert" in client.get(
        f"/casework/referrals/{referral_id}/accept"
    ).get_data(as_text=True)
    response = client.post(f"/casework/referrals/{referral_id}/accept", data={})
    assert response.location.endswith(f"/casework/cases/{case_id}")
    with app.app_context():
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_closing_a_referral_needs_a_reason(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        referral_id = make_referral(make_person()).id
        _db.session.commit()
    page = client.post(f"/casework/referrals/{referral_id}/close", data={"reason": ""})
    assert page.status_code == 200 and "obligatoire" in page.get_data(as_text=True)
    client.post(f"/casework/referrals/{referral_id}/close", data={"reason": "Déjà suivie au CCAS"})
    with app.app_context():
        referral = _db.session.get(Referral, referral_id)
        assert referral.status == "closed" and referral.closing_reason == "Déjà suivie au CCAS"


def test_writing_an_entry_and_the_form_keeps_what_was_typed(app, signed_in):
    client, user = signed_in("social_worker")
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
    page = client.post(
        f"/casework/cases/{case_id}/entries/new",
        data={
            "occurred_on": local_today().isoformat(),
            "duration_minutes": "45",
            "kind": "phone",
            "visibility": "team",
            "note": "",
        },
    )
    assert page.status_code == 200 and "obligatoire" in page.get_data(as_text=True)
    page = client.post(
        f"/casework/cases/{case_id}/entries/new",
        data={
            "occurred_on": local_today().isoformat(),
            "duration_minutes": "abc",
            "kind": "phone",
            "visibility": "team",
            "note": "Garder ce texte",
        },
    )
    assert "Garder ce texte" in page.get_data(as_text=True)
    response = client.post(
        f"/casework/cases/{case_id}/entries/new",
        data={
            "occurred_on": local_today().isoformat(),
            "duration_minutes": "45",
            "kind": "phone",
            "visibility": "team",
            "note": "Appel de suivi",
        },
    )
    assert response.status_code == 302
    assert "Appel de suivi" in client.get(f"/casework/cases/{case_id}").get_data(as_text=True)
    with app.app_context():
        entry = _db.session.scalars(sa.select(Entry)).one()
        assert entry.author_id == user.id and entry.profession == "social_worker"


def test_a_procedure_outside_the_mandate_is_refused_with_a_clear_message(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        case = make_case()
        mandate = services.create_mandate(
            case, scope=["apa"], duration="1d", starts_on=local_today() - timedelta(days=3), by=None
        )
        case_id, mandate_id = case.id, mandate.id
        _db.session.commit()
    response = client.post(
        f"/casework/cases/{case_id}/procedures/new",
        data={
            "mandate_id": mandate_id,
            "procedure_type": "apa",
            "done_on": local_today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "le mandat a expiré" in response.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(Procedure)) == 0
    assert casework_events(app, action="procedure.refused")


def test_closing_a_case(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
    client.post(
        f"/casework/cases/{case_id}/close",
        data={"reason": "moved", "closed_on": local_today().isoformat()},
    )
    with app.app_context():
        case = _db.session.get(Case, case_id)
        assert case.status == CaseStatus.CLOSED and case.closing_reason == "moved"


@pytest.mark.parametrize("role", ["social_worker", "psychologist"])
def test_a_caseworker_of_another_site_cannot_reach_a_case_by_its_id(app, signed_in, role):
    with app.app_context():
        values = build_casework_fixture()
        elsewhere_id = other_site().id
        _db.session.commit()
    client, _user = signed_in(role, sites=[elsewhere_id])
    for endpoint, route in matrix_casework.ROUTES.items():
        url = route.url.format(**values)
        if not any(
            key in route.url
            for key in ("cw_case_id", "cw_mandate_id", "cw_orientation_id", "cw_referral_id")
        ):
            continue
        response = client.open(url, method=route.method)
        assert response.status_code == 404, (endpoint, response.status_code)
    refusals = casework_events(app, action="access.denied", actor_id=_user.id)
    assert refusals and all(event.outcome == "denied" for event in refusals)
    assert "Matrice" not in client.get("/casework/").get_data(as_text=True)
    assert "Matrice" not in client.get("/casework/referrals").get_data(as_text=True)
    with app.app_context():
        mandate = _db.session.get(services.Mandate, values["cw_mandate_id"])
        assert mandate.revoked_on is None


@pytest.mark.parametrize("role", ["coordinator", "admin", "reception", "animator", "member"])
def test_everyone_else_is_refused_and_the_refusal_is_logged(app, signed_in, role):
    with app.app_context():
        values = build_casework_fixture()
    client, user = signed_in(role)
    for endpoint, route in matrix_casework.ROUTES.items():
        response = client.open(route.url.format(**values), method=route.method)
        assert response.status_code == 403, endpoint
    denied = casework_events(app, action="access.denied", actor_id=user.id)
    assert len(denied) == len(matrix_casework.ROUTES)


def test_every_casework_page_writes_an_access_event(app, signed_in):
    """A casework view that forgets to log fails here."""
    with app.app_context():
        values = build_casework_fixture()
    client, user = signed_in("social_worker")
    for endpoint, route in matrix_casework.ROUTES.items():
        before = len(casework_events(app, actor_id=user.id))
        response = client.open(route.url.format(**values), method=route.method)
        assert response.status_code < 400, endpoint
        after = casework_events(app, actor_id=user.id)
        assert len(after) > before, f"{endpoint} wrote no access-log event"
        assert after[-1].outcome == "success"


def test_the_case_page_shows_its_access_history(app, signed_in):
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
    first, first_user = signed_in("social_worker")
    second, _second_user = signed_in("psychologist")
    first.get(f"/casework/cases/{case_id}")
    page = second.get(f"/casework/cases/{case_id}").get_data(as_text=True)
    assert "Journal d'accès au dossier" in page
    with app.app_context():
        name = _db.session.get(User, first_user.id).display_name
    assert name in page and "Consultation du dossier" in page
    events = casework_events(app, object_type="case", object_id=str(case_id))
    assert all("Lefort" not in event.detail for event in events)


def test_the_whole_access_log_stays_reachable_after_many_reads(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        case = make_case()
        services.log_case("case.open", case)
        case_id = case.id
        _db.session.commit()
    first = client.get(f"/casework/cases/{case_id}").get_data(as_text=True)
    assert "Voir tout le journal" not in first
    for _ in range(25):
        client.get(f"/casework/cases/{case_id}")
    page = client.get(f"/casework/cases/{case_id}").get_data(as_text=True)
    assert page.count("Consultation du dossier") == 20 and "Ouverture du dossier" not in page
    assert f"/casework/cases/{case_id}/history" in page
    history = client.get(f"/casework/cases/{case_id}/history").get_data(as_text=True)
    # The opening, 27 reads of the case page, and this read of the log itself.
    assert re.findall(r"\d+ événements", history) == ["29 événements"]
    last = client.get(f"/casework/cases/{case_id}/history?page=2").get_data(as_text=True)
    assert "Ouverture du dossier" in history + last
    assert casework_events(app, action="case.history.read")


def test_dormant_cases_follow_the_setting(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        old = make_case(
            make_person("Ancienne", "Visite"), opened_on=local_today() - timedelta(days=100)
        )
        make_case(make_person("Récente", "Visite"), opened_on=local_today() - timedelta(days=10))
        old_id = old.id
        _db.session.commit()
    page = client.get("/casework/dormant").get_data(as_text=True)
    assert f"/casework/cases/{old_id}" in page and "Récente" not in page


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
@pytest.mark.parametrize("sharing", [True, False])
def test_right_of_access_pdf_leaves_out_private_notes(app, signed_in, tmp_path, sharing):
    social_client, social = signed_in("social_worker")
    _psy_client, psy = signed_in("psychologist")
    with app.app_context():
        case = make_case(sharing=sharing)
        for user_id, visibility, note in (
            (social.id, "team", "Equipe visible"),
            (social.id, "profession", "Profession visible"),
            (psy.id, "private", "Hypothese privee"),
            (social.id, "private", "Brouillon prive"),
        ):
            services.add_entry(
                case,
                by=_db.session.get(User, user_id),
                occurred_on=local_today(),
                duration_minutes=30,
                kind="phone",
                visibility=visibility,
                note=note,
            )
        case_id = case.id
        _db.session.commit()
    response = social_client.get(f"/casework/cases/{case_id}/access-file.pdf")
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data, tmp_path)
    assert "Equipe visible" in text and "Profession visible" in text
    assert "privee" not in text and "prive" not in text
    assert casework_events(app, action="case.access_file.print", object_id=str(case_id))
    # The psychologist printing it never reads the social worker's profession note (nor,
    # without consent to share, the team note that falls back to profession).
    psy_text = _pdf_text(
        _psy_client.get(f"/casework/cases/{case_id}/access-file.pdf").data, tmp_path
    )
    assert "Profession visible" not in psy_text and "prive" not in psy_text
    assert ("Equipe visible" in psy_text) is sharing
    assert "autre profession" in psy_text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_partners_to_orient_to_are_grouped_by_type_in_french_order(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        case_id = make_case().id
        for name in ("CCAS de Bordeaux", "ccas de Bègles", "Écoute aidants"):
            make_partner(name)
        _db.session.commit()
    page = client.get(f"/casework/cases/{case_id}/orientations/new").get_data(as_text=True)
    assert "<optgroup" in page
    positions = [page.index(name) for name in ("ccas de Bègles", "CCAS de Bordeaux", "Écoute")]
    assert positions == sorted(positions)
    assert page.index('name="need"') < page.index('name="partner_id"')


def test_caseworkers_find_only_the_people_of_their_sites(app, signed_in):
    client, _user = signed_in("social_worker")
    with app.app_context():
        here = make_person("Hélène", "Ici")
        there = make_person("Hélène", "Ailleurs", site=other_site())
        _db.session.commit()
        here_id, there_id = here.id, there.id
    page = client.get("/casework/people?q=hél").get_data(as_text=True)
    assert "Ici" in page and "Ailleurs" not in page
    assert client.get(f"/casework/people/{there_id}/open").status_code == 404
    assert client.get(f"/casework/people/{here_id}/open").status_code == 200
    assert "au moins 2 lettres" in client.get("/casework/people?q=h").get_data(as_text=True)


def test_orientation_proposes_the_partners_covering_the_need_nearest_first(app, signed_in):
    from tests.directory.builders import make_partner as make_directory_partner

    client, _user = signed_in("social_worker")
    with app.app_context():
        person = make_person()
        person.commune, person.postcode = "Mérignac", "33700"
        case_id = make_case(person).id
        make_directory_partner("Répit Gironde", needs=["respite"], departements=["33"])
        make_directory_partner("Répit Mérignac", needs=["respite"], communes=["Mérignac"])
        make_directory_partner("Répit Lyon", needs=["respite"], departements=["69"])
        make_directory_partner(
            "Droits Mérignac", needs=["rights_information"], communes=["Mérignac"]
        )
    url = f"/casework/cases/{case_id}/orientations/new"
    page = client.get(url + "?need=respite").get_data(as_text=True)
    assert 'value="respite" selected' in page or 'selected value="respite"' in page
    near = page.index("« Répit », près de chez la personne")
    others = page.index("Autres :")
    assert near < page.index("Répit Mérignac — sa commune")
    assert page.index("Répit Mérignac") < page.index("Répit Gironde — son département") < others
    assert '<option selected value="">Choisir un partenaire</option>' in page  # none in advance
    # Then the partners covering the need elsewhere, then all the others by type.
    elsewhere = page.index("« Répit », autres secteurs")
    assert page.index("Répit Gironde") < elsewhere < page.index("Répit Lyon") < others
    assert page.index("Droits Mérignac") > others

    # Without JavaScript: the button re-shows the form for another need and saves nothing.
    response = client.post(
        url,
        data={
            "need": "rights_information",
            "outcome": "Rendez-vous pris",
            "oriented_on": local_today().isoformat(),
            "status": "proposed",
            "show_partners": "1",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Rendez-vous pris" in page
    assert page.index("Droits Mérignac — sa commune") < page.index("Autres :")
    with app.app_context():
        assert not _db.session.get(Case, case_id).orientations


def test_mandate_pdf_records_the_wording_version(app, signed_in, tmp_path):
    client, _user = signed_in("social_worker")
    with app.app_context():
        values = build_casework_fixture()
    text = _pdf_text(
        client.get(f"/casework/mandates/{values['cw_mandate_id']}/mandate.pdf").data, tmp_path
    )
    assert "version 2026-1" in text and "APA" in text
    assert "Professionnel·le mandataire" in text


def test_revoking_a_mandate_asks_for_its_date_first(app, signed_in):
    client, user = signed_in("social_worker")
    with app.app_context():
        case = make_case()
        mandate = services.create_mandate(
            case,
            scope=["apa"],
            duration="1y",
            starts_on=local_today() - timedelta(days=30),
            by=None,
        )
        services.log_procedure(
            case,
            mandate=mandate,
            procedure_type="apa",
            done_on=local_today() - timedelta(days=10),
            description="",
            by=user,
        )
        case_id, mandate_id = case.id, mandate.id
        _db.session.commit()
    url = f"/casework/mandates/{mandate_id}/revoke"
    assert f'href="{url}"' in client.get(f"/casework/cases/{case_id}").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Date de la révocation" in page and "Cela ne s&#39;annule pas" in page
    future = client.post(url, data={"revoked_on": (local_today() + timedelta(days=1)).isoformat()})
    assert "ne peut pas être dans le futur" in future.get_data(as_text=True)
    before = client.post(url, data={"revoked_on": (local_today() - timedelta(days=20)).isoformat()})
    assert "la révocation ne peut pas être antérieure" in before.get_data(as_text=True)
    with app.app_context():
        assert _db.session.get(services.Mandate, mandate_id).revoked_on is None
    done = client.post(url, data={"revoked_on": (local_today() - timedelta(days=2)).isoformat()})
    assert done.status_code == 302
    with app.app_context():
        revoked = _db.session.get(services.Mandate, mandate_id)
        assert revoked.revoked_on == local_today() - timedelta(days=2)
        assert revoked.revoked_by_id == user.id
    assert casework_events(app, action="mandate.revoke")


def test_case_list_query_count_does_not_grow(app, signed_in):
    client, user = signed_in("social_worker")

    def count_queries(path):
        counter = {"n": 0}

        def before(*_args, **_kwargs):
            counter["n"] += 1

        with app.app_context():
            engine = _db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            assert client.get(path).status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
        return counter["n"]

    def add_cases(count):
        with app.app_context():
            author = _db.session.get(User, user.id)
            for number in range(count):
                case = make_case(make_person("Liste", f"Personne{number}"))
                services.add_entry(
                    case,
                    by=author,
                    occurred_on=local_today(),
                    duration_minutes=10,
                    kind="phone",
                    visibility="team",
                    note="x",
                )
            _db.session.commit()

    add_cases(1)
    one = count_queries("/casework/")
    add_cases(30)
    many = count_queries("/casework/")
    assert many == one


def test_case_page_query_count_does_not_grow_with_entries(app, signed_in):
    client, user = signed_in("social_worker")
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
        engine = _db.engine

    def add_entries(count):
        with app.app_context():
            author = _db.session.get(User, user.id)
            case = _db.session.get(Case, case_id)
            for _ in range(count):
                services.add_entry(
                    case,
                    by=author,
                    occurred_on=local_today(),
                    duration_minutes=10,
                    kind="phone",
                    visibility="team",
                    note="x",
                )
            _db.session.commit()

    def count_queries():
        counter = {"n": 0}

        def before(*_args, **_kwargs):
            counter["n"] += 1

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            assert client.get(f"/casework/cases/{case_id}").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
        return counter["n"]

    add_entries(1)
    one = count_queries()
    add_entries(20)
    assert count_queries() == one
