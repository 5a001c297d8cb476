"""Personal-data rights: export (JSON, PDF), erasure request, anonymisation."""

from sqlalchemy import func, select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Payment, Person, Referral, Visit
from ressourcerie.members.services import rights
from ressourcerie.members.services.payments import record_payment
from ressourcerie.security.models import AuditEvent, Site, User


def member_with_person(app, login_as):
    user = login_as("member")
    with app.app_context():
        site = _db.session.execute(select(Site).order_by(Site.id)).scalars().first()
        person = Person(
            site_id=site.id,
            user_id=user.id,
            birth_year=1970,
            gender="woman",
            postcode="33000",
            commune="Bordeaux",
            email=user.email,
            reduced_rate_reason="motif secret",
        )
        person.set_identity("Iris", "Marchand")
        person.set_phone("0611111111")
        _db.session.add(person)
        _db.session.flush()
        _db.session.add(Visit(site_id=site.id, person_id=person.id, purpose="activity"))
        _db.session.add(Visit(site_id=site.id, person_id=person.id, purpose="information"))
        _db.session.add(
            Referral(
                site_id=site.id, person_id=person.id, category="isolation", comment="commentaire"
            )
        )
        record_payment(
            site=site,
            person=person,
            kind="membership",
            label="Adhésion",
            amount_cents=2900,
            method="cash",
            by=None,
        )
        _db.session.commit()
        return user, person.id


def test_member_downloads_json_and_pdf(app, client, login_as):
    member_with_person(app, login_as)
    data = client.get("/members/me/data.json")
    assert data.status_code == 200
    body = data.get_json()
    assert body["person"]["first_name"] == "Iris"
    assert len(body["visits"]) == 2
    assert body["payments"][0]["amount_cents"] == 2900
    assert "motif secret" not in data.text  # the reduced-rate reason is never shown
    pdf = client.get("/members/me/data.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_erasure_request_then_anonymisation_keeps_statistics(app, client, login_as):
    user, person_id = member_with_person(app, login_as)
    unticked = client.post("/members/me/erasure", follow_redirects=True)
    assert "Cochez la case de confirmation" in unticked.text
    with app.app_context():
        assert _db.session.get(Person, person_id).erasure_requested_at is None
    asked = client.post("/members/me/erasure", data={"confirm": "y"}, follow_redirects=True)
    assert (
        "Demande d&#39;effacement enregistrée" in asked.text
        or "effacement enregistrée" in asked.text
    )
    coordinator = app.test_client()
    login_as("coordinator", client=coordinator)
    page = coordinator.get("/members/erasure-requests")
    assert "Iris Marchand" in page.text
    unconfirmed = coordinator.post(f"/members/people/{person_id}/anonymise", follow_redirects=True)
    assert "Cochez la case de confirmation" in unconfirmed.text
    with app.app_context():
        assert _db.session.get(Person, person_id).anonymised_at is None
    done = coordinator.post(f"/members/people/{person_id}/anonymise", data={"confirm": "y"})
    assert done.status_code == 302
    with app.app_context():
        person = _db.session.get(Person, person_id)
        assert person.anonymised_at is not None
        assert person.full_name == "" and person.phone == "" and person.email is None
        assert person.search_name == "" and person.user_id is None
        assert (person.birth_year, person.gender, person.postcode) == (1970, "woman", "33000")
        visits = _db.session.scalar(select(func.count()).where(Visit.person_id == person_id))
        assert visits == 2
        payment = _db.session.scalars(select(Payment)).one()
        assert payment.person_id == person_id and payment.amount_cents == 2900
        assert _db.session.scalars(select(Referral)).one().comment is None
        account = _db.session.get(User, user.id)
        assert not account.active and account.password_hash is None
        assert "iris" not in account.email
    assert "Iris" not in coordinator.get("/members/erasure-requests").text
    assert coordinator.get(f"/members/people/{person_id}").status_code == 404
    # the member's session ended with the account
    assert client.get("/members/me").status_code == 302


def test_a_member_may_withdraw_the_erasure_request(app, client, login_as):
    _user, person_id = member_with_person(app, login_as)
    client.post("/members/me/erasure", data={"confirm": "y"})
    page = client.get("/members/me").text
    assert "Annuler ma demande et garder mes données" in page
    withdrawn = client.post("/members/me/erasure/withdraw", follow_redirects=True)
    assert "Votre demande d&#39;effacement est annulée" in withdrawn.text
    with app.app_context():
        assert _db.session.get(Person, person_id).erasure_requested_at is None
        actions = _db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(person_id))
        ).all()
        assert {"erasure.requested", "erasure.withdrawn"} <= set(actions)
    coordinator = app.test_client()
    login_as("coordinator", client=coordinator)
    assert "Iris" not in coordinator.get("/members/erasure-requests").text
    # A coordinator with the old list still open cannot carry out the withdrawn request.
    late = coordinator.post(
        f"/members/people/{person_id}/anonymise", data={"confirm": "y"}, follow_redirects=True
    )
    assert "retiré sa demande" in late.text
    with app.app_context():
        assert _db.session.get(Person, person_id).anonymised_at is None


