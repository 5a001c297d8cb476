"""Pages: planning, session page prices, member booking, desk booking, check-in, hours
override, iCalendar feeds, PDFs, the reminders command; query counts stay flat."""

import re
import subprocess
from contextlib import contextmanager
from datetime import time, timedelta

import icalendar
from sqlalchemy import event, func, select

from ressourcerie.columns import LOCAL_TZ, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Payment, Person
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security.models import Site
from ressourcerie.workshops.models import Booking, OpeningHours, WorkshopSession
from ressourcerie.workshops.services import bookings, calendar_links
from tests.workshops.conftest import build_activity, build_person, build_session, next_weekday


@contextmanager
def count_queries(app):
    counter = {"n": 0}

    def before(*args, **kwargs):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def book(session_id, person_id, **kwargs):
    session = db.session.get(WorkshopSession, session_id)
    person = db.session.get(Person, person_id)
    return bookings.book(session, person, by=None, **kwargs).id


def new_session(**kwargs):
    return build_session(**kwargs).id


def new_person(**kwargs):
    return build_person(**kwargs).id


def session_day(session_id):
    return db.session.get(WorkshopSession, session_id).starts_at.astimezone(LOCAL_TZ).date()


def signed_in_member(login_as, within, **person_kwargs):
    user = login_as("member")
    return within(new_person, user_id=user.id, **person_kwargs)


def test_planning_never_shows_a_stale_grid(client, login_as, within):
    """The rendered grid is cached by the data it shows: a seat taken, a cancellation, a
    booking of the signed-in member and the language all show at once."""
    day = next_weekday(2, weeks=3)
    session_id = within(new_session, day=day, capacity=5)
    url = f"/workshops/?date={day.isoformat()}"
    assert "5 places libres" in client.get(url).get_data(as_text=True)
    within(book, session_id, within(new_person))
    assert "4 places libres" in client.get(url).get_data(as_text=True)

    def cancel():
        db.session.get(WorkshopSession, session_id).status = "cancelled"

    within(cancel)
    assert "Annulée" in client.get(url).get_data(as_text=True)
    client.post("/language", data={"lang": "en"})
    assert "Cancelled" in client.get(url).get_data(as_text=True)
    client.post("/language", data={"lang": "fr"})

    within(lambda: setattr(db.session.get(WorkshopSession, session_id), "status", "scheduled"))
    person_id = signed_in_member(login_as, within)
    assert "Vous êtes inscrit·e" not in client.get(url).get_data(as_text=True)
    within(book, session_id, person_id)
    html = client.get(url).get_data(as_text=True)
    assert "Vous êtes inscrit·e" in html and "3 places libres" in html


def test_a_booking_at_the_same_time_is_pointed_out(client, login_as, within):
    person_id = signed_in_member(login_as, within)
    day = next_weekday(1, weeks=3)
    first = within(new_session, day=day, start=time(14), end=time(15, 30))
    overlapping = within(new_session, day=day, start=time(15), end=time(16))
    later = within(new_session, day=day, start=time(15, 30), end=time(17))
    within(book, first, person_id)
    assert "déjà inscrit·e à" in client.get(f"/workshops/sessions/{overlapping}").text
    assert "déjà inscrit·e à" not in client.get(f"/workshops/sessions/{later}").text


def test_cancelling_a_session_needs_a_reason_and_a_confirmation(app, client, login_as, within):
    login_as("animator")
    session_id = within(new_session, capacity=4)
    url = f"/workshops/sessions/{session_id}/cancel"
    assert "Je confirme l'annulation" in client.get(f"/workshops/sessions/{session_id}/edit").text
    unconfirmed = client.post(url, data={"reason": "Animatrice malade"}, follow_redirects=True)
    assert "Cochez la case de confirmation" in unconfirmed.text
    no_reason = client.post(url, data={"confirm": "y"}, follow_redirects=True)
    assert "Indiquez pourquoi la séance est annulée" in no_reason.text
    with app.app_context():
        assert db.session.get(WorkshopSession, session_id).status == "scheduled"
    within(book, session_id, within(new_person))
    done = client.post(
        url, data={"reason": "Animatrice malade", "confirm": "y"}, follow_redirects=True
    )
    assert "Séance annulée ; 1 personne prévenue." in done.text
    with app.app_context():
        assert db.session.get(WorkshopSession, session_id).status == "cancelled"


