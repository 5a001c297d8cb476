"""People: services, search, list and person pages, create and edit."""

import re

from sqlalchemy import event, func, select

from ressourcerie.extensions import db as _db
from ressourcerie.members import queries
from ressourcerie.members.models import CaregiverStatusChange, Person, Visit
from ressourcerie.members.services import people as people_services
from ressourcerie.members.services.payments import record_payment
from ressourcerie.security import services as security
from ressourcerie.security.models import Site


def site_id(app):
    with app.app_context():
        return _db.session.execute(select(Site.id).order_by(Site.id)).scalars().first()


def test_create_person_keeps_search_columns_and_caregiver_history(db):
    data = people_services.PersonData(
        first_name=" Hélène ",
        last_name="Dupré-Lacoste",
        phone="+33 6 12 34 56 78",
        email=" Helene@Example.ORG ",
        caregiver_status="self_declared",
    )
    person = people_services.create_person(data, site_id=None, by=None)
    assert person.first_name == "Hélène"
    assert person.search_name == "helene dupre-lacoste"
    assert person.search_last_name == "dupre-lacoste"
    assert person.phone_digits == "0612345678"
    assert person.email == "helene@example.org"
    assert person.caregiver_status == "self_declared"
    assert person.caregiver_status_changed_on is not None
    history = db.session.scalars(select(CaregiverStatusChange)).all()
    assert [row.status for row in history] == ["self_declared"]

    data.caregiver_status = "self_declared"
    data.last_name = "Lacoste"
    people_services.update_person(person, data, by=None)
    assert person.search_last_name == "lacoste"
    assert len(person.caregiver_history) == 1  # unchanged status: no new row
    data.caregiver_status = "identified_by_team"
    people_services.update_person(person, data, by=None)
    assert [row.status for row in person.caregiver_history] == [
        "self_declared",
        "identified_by_team",
    ]


def test_reduced_rate_reason_dropped_without_end_date(db):
    data = people_services.PersonData(first_name="A", reduced_rate_reason="minima sociaux")
    person = people_services.create_person(data, site_id=None, by=None)
    assert person.reduced_rate_reason == ""


def test_search_by_name_phone_email_postcode_accent_insensitive(app, db, make_person):
    sid = site_id(app)
    make_person(first_name="Éloïse", last_name="Ménard", phone="06 11 22 33 44", postcode="33800")
    make_person(first_name="Paul", last_name="Martin", email="paul@example.org", postcode="33000")
    make_person(first_name="Zoé", last_name="Anonyme", anonymised_at=None)

    def names(text):
        return [p.first_name for p in db.session.scalars(queries.people_query(text, {sid}))]

    assert names("menard") == ["Éloïse"]
    assert names("MÉN") == ["Éloïse"]
    assert names("eloise men") == ["Éloïse"]
    assert names("06 11") == ["Éloïse"]
    assert names("+33611") == ["Éloïse"]
    assert names("paul@") == ["Paul"]
    assert names("33000") == ["Paul"]
    assert sorted(names("338")) == ["Éloïse"]
    assert names("nobody") == []
    assert names("%") == []  # LIKE wildcards are escaped
    # Last name first, as reception often types it.
    assert names("menard elo") == ["Éloïse"]
    assert names("MÉNARD É") == ["Éloïse"]
    assert names("martin eloise") == []


def test_every_way_of_writing_a_french_number_is_found_by_its_national_digits(app, db, make_person):
    sid = site_id(app)
    for index, phone in enumerate(
        ("+33 (0)6 79 67 80 73", "+33 6 79 67 80 74", "0033 6 79 67 80 75", "06 79 67 80 76")
    ):
        make_person(first_name=f"P{index}", last_name="Tel", phone=phone)

    def names(text):
        return sorted(p.first_name for p in db.session.scalars(queries.people_query(text, {sid})))

    assert names("06 79") == ["P0", "P1", "P2", "P3"]
    assert names("06 79 67 80 73") == ["P0"]
    assert names("+33 (0)6 79 67 80 74") == ["P1"]
    assert names("+33 6 79 67 80 75") == ["P2"]
    # The end of the number, as people often say it.
    assert names("80 73") == ["P0"]
    assert names("67 80 76") == ["P3"]
    assert names("073") == []  # three digits: too short to search by the end