def test_anonymise_is_idempotent(db, make_person):
    person = db.session.get(Person, make_person(first_name="Z"))
    rights.anonymise(person, by=None)
    first = person.anonymised_at
    rights.anonymise(person, by=None)
    assert person.anonymised_at == first


def test_export_includes_bookings_and_impact_answers(app, client, login_as):
    from datetime import date

    from ressourcerie.reports.questionnaire import ImpactAnswer
    from ressourcerie.workshops.models import Booking
    from tests.workshops.conftest import build_session

    _user, person_id = member_with_person(app, login_as)
    with app.test_request_context():
        session = build_session()
        session.activity.title = "Atelier mémoire"
        person = _db.session.get(Person, person_id)
        _db.session.add(
            Booking(
                session_id=session.id,
                person_id=person_id,
                status="confirmed",
                tier="full",
                amount_cents=1200,
            )
        )
        _db.session.add(
            ImpactAnswer(
                person_id=person_id,
                site_id=person.site_id,
                answered_on=date(2026, 3, 2),
                campaign_year=2026,
                channel="paper",
                wellbeing="improved",
            )
        )
        _db.session.commit()
    body = client.get("/members/me/data.json").get_json()
    assert body["workshop_bookings"][0]["activity"] == "Atelier mémoire"
    assert body["workshop_bookings"][0]["amount_cents"] == 1200
    assert body["impact_questionnaires"][0]["wellbeing"] == "improved"
    assert client.get("/members/me/data.pdf").data.startswith(b"%PDF")


def test_anonymising_frees_coming_seats_for_the_waiting_list(db, make_person):
    from ressourcerie.workshops.services import bookings
    from tests.workshops.conftest import build_session

    session = build_session(capacity=2)
    leaving = db.session.get(Person, make_person(first_name="Part"))
    waiting = db.session.get(Person, make_person(first_name="Attend"))
    seated = bookings.book(
        session,
        leaving,
        by=None,
        with_companion=True,
        companion_name="Jean",
        companion_notes="fauteuil",
    )
    queued = bookings.book(session, waiting, by=None)
    db.session.commit()
    assert seated.status == "confirmed" and queued.status == "waitlisted"
    rights.anonymise(leaving, by=None)
    db.session.commit()
    db.session.refresh(seated)
    db.session.refresh(queued)
    assert seated.status == "cancelled"
    assert seated.companion_name == "" and seated.companion_notes is None
    assert queued.status == "confirmed"  # the freed seats went to the waiting list
    assert session.seats_taken == 1


def test_reception_records_an_erasure_request_made_at_the_desk(app, client, login_as, make_person):
    login_as("reception")
    person_id = make_person(first_name="Sans", last_name="Compte")
    page = client.get(f"/members/people/{person_id}").text
    assert (
        "Enregistrer la demande d&#39;effacement" in page
        or "Enregistrer la demande d'effacement" in page
    )
    unticked = client.post(f"/members/people/{person_id}/erasure-request", follow_redirects=True)
    assert "Cochez la case de confirmation" in unticked.text
    done = client.post(
        f"/members/people/{person_id}/erasure-request",
        data={"confirm": "y"},
        follow_redirects=True,
    )
    assert "Demande d&#39;effacement enregistrée" in done.text
    with app.app_context():
        assert _db.session.get(Person, person_id).erasure_requested_at is not None
    coordinator = app.test_client()
    login_as("coordinator", client=coordinator)
    assert "Sans Compte" in coordinator.get("/members/erasure-requests").text