def test_closed_days_show_on_the_planning_and_the_programme(app, client, within, tmp_path):
    from ressourcerie.workshops.services import hours as hours_services

    day = next_weekday(3, weeks=4)

    def close():
        site_id = db.session.scalars(select(Site.id).order_by(Site.id)).first()
        hours_services.add_closure(site_id, day, day, "Formation de l'équipe")

    within(close)
    week = client.get(f"/workshops/?date={day.isoformat()}").text
    assert "Fermé — Formation de l&#39;équipe" in week
    month = client.get(f"/workshops/?view=month&date={day.isoformat()}").text
    assert "Fermé — Formation de l&#39;équipe" in month
    pdf = client.get(f"/workshops/programme.pdf?date={day.isoformat()}")
    path = tmp_path / "programme.pdf"
    path.write_bytes(pdf.data)
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Fermé" in text


def test_staff_session_list_shows_two_weeks_then_more_on_request(client, login_as, within):
    login_as("animator")
    soon = within(new_session, day=next_weekday(1, weeks=1))
    later = within(new_session, day=next_weekday(1, weeks=4))
    page = client.get("/workshops/manage").text
    assert f"/workshops/sessions/{soon}/edit" in page
    assert f"/workshops/sessions/{later}/edit" not in page
    assert "/workshops/manage?weeks=6" in page
    assert f"/workshops/sessions/{later}/edit" in client.get("/workshops/manage?weeks=6").text


def test_planning_says_what_paid_sessions_cost(client, within):
    day = next_weekday(1, weeks=2)
    within(new_session, day=day)
    within(lambda: new_session(day=day, activity=build_activity(title="Thé", paid=False)))
    page = client.get(f"/workshops/?date={day.isoformat()}").get_data(as_text=True)
    assert re.search(r"Payant, de 4,50\s€ à 12,00\s€", page)
    assert "Gratuit" in page
    assert page.count('class="btn btn-outline-primary" href="/workshops/?view=week') == 2


def second_site_with_a_session_and_a_closure(day, closed_on):
    from ressourcerie.workshops.services import hours as hours_services

    site = Site(name="Antenne de Mérignac", town="Mérignac")
    db.session.add(site)
    db.session.flush()
    hours_services.set_reference_hours(site.id)
    hours_services.add_closure(site.id, closed_on, closed_on, "Inventaire")
    build_session(activity=build_activity(site_id=site.id, title="Couture"), day=day)


def test_all_sites_month_and_programme_name_the_site_of_each_session_and_closure(
    client, within, tmp_path
):
    day = next_weekday(1, weeks=2)
    closed_on = day + timedelta(days=1)
    within(new_session, day=day)
    within(second_site_with_a_session_and_a_closure, day, closed_on)
    month = client.get(f"/workshops/?view=month&date={day.isoformat()}").text
    assert "Couture · Antenne de Mérignac" in month
    assert "Antenne de Mérignac fermé — Inventaire" in month
    main_site = within(lambda: db.session.scalars(select(Site.name).order_by(Site.id)).first())
    assert f"Yoga doux · {main_site}" in month
    week = client.get(f"/workshops/?date={day.isoformat()}").text
    assert "Antenne de Mérignac fermé — Inventaire" in week
    pdf = client.get(f"/workshops/programme.pdf?date={day.isoformat()}")
    path = tmp_path / "programme.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Antenne de Mérignac fermé — Inventaire" in flat
    assert "· Antenne de" in flat and f"· {main_site.split()[0]}" in flat


def test_one_site_of_several_shows_no_site_names(client, within):
    day = next_weekday(1, weeks=2)
    within(new_session, day=day)
    within(second_site_with_a_session_and_a_closure, day, day + timedelta(days=1))
    site_id = within(
        lambda: db.session.scalars(select(Site.id).where(Site.town == "Mérignac")).one()
    )
    month = client.get(f"/workshops/?view=month&date={day.isoformat()}&site={site_id}").text
    assert "Couture" in month and "Yoga doux" not in month
    assert "· Antenne de Mérignac" not in month
    assert "Fermé — Inventaire" in month