def test_staff_see_people_of_their_sites_only(app, db, make_person):
    other = security.create_site(name="Antenne de Libourne")
    db.session.commit()
    home = site_id(app)
    mine = make_person(first_name="Mine")
    theirs = make_person(first_name="Theirs", site_id=other.id)
    visitor = make_person(first_name="Visitor", site_id=other.id)
    db.session.add(Visit(site_id=home, person_id=visitor, purpose="activity"))
    db.session.commit()
    seen = {p.id for p in db.session.scalars(queries.people_query("", {home}))}
    assert seen == {mine, visitor}
    assert theirs not in seen


def test_people_list_paginates_and_searches(app, client, login_as, make_person):
    login_as("reception")
    for n in range(30):
        make_person(first_name="Anne", last_name=f"Dupont{n:02d}")
    make_person(first_name="Bruno", last_name="Zidane")
    page = client.get("/members/people")
    assert page.status_code == 200
    assert "31 personnes" in page.text
    assert "Page 1 sur 2" in page.text
    found = client.get("/members/people?q=zid")
    assert "Bruno Zidane" in found.text and "Dupont" not in found.text


def count_queries(app, fn):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements)


def test_people_list_query_count_is_flat(app, client, login_as, make_person):
    login_as("reception")
    sid = site_id(app)
    first = make_person(last_name="Aaron")
    with app.app_context():
        _db.session.add(Visit(site_id=sid, person_id=first, purpose="activity"))
        _db.session.commit()
    client.get("/members/people")  # warm up
    one = count_queries(app, lambda: client.get("/members/people"))
    with app.app_context():
        site = _db.session.get(Site, sid)
        for n in range(24):
            person = Person(site_id=sid)
            person.set_identity("Anne", f"Bernard{n}")
            _db.session.add(person)
            _db.session.flush()
            _db.session.add(Visit(site_id=sid, person_id=person.id, purpose="activity"))
            record_payment(
                site=site,
                person=person,
                kind="other",
                label="x",
                amount_cents=100,
                method="cash",
                by=None,
            )
        _db.session.commit()
    many = count_queries(app, lambda: client.get("/members/people"))
    assert many == one


def test_person_page_query_count_is_flat(app, client, login_as, make_person):
    login_as("reception")
    sid = site_id(app)
    person_id = make_person()
    client.get(f"/members/people/{person_id}")
    one = count_queries(app, lambda: client.get(f"/members/people/{person_id}"))
    with app.app_context():
        site = _db.session.get(Site, sid)
        person = _db.session.get(Person, person_id)
        for _ in range(20):
            _db.session.add(Visit(site_id=sid, person_id=person_id, purpose="information"))
            record_payment(
                site=site,
                person=person,
                kind="other",
                label="x",
                amount_cents=100,
                method="cash",
                by=None,
            )
        _db.session.commit()
    many = count_queries(app, lambda: client.get(f"/members/people/{person_id}"))
    assert many == one


def test_person_page_shows_visits_summary_and_links(app, client, login_as, make_person):
    login_as("reception")
    sid = site_id(app)
    person_id = make_person(first_name="Lucie", last_name="Faure", reduced_rate_reason="")
    with app.app_context():
        for _ in range(3):
            _db.session.add(Visit(site_id=sid, person_id=person_id, purpose="activity"))
        _db.session.commit()
    page = client.get(f"/members/people/{person_id}")
    assert page.status_code == 200
    assert "Première venue le" in page.text and "3 passages" in page.text
    assert f"/members/people/{person_id}/membership" in page.text
    assert f"/members/people/{person_id}/payments/new" in page.text
    assert "/casework/" not in page.text


