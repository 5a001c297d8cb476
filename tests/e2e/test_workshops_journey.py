"""Browser journeys of workshops: a member books from a phone and sees the member price;
reception books a caregiver with their relative by phone; a cancellation promotes the
waiting list; an animator creates a weekly series and does the check-in."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.workshops.models import Booking, WorkshopSession
from ressourcerie.workshops.services import bookings
from tests.workshops.conftest import (
    build_activity,
    build_person,
    build_session,
    next_weekday,
    set_reference_hours,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (Path(__file__).parent / "conftest.py").exists(),
        reason="tests/e2e/conftest.py (browser fixtures) is not there yet",
    ),
]
SHOTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def within(app):
    """Run a builder in a short request context (the live server has its own), commit."""
    with app.test_request_context():
        set_reference_hours()

    def run(fn, *args, **kwargs):
        with app.test_request_context():
            result = fn(*args, **kwargs)
            db.session.commit()
            return result

    return run


def _ids(within, **session_kwargs):
    return within(lambda: build_session(**session_kwargs).id)


def test_member_books_from_a_phone_and_sees_it_in_my_bookings(
    app, live_server, phone_page, sign_in, make_user, within
):
    page = phone_page
    day = next_weekday(1, weeks=2)
    session_id = _ids(within, capacity=6, day=day)
    member = make_user("member")
    within(lambda: build_person(user_id=member.id, member_on=day).id)

    sign_in(page, member)
    page.goto(f"{live_server.url}/workshops/?date={day.isoformat()}")
    page.get_by_role("link", name="Yoga doux").first.click()
    page.get_by_role("heading", name="Yoga doux").wait_for()
    price = page.locator("#price").inner_text()
    assert "Vous paierez 6,00" in price and "adhérent" in price
    assert "6 places libres" in page.locator("#seats-left").inner_text()
    page.get_by_role("button", name="Réserver ma place").click()
    page.get_by_role("heading", name="Mes réservations").wait_for()
    page.get_by_text("C'est réservé").wait_for()
    card = page.locator("article.my-booking").first
    assert "Yoga doux" in card.inner_text() and "Confirmée" in card.inner_text()
    assert "6,00" in card.inner_text()
    page.screenshot(path=str(SHOTS / "workshops-phone-my-bookings.png"), full_page=True)

    # The personal calendar link, copied with one tap.
    page.get_by_role("button", name="Créer mon lien d'agenda").click()
    page.get_by_role("button", name="Copier le lien").click()
    page.get_by_text("Lien copié").wait_for()

    # The planning now says so, and the page width stays the phone's.
    page.goto(f"{live_server.url}/workshops/sessions/{session_id}")
    page.get_by_text("Vous êtes inscrit·e.").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_reception_books_a_caregiver_and_relative_by_phone_and_a_cancellation_promotes(
    app, live_server, page, sign_in, make_user, within
):
    session_id = _ids(within, capacity=2)

    def people():
        caller = build_person()
        caller.set_identity("Odette", "Marchand")
        waiting = build_person()
        waiting.set_identity("Lucien", "Perrin")
        db.session.flush()
        return caller.id, waiting.id

    caller_id, waiting_id = within(people)
    reception = make_user("reception")
    sign_in(page, reception)

    page.goto(f"{live_server.url}/workshops/sessions/{session_id}/bookings")
    page.get_by_label("Nom, téléphone ou e-mail").fill("Marchand")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name=re.compile("Inscrire Odette Marchand")).click()
    page.get_by_role("heading", name=re.compile("Inscrire Odette Marchand")).wait_for()
    page.get_by_label("Demande reçue").select_option("phone")
    page.get_by_label(re.compile("Vient avec la personne")).check()
    page.get_by_label("Prénom de la personne aidée").fill("Georges")
    page.get_by_label(re.compile("Notes pratiques")).fill("Fauteuil roulant, arrive en taxi")
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_text("Odette Marchand est inscrit·e.").wait_for()
    assert "2 places prises sur 2" in page.content()
    assert "Fauteuil roulant" in page.content()

    # The session is full: the next person goes on the waiting list.
    page.get_by_label("Nom, téléphone ou e-mail").fill("Perrin")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name=re.compile("Inscrire Lucien Perrin")).click()
    page.get_by_role("button", name="Inscrire").click()
    page.get_by_text("Lucien Perrin est sur la liste d'attente").wait_for()
    page.screenshot(path=str(SHOTS / "workshops-session-bookings.png"), full_page=True)

    # Odette cancels by phone: Lucien gets the seat at once and is told.
    row = page.locator("tr", has_text="Odette Marchand")
    row.get_by_text("Annuler", exact=True).click()
    row.get_by_label("Raison de l'annulation").select_option("caregiving_emergency")
    row.get_by_role("button", name="Annuler la réservation").click()
    page.get_by_text("Lucien Perrin passe de la liste d'attente à une place confirmée").wait_for()
    with app.app_context():
        statuses = {b.person_id: b.status for b in db.session.query(Booking)}
    assert statuses == {caller_id: "cancelled", waiting_id: "confirmed"}


def test_animator_creates_a_weekly_series_and_checks_people_in(
    app, live_server, page, sign_in, make_user, within
):
    activity_id = within(lambda: build_activity(title="Atelier créatif", paid=False).id)
    animator = make_user("animator")
    sign_in(page, animator)
    day = next_weekday(2, weeks=2)  # a Wednesday

    page.goto(f"{live_server.url}/workshops/activities/{activity_id}/sessions/new")
    page.get_by_label(re.compile("^Date")).fill(day.isoformat())
    page.get_by_label("Début").fill("14:30")
    page.get_by_label("Fin").fill("16:00")
    page.get_by_label("Places").fill("8")
    page.get_by_label("Salle").fill("Atelier")
    page.get_by_label("Répéter chaque semaine").check()
    page.get_by_label(re.compile("Jusqu'au")).fill((day + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("4 séances programmées.").wait_for()
    with app.app_context():
        sessions = db.session.query(WorkshopSession).order_by(WorkshopSession.starts_at).all()
        assert len(sessions) == 4
        first_id = sessions[0].id

    def two_bookings():
        session = db.session.get(WorkshopSession, first_id)
        people = []
        for first, last in (("Nadia", "Roux"), ("Henri", "Blanc")):
            person = build_person()
            person.set_identity(first, last)
            bookings.book(session, person, by=None)
            people.append(person.id)
        walker = build_person()
        walker.set_identity("Sylvie", "Garnier")
        return people, walker.id

    (nadia, henri), sylvie = within(two_bookings)

    page.goto(f"{live_server.url}/workshops/sessions/{first_id}/checkin")
    page.get_by_role("button", name="Présent·e : Nadia Roux").click()
    page.get_by_role("button", name="Absent·e : Henri Blanc").click()
    page.get_by_label("Nom, téléphone ou e-mail").fill("Garnier")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name="Ajouter, présent·e : Sylvie Garnier").click()
    page.get_by_text("Sylvie Garnier est ajouté·e et marqué·e présent·e.").wait_for()
    page.get_by_text("Présent·es : 2").wait_for()
    box = page.get_by_role("button", name="Présent·e : Nadia Roux").bounding_box()
    assert box["height"] >= 44  # a finger-sized target on a tablet
    page.screenshot(path=str(SHOTS / "workshops-checkin.png"), full_page=True)
    with app.app_context():
        statuses = {b.person_id: b.status for b in db.session.query(Booking)}
        assert db.session.get(Person, sylvie) is not None
    assert statuses == {nadia: "attended", henri: "no_show", sylvie: "attended"}

    sheet = page.request.get(f"{live_server.url}/workshops/sessions/{first_id}/sign-in-sheet.pdf")
    assert sheet.status == 200 and sheet.body().startswith(b"%PDF")