def test_planning_query_count_is_flat(app, client, login_as, within):
    signed_in_member(login_as, within)
    day = next_weekday(1, weeks=2)
    first = within(new_session, day=day)
    within(book, first, within(new_person))
    urls = [f"/workshops/?date={day.isoformat()}", f"/workshops/?view=month&date={day.isoformat()}"]

    def measure():
        counts = []
        for url in urls:
            with count_queries(app) as counter:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(counter["n"])
        return counts

    one = measure()

    def forty_nine():
        for index in range(49):
            activity = build_activity(title=f"Atelier {index}", paid=index % 2 == 0)
            build_session(
                activity=activity, day=day, start=time(10 + index % 7), end=time(11 + index % 7)
            )

    within(forty_nine)
    fifty = measure()
    assert fifty == one
    assert b"Atelier 48" in client.get(urls[0]).data


def test_checkin_query_count_is_flat(app, client, login_as, within):
    login_as("animator")
    session_id = within(new_session, capacity=60)
    within(book, session_id, within(new_person), with_companion=True, companion_notes="canne")
    url = f"/workshops/sessions/{session_id}/checkin"
    with count_queries(app) as one:
        assert client.get(url).status_code == 200

    def forty_nine():
        for _ in range(49):
            book(session_id, new_person())

    within(forty_nine)
    with count_queries(app) as fifty:
        page = client.get(url)
    assert page.status_code == 200
    assert fifty["n"] == one["n"]
    assert b"canne" in page.data  # practical notes are for staff
    assert page.data.count(b'value="attended"') == 50


def test_session_page_states_the_members_price_and_seats(client, login_as, within):
    session_id = within(new_session, capacity=4)
    signed_in_member(login_as, within, member_on=within(session_day, session_id))
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "Vous paierez 6,00" in page
    assert "4 places libres" in page


def test_anonymous_visitor_sees_every_tier(client, within):
    session_id = within(new_session)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "12,00" in page and "6,00" in page and "4,50" in page
    assert "Se connecter" in page


def give_site_contact():
    site = db.session.scalars(select(Site).order_by(Site.id)).first()
    site.address, site.postcode, site.town = "12 rue des Aidants", "33800", "Bordeaux"
    site.phone = "05 56 00 00 00"


def test_session_page_gives_the_full_address_and_a_phone_to_call(client, within):
    within(give_site_contact)
    session_id = within(new_session)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    where = page[page.index('id="where"') :]
    assert "12 rue des Aidants<br>33800 Bordeaux" in where
    assert "Vous pouvez aussi appeler l'accueil au" in page
    assert '<a href="tel:0556000000">05 56 00 00 00</a>' in page


def move_within_the_cancel_deadline(session_id):
    """Move the session 20 hours ahead: past the default 24-hour online cancel deadline."""
    session = db.session.get(WorkshopSession, session_id)
    session.starts_at = utcnow() + timedelta(hours=20)
    session.ends_at = session.starts_at + timedelta(hours=1)


def test_booking_past_the_cancel_deadline_warns_and_stays_possible(app, client, login_as, within):
    session_id = within(new_session)
    within(move_within_the_cancel_deadline, session_id)
    signed_in_member(login_as, within)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "Attention : cette réservation ne pourra plus être annulée en ligne." in page
    assert "Annulation en ligne possible" not in page
    response = client.post(f"/workshops/sessions/{session_id}/book", data={})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Booking.status)).one() == "confirmed"


def test_booking_before_the_deadline_says_until_when(client, login_as, within):
    session_id = within(new_session)
    signed_in_member(login_as, within)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "Annulation en ligne possible jusqu'au" in page
    assert "ne pourra plus être annulée" not in page