def test_care_team_gets_a_casework_link_but_no_money(app, client, login_as, make_person):
    login_as("social_worker")
    person_id = make_person(reduced_rate_reason="secret motive")
    page = client.get(f"/members/people/{person_id}")
    assert page.status_code == 200
    assert "/casework/" in page.text
    assert "secret motive" not in page.text
    assert "/payments/new" not in page.text


def test_person_of_another_site_is_not_found(app, client, login_as, make_person):
    login_as("reception")
    with app.app_context():
        other = security.create_site(name="Ailleurs")
        _db.session.commit()
        other_id = other.id
    person_id = make_person(site_id=other_id)
    # Every page about the person, including selling to them on this site's till.
    for path in ("", "/edit", "/membership", "/payments/new", "/referral", "/account"):
        assert client.get(f"/members/people/{person_id}{path}").status_code == 404, path
    sale = client.post(
        f"/members/people/{person_id}/payments/new",
        data={"amount": "5", "method": "cash", "label": "Fuite"},
    )
    assert sale.status_code == 404


def test_create_person_validates_in_french_and_keeps_input(app, client, login_as):
    login_as("reception")
    bad = client.post(
        "/members/people/new",
        data={
            "first_name": "",
            "last_name": "",
            "postcode": "3300",
            "phone": "12",
            "commune": "Bègles",
            "gender": "woman",
            "preferred_contact": "none",
            "caregiver_status": "unknown",
            "consent_method": "",
        },
    )
    assert bad.status_code == 200
    assert "Indiquez au moins un prénom ou un nom." in bad.text
    assert "Le code postal compte 5 chiffres" in bad.text
    assert "ne semble pas complet" in bad.text
    eight = client.post(
        "/members/people/new",
        data={
            "first_name": "A",
            "phone": "06 11 22 33",
            "gender": "woman",
            "preferred_contact": "none",
            "caregiver_status": "unknown",
            "consent_method": "",
        },
    )
    assert "ne semble pas complet" in eight.text  # a French number has 10 digits
    assert 'value="Bègles"' in bad.text
    good = client.post(
        "/members/people/new",
        data={
            "first_name": "Nadia",
            "postcode": "33130",
            "commune": "Bègles",
            "gender": "woman",
            "preferred_contact": "phone",
            "phone": "0556000000",
            "caregiver_status": "unknown",
            "consent_method": "oral",
            "consent_on": "2026-01-05",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        person = _db.session.scalars(select(Person)).one()
        assert person.first_name == "Nadia" and person.site_id is not None
        assert person.consent_method == "oral"


def test_a_person_created_from_a_failed_search_goes_back_there_chosen(app, client, login_as):
    login_as("reception")
    fields = {
        "last_name": "Lavergne",
        "first_name": "Josiane",
        "gender": "woman",
        "preferred_contact": "email",
        "caregiver_status": "unknown",
        "consent_method": "",
    }
    refused = client.post("/members/people/new?next=/members/desk", data=fields)
    assert "Indiquez son adresse e-mail, ou choisissez un autre moyen de contact." in refused.text
    fields["preferred_contact"] = "none"
    created = client.post("/members/people/new?next=/members/desk", data=fields)
    assert created.status_code == 302, re.findall(r"invalid-feedback[^>]*>([^<]*)", created.text)
    with app.app_context():
        person_id = _db.session.scalars(select(Person.id)).one()
    assert created.headers["Location"] == (
        f"/members/desk?person_id={person_id}&q=Josiane+Lavergne"
    )
    desk = client.get(created.headers["Location"], follow_redirects=True).text
    assert "Josiane Lavergne" in desk
    fields["first_name"] = "Autre"
    elsewhere = client.post("/members/people/new?next=//evil.example/x", data=fields)
    assert elsewhere.headers["Location"].startswith("/members/people/")


def test_edit_person(app, client, login_as, make_person):
    login_as("coordinator")
    person_id = make_person(first_name="Old", last_name="Name")
    form = client.get(f"/members/people/{person_id}/edit")
    assert 'value="Old"' in form.text
    saved = client.post(
        f"/members/people/{person_id}/edit",
        data={
            "first_name": "New",
            "last_name": "Name",
            "gender": "man",
            "preferred_contact": "none",
            "caregiver_status": "identified_by_team",
            "consent_method": "",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        person = _db.session.get(Person, person_id)
        assert person.first_name == "New" and person.search_name == "new name"
        assert person.caregiver_status == "identified_by_team"


def test_animator_reads_but_cannot_edit(app, client, login_as, make_person):
    login_as("animator")
    person_id = make_person()
    assert client.get(f"/members/people/{person_id}").status_code == 200
    assert client.get(f"/members/people/{person_id}/edit").status_code == 403
    assert client.get("/members/people/new").status_code == 403


def test_person_page_lists_workshop_bookings(app, client, login_as, make_person):
    from ressourcerie.workshops.models import Booking
    from tests.workshops.conftest import build_session

    login_as("reception")
    person_id = make_person(first_name="Agnès", last_name="Roux")
    with app.test_request_context():
        session = build_session()
        session.activity.title = "Sophrologie du jeudi"
        _db.session.add(
            Booking(
                session_id=session.id,
                person_id=person_id,
                status="confirmed",
                tier="full",
                amount_cents=1200,
            )
        )
        _db.session.commit()
    page = client.get(f"/members/people/{person_id}")
    assert page.status_code == 200
    assert "Sophrologie du jeudi" in page.text
    assert "12,00" in page.text


def test_care_team_link_goes_to_the_open_case_of_their_site(app, client, login_as, make_person):
    from tests.casework.builders import make_case

    user = login_as("social_worker")
    person_id = make_person()
    with app.test_request_context():
        case = make_case(_db.session.get(Person, person_id))
        _db.session.commit()
        case_id = case.id
    page = client.get(f"/members/people/{person_id}")
    assert f"/casework/cases/{case_id}" in page.text
    assert user is not None


def test_pages_of_a_search_keep_the_search(app, client, login_as, make_person):
    login_as("reception")
    for index in range(queries.PAGE_SIZE + 1):
        make_person(first_name=f"Paul{index}", last_name="Dupage")
    page = client.get("/members/people?q=Dupage")
    assert "Page 1 sur 2" in page.text
    assert "q=Dupage" in page.text.split("pagination")[1]


def test_a_likely_duplicate_is_shown_before_creating_a_second_record(
    app, client, login_as, make_person
):
    login_as("reception")
    with app.app_context():
        other = security.create_site(name="Antenne du Nord")
        _db.session.commit()
        other_id = other.id
    here_id = make_person(first_name="Alice", last_name="Gallet", birth_year=1972)
    make_person(first_name="Bruno", last_name="Roux", phone="05 57 00 00 01", site_id=other_id)
    form = {
        "gender": "woman",
        "preferred_contact": "none",
        "caregiver_status": "unknown",
        "consent_method": "",
    }

    def count():
        with app.app_context():
            return _db.session.scalar(select(func.count()).select_from(Person))

    before = count()
    same_site = client.post(
        "/members/people/new?next=/members/desk",
        data={**form, "first_name": "alice", "last_name": "GALLET", "birth_year": "1972"},
    )
    assert "peut-être déjà enregistrée" in same_site.text
    assert f"/members/people/{here_id}" in same_site.text
    assert f"person_id={here_id}" in same_site.text  # continue at the desk with her
    # Names typed in the wrong boxes, birth year not asked: still shown.
    swapped = client.post(
        "/members/people/new", data={**form, "first_name": "Gallet", "last_name": "Alice"}
    )
    assert f"/members/people/{here_id}" in swapped.text
    # Another site's record: said without showing who it is.
    elsewhere = client.post(
        "/members/people/new", data={**form, "first_name": "B", "phone": "0557000001"}
    )
    assert "autre site du réseau" in elsewhere.text
    assert "Roux" not in elsewhere.text and "Antenne du Nord" not in elsewhere.text
    assert count() == before
    created = client.post(
        "/members/people/new",
        data={**form, "first_name": "B", "phone": "0557000001", "not_a_duplicate": "y"},
    )
    assert created.status_code == 302 and count() == before + 1