def test_my_bookings_past_the_deadline_gives_the_phone_to_call(client, login_as, within):
    within(give_site_contact)
    session_id = within(new_session, start=time(10), end=time(11))
    person_id = signed_in_member(login_as, within)
    within(book, session_id, person_id)
    within(move_within_the_cancel_deadline, session_id)
    page = client.get("/workshops/my-bookings").get_data(as_text=True)
    assert "Sinon, appelez l'accueil." in page
    assert "33800 Bordeaux" in page
    assert page.count('href="tel:0556000000"') == 2  # on the card and where to call


def test_member_books_online_and_sees_it_in_my_bookings(app, client, login_as, within):
    session_id = within(new_session, capacity=1, video_link="https://visio.example.org/salle")
    person_id = signed_in_member(login_as, within)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "visio.example.org" not in page  # only for confirmed participants
    response = client.post(f"/workshops/sessions/{session_id}/book", data={})
    assert response.status_code == 302 and response.location.endswith("/workshops/my-bookings")
    page = client.get("/workshops/my-bookings").get_data(as_text=True)
    assert "Yoga doux" in page and "Confirmée" in page
    assert "visio.example.org/salle" in page
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "visio.example.org/salle" in page
    with app.app_context():
        booking = db.session.scalars(select(Booking)).one()
        assert booking.person_id == person_id and booking.channel == "online"
        kinds = db.session.scalars(select(OutboxMessage.kind)).all()
        assert kinds == ["booking_confirmation"]


def test_companion_with_one_seat_left_is_told_why_it_waits(app, client, login_as, within):
    session_id = within(new_session, capacity=2)
    within(book, session_id, within(new_person))
    signed_in_member(login_as, within)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "1 place libre" in page
    assert 'aria-describedby="companion-hint"' in page
    assert "une place : pour venir à deux, il en faut 2" in page
    response = client.post(
        f"/workshops/sessions/{session_id}/book",
        data={"with_companion": "y", "companion_name": "Jean"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert (
        "Il reste 1 place, il en faut 2 pour vous deux : vous êtes sur la liste d&#39;attente. "
        "Vous pouvez aussi réserver pour vous seul·e." in page
    )
    with app.app_context():
        assert db.session.scalars(select(Booking.status).order_by(Booking.id)).all() == [
            "confirmed",
            "waitlisted",
        ]


def test_no_companion_hint_when_seats_are_plenty(client, login_as, within):
    session_id = within(new_session, capacity=5)
    signed_in_member(login_as, within)
    page = client.get(f"/workshops/sessions/{session_id}").get_data(as_text=True)
    assert "companion-hint" not in page


def test_my_bookings_cards_say_what_to_pay_until_when_and_where_on_the_list(
    app, client, login_as, within
):
    person_id = signed_in_member(login_as, within)
    within(book, within(new_session, start=time(10), end=time(11)), person_id)
    full = within(new_session, capacity=1, start=time(16), end=time(17))
    for _ in range(2):
        within(book, full, within(new_person))
    within(book, full, person_id)
    page = client.get("/workshops/my-bookings").get_data(as_text=True)
    assert re.search(r"12,00\s€ \(Tarif plein\) — à régler sur place", page)
    assert page.count("Annulation en ligne possible jusqu'au") == 1  # the seated one
    assert "Vous êtes 2ᵉ sur la liste d'attente." in page
    assert "btn-sm" not in page[page.index("<main") :]
    assert re.search(
        r'<summary class="btn btn-outline-danger">Annuler<span class="visually-hidden"> '
        r"la réservation « Yoga doux » du \w+ \d+ \w+ à 16:00</span></summary>",
        page,
    )


def test_my_bookings_query_count_is_flat(app, client, login_as, within):
    person_id = signed_in_member(login_as, within)

    def book_waiting(n):
        for _ in range(n):
            session_id = new_session(capacity=1)
            book(session_id, new_person())
            book(session_id, person_id)
            book(new_session(), person_id)

    within(book_waiting, 1)
    client.get("/workshops/my-bookings")
    with count_queries(app) as one:
        assert client.get("/workshops/my-bookings").status_code == 200
    within(book_waiting, 10)
    with count_queries(app) as eleven:
        page = client.get("/workshops/my-bookings").get_data(as_text=True)
    assert page.count("Vous êtes en tête de la liste d'attente.") == 11
    assert eleven["n"] == one["n"]


def test_member_cancels_and_the_waiting_person_is_promoted(app, client, login_as, within):
    session_id = within(new_session, capacity=1)
    person_id = signed_in_member(login_as, within)
    mine = within(book, session_id, person_id)
    waiting = within(book, session_id, within(new_person))
    response = client.post(f"/workshops/my-bookings/{mine}/cancel", data={"reason": "personal"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Booking, waiting).status == "confirmed"
        assert db.session.get(Booking, mine).status == "cancelled"


def test_waiting_for_two_seats_the_member_takes_the_free_one_alone(app, client, login_as, within):
    session_id = within(new_session, capacity=2)
    within(book, session_id, within(new_person))  # one seat taken, one left
    person_id = signed_in_member(login_as, within)
    mine = within(book, session_id, person_id, with_companion=True, companion_name="Marcel")
    page = client.get("/workshops/my-bookings").get_data(as_text=True)
    assert "Prendre la place pour moi seul·e" in page
    response = client.post(f"/workshops/my-bookings/{mine}/alone", follow_redirects=True)
    assert "C&#39;est réservé pour vous seul·e" in response.get_data(as_text=True)
    with app.app_context():
        booking = db.session.get(Booking, mine)
        assert (booking.status, booking.seats, booking.companion_name) == ("confirmed", 1, "")
        session = db.session.get(WorkshopSession, session_id)
        assert session.seats_taken == 2 and session.seats_left == 0
    # Nothing to do twice.
    again = client.post(f"/workshops/my-bookings/{mine}/alone", follow_redirects=True)
    assert "attend pas de place pour deux" in again.get_data(as_text=True)


def test_member_cannot_cancel_someone_elses_booking(client, login_as, within):
    session_id = within(new_session)
    signed_in_member(login_as, within)
    other = within(book, session_id, within(new_person))
    response = client.post(f"/workshops/my-bookings/{other}/cancel", data={"reason": "personal"})
    assert response.status_code == 404


def test_reception_books_a_caregiver_with_relative_and_takes_payment(app, client, login_as, within):
    login_as("reception")
    session_id = within(new_session, capacity=3)
    person_id = within(new_person, member_on=within(session_day, session_id))
    response = client.post(
        f"/workshops/sessions/{session_id}/book-for",
        data={
            "person_id": str(person_id),
            "channel": "phone",
            "with_companion": "y",
            "companion_name": "Marcel",
            "companion_notes": "Déambulateur",
            "method": "cash",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        booking = db.session.scalars(select(Booking)).one()
        assert (booking.status, booking.seats, booking.channel) == ("confirmed", 2, "phone")
        assert (booking.tier, booking.amount_cents) == ("member", 600)
        payment = db.session.get(Payment, booking.payment_id)
        assert (payment.kind, payment.amount_cents) == ("session", 600)
        assert db.session.get(WorkshopSession, session_id).seats_taken == 2


def test_reception_is_told_a_caregiver_waits_for_want_of_a_second_seat(client, login_as, within):
    login_as("reception")
    session_id = within(new_session, capacity=1)
    person_id = within(new_person)
    response = client.post(
        f"/workshops/sessions/{session_id}/book-for",
        data={"person_id": str(person_id), "channel": "phone", "with_companion": "y", "method": ""},
        follow_redirects=True,
    )
    assert "Il reste 1 place, il en faut 2 avec la personne aidée" in response.get_data(
        as_text=True
    )


def test_person_search_and_amounts_have_visible_labels_and_hints(client, login_as, within):
    login_as("reception")
    session_id = within(new_session)
    person_id = within(new_person)
    within(book, session_id, within(new_person))
    for url in (
        f"/workshops/sessions/{session_id}/bookings",
        f"/workshops/sessions/{session_id}/checkin",
    ):
        page = client.get(url).text
        assert '<label class="form-label" for="person-q">Nom, téléphone ou e-mail</label>' in page
        assert "placeholder" not in page[page.index("<main") :]
    page = client.get(f"/workshops/sessions/{session_id}/bookings").text
    assert re.search(r'aria-describedby="pa-\d+-hint"', page)
    assert "1 place prise sur 5" in page
    assert "Exemple : 3,00" in page
    url = f"/workshops/sessions/{session_id}/book-for?person_id={person_id}"
    page = client.get(url).text
    assert 'aria-describedby="amount-hint"' in page and 'id="amount-hint">Exemple : 3,00' in page
    assert "placeholder" not in page[page.index("<main") :]
    wrong = client.post(
        f"/workshops/sessions/{session_id}/book-for",
        data={"person_id": str(person_id), "channel": "phone", "method": "", "amount": "trois"},
    )
    assert wrong.status_code in (200, 422)
    assert 'aria-invalid="true"' in wrong.text and "Exemple : 3,00" in wrong.text


def test_staff_price_override_without_reason_is_refused(app, client, login_as, within):
    login_as("reception")
    session_id = within(new_session)
    person_id = within(new_person)
    response = client.post(
        f"/workshops/sessions/{session_id}/book-for",
        data={"person_id": str(person_id), "channel": "desk", "amount": "2,00", "method": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "raison" in page
    assert 'value="2,00"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalars(select(Booking)).first() is None


def test_animator_marks_attendance_and_adds_a_walk_in(app, client, login_as, within):
    login_as("animator")
    session_id = within(new_session, capacity=3)
    booked_person = within(new_person)
    booked = within(book, session_id, booked_person)
    walker = within(new_person)
    response = client.post(f"/workshops/bookings/{booked}/mark", data={"status": "attended"})
    assert response.status_code == 302
    response = client.post(
        f"/workshops/sessions/{session_id}/walk-in", data={"person_id": str(walker)}
    )
    assert response.status_code == 302
    with app.app_context():
        statuses = {b.person_id: b.status for b in db.session.scalars(select(Booking))}
    assert statuses == {booked_person: "attended", walker: "attended"}


def test_staff_of_another_site_cannot_see_a_session_desk(client, login_as, within):
    def other_site():
        site = Site(name="Autre lieu")
        db.session.add(site)
        db.session.flush()
        return site.id

    other = within(other_site)
    login_as("animator", sites=[other])
    session_id = within(new_session)
    assert client.get(f"/workshops/sessions/{session_id}/checkin").status_code == 404


def _session_form(day, start="19:00", end="20:00", **extra):
    return {
        "day": day.isoformat(),
        "start": start,
        "end": end,
        "capacity": "8",
        "mode": "on_site",
        **extra,
    }


def test_outside_hours_refused_for_animator_and_overridden_by_coordinator(
    app, client, login_as, within
):
    activity_id = within(lambda: build_activity().id)
    day = next_weekday(1, weeks=2)
    login_as("animator")
    url = f"/workshops/activities/{activity_id}/sessions/new"
    response = client.post(url, data=_session_form(day, override_reason="x"))
    assert response.status_code == 200
    assert "10:00–18:00" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(WorkshopSession)).first() is None
    coordinator = app.test_client()
    login_as("coordinator", client=coordinator)
    response = coordinator.post(
        url, data=_session_form(day, override_reason="Soirée exceptionnelle")
    )
    assert response.status_code == 302
    assert "1 séance programmée." in coordinator.get(response.location).text
    with app.app_context():
        session = db.session.scalars(select(WorkshopSession)).one()
        assert session.hours_override_reason == "Soirée exceptionnelle"


def test_coordinator_adding_overlapping_hours_is_told_which_slot(app, client, login_as, within):
    login_as("coordinator")
    with app.app_context():
        before = db.session.scalar(select(func.count(OpeningHours.id)))
    response = client.post(
        "/workshops/opening-hours/add",
        data={"weekday": "1", "opens_at": "12:00", "closes_at": "15:00", "week_of_month": "0"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "chevauche celui du mardi déjà enregistré (10:00–18:00)" in page
    assert 'value="12:00"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(func.count(OpeningHours.id))) == before


def test_animator_creates_a_weekly_series(app, client, login_as, within):
    login_as("animator")
    activity_id = within(lambda: build_activity().id)
    day = next_weekday(1, weeks=2)
    until = (day + timedelta(days=21)).isoformat()
    response = client.post(
        f"/workshops/activities/{activity_id}/sessions/new",
        data=_session_form(day, start="14:00", end="15:30", weekly="y", until=until),
        follow_redirects=True,
    )
    assert "4 séances programmées." in response.text
    with app.app_context():
        assert len(db.session.scalars(select(WorkshopSession)).all()) == 4


def test_public_ical_feed_parses(app, client, within):
    session_id = within(new_session)
    response = client.get("/workshops/planning.ics")
    assert response.mimetype == "text/calendar"
    events = list(icalendar.Calendar.from_ical(response.data).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Yoga doux"]
    with app.app_context():
        starts_at = db.session.get(WorkshopSession, session_id).starts_at
    assert events[0].decoded("dtstart") == starts_at


def test_ical_location_is_an_address_a_map_can_find(client, login_as, within):
    within(give_site_contact)
    session_id = within(new_session, room="Atelier")
    site_name = within(lambda: db.session.scalars(select(Site.name).order_by(Site.id)).first())
    expected = f"{site_name}, 12 rue des Aidants, 33800 Bordeaux (Atelier)"
    public = icalendar.Calendar.from_ical(client.get("/workshops/planning.ics").data)
    assert [str(e["location"]) for e in public.walk("VEVENT")] == [expected]
    within(book, session_id, signed_in_member(login_as, within))
    client.post("/workshops/my-bookings/calendar")
    page = client.get("/workshops/my-bookings").get_data(as_text=True)
    token = re.search(r"/workshops/calendar/([A-Za-z0-9_-]+)\.ics", page).group(1)
    personal = icalendar.Calendar.from_ical(client.get(f"/workshops/calendar/{token}.ics").data)
    assert [str(e["location"]) for e in personal.walk("VEVENT")] == [expected]


def test_personal_feed_behind_a_revocable_secret_link(app, client, login_as, within):
    session_id = within(new_session, video_link="https://visio.example.org/x")
    person_id = signed_in_member(login_as, within)
    within(book, session_id, person_id)
    assert client.post("/workshops/my-bookings/calendar").status_code == 302
    page = client.get("/workshops/my-bookings").get_data(as_text=True)
    token = re.search(r"/workshops/calendar/([A-Za-z0-9_-]+)\.ics", page).group(1)
    feed = client.get(f"/workshops/calendar/{token}.ics")
    assert feed.status_code == 200
    events = list(icalendar.Calendar.from_ical(feed.data).walk("VEVENT"))
    assert len(events) == 1 and "visio.example.org/x" in str(events[0]["description"])
    assert client.post("/workshops/my-bookings/calendar/revoke").status_code == 302
    assert client.get(f"/workshops/calendar/{token}.ics").status_code == 404
    with app.app_context():
        assert calendar_links.person_for_token(token) is None


def test_pdfs_render(client, login_as, within):
    login_as("reception")
    session_id = within(new_session)
    within(book, session_id, within(new_person))
    sheet = client.get(f"/workshops/sessions/{session_id}/sign-in-sheet.pdf")
    assert sheet.mimetype == "application/pdf" and sheet.data.startswith(b"%PDF")
    day = within(session_day, session_id)
    programme = client.get(f"/workshops/programme.pdf?date={day.isoformat()}")
    assert programme.mimetype == "application/pdf" and programme.data.startswith(b"%PDF")


def test_reminders_command_is_idempotent(runner, within):
    session_id = within(new_session)
    within(book, session_id, within(new_person))
    day_before = (within(session_day, session_id) - timedelta(days=1)).isoformat()
    first = runner.invoke(args=["reminders", "send", "--on", day_before])
    second = runner.invoke(args=["reminders", "send", "--on", day_before])
    assert "1 workshop reminder(s) queued." in first.output
    assert "0 workshop reminder(s) queued." in second.output
