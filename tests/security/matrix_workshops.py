"""Route × role matrix: workshops (planning, sessions, bookings, check-in, opening hours)."""

from tests.security.matrix import ANIMATOR, FRONT_DESK, RECEPTION, STAFF, Route

COORDINATOR = {"coordinator"}
MEMBER = {"member"}
S = "/workshops/sessions/{ws_session_id}"
B = "/workshops/bookings/{ws_booking_id}"

ROUTES = {
    # Public pages: the planning, a session, the feeds and the wall programme.
    "workshops.planning": Route("GET", "/workshops/", "public"),
    "workshops.session_page": Route("GET", S, "public"),
    "workshops.public_feed": Route("GET", "/workshops/planning.ics", "public"),
    # The secret link is the key; an unknown one finds nothing.
    "workshops.personal_feed": Route(
        "GET", "/workshops/calendar/not-a-token.ics", "public", ok=404
    ),
    "workshops.programme_pdf": Route("GET", "/workshops/programme.pdf", "public"),
    # Members: the matrix member has no Person record, so acting on one finds nothing.
    "workshops.book": Route("POST", S + "/book", MEMBER, ok=404),
    "workshops.my_bookings": Route("GET", "/workshops/my-bookings", MEMBER),
    "workshops.cancel_my_booking": Route(
        "POST", "/workshops/my-bookings/{ws_booking_id}/cancel", MEMBER, ok=404
    ),
    "workshops.come_alone": Route(
        "POST", "/workshops/my-bookings/{ws_booking_id}/alone", MEMBER, ok=404
    ),
    "workshops.new_calendar_link": Route("POST", "/workshops/my-bookings/calendar", MEMBER, ok=404),
    "workshops.revoke_calendar_link": Route(
        "POST", "/workshops/my-bookings/calendar/revoke", MEMBER, ok=404
    ),
    # Staff of the site.
    "workshops.sessions_list": Route("GET", "/workshops/manage", STAFF),
    "workshops.new_activity": Route("GET", "/workshops/activities/new", ANIMATOR),
    "workshops.edit_activity": Route(
        "GET", "/workshops/activities/{ws_activity_id}/edit", ANIMATOR
    ),
    "workshops.new_session": Route(
        "GET", "/workshops/activities/{ws_activity_id}/sessions/new", ANIMATOR
    ),
    "workshops.edit_session": Route("GET", S + "/edit", ANIMATOR),
    # Without a reason the page comes back with a message.
    "workshops.cancel_session": Route("POST", S + "/cancel", ANIMATOR, ok=302),
    "workshops.opening_hours": Route("GET", "/workshops/opening-hours", COORDINATOR),
    "workshops.add_hours": Route("POST", "/workshops/opening-hours/add", COORDINATOR, ok=422),
    "workshops.delete_hours": Route(
        "POST", "/workshops/opening-hours/{ws_hours_id}/delete", COORDINATOR, ok=302
    ),
    "workshops.add_closure": Route(
        "POST", "/workshops/opening-hours/closures/add", COORDINATOR, ok=422
    ),
    "workshops.delete_closure": Route(
        "POST", "/workshops/opening-hours/closures/{ws_closure_id}/delete", COORDINATOR, ok=302
    ),
    "workshops.session_bookings": Route("GET", S + "/bookings", FRONT_DESK),
    "workshops.book_for": Route("GET", S + "/book-for?person_id={ws_person_id}", FRONT_DESK),
    # Empty forms: refused as bad requests, or sent back with a message.
    "workshops.staff_cancel_booking": Route("POST", B + "/cancel", FRONT_DESK, ok=400),
    "workshops.override_price": Route("POST", B + "/price", FRONT_DESK, ok=302),
    "workshops.pay_booking": Route("POST", B + "/pay", RECEPTION, ok=400),
    "workshops.checkin": Route("GET", S + "/checkin", FRONT_DESK),
    "workshops.mark_booking": Route("POST", B + "/mark", FRONT_DESK, ok=400),
    "workshops.walk_in": Route("POST", S + "/walk-in", FRONT_DESK, ok=400),
    "workshops.sign_in_sheet": Route("GET", S + "/sign-in-sheet.pdf", FRONT_DESK),
}


def url_values(app, make_user):
    from datetime import date, datetime, time, timedelta

    from ressourcerie.columns import LOCAL_TZ, local_today
    from ressourcerie.extensions import db
    from ressourcerie.members.models import Person
    from ressourcerie.security.models import Site
    from ressourcerie.workshops.models import Activity, WorkshopSession
    from ressourcerie.workshops.services import bookings, hours

    with app.test_request_context():
        site = db.session.query(Site).order_by(Site.id).first()
        hours.set_reference_hours(site.id)
        opening = hours.hours_of(site.id)[0]
        closure = hours.add_closure(site.id, date(2030, 1, 1), date(2030, 1, 1), "Test")
        activity = Activity(site_id=site.id, title="Matrice", category="social", paid=True)
        db.session.add(activity)
        db.session.flush()
        day = local_today() + timedelta(days=10)
        session = WorkshopSession(
            activity_id=activity.id,
            site_id=site.id,
            starts_at=datetime.combine(day, time(14), tzinfo=LOCAL_TZ),
            ends_at=datetime.combine(day, time(15), tzinfo=LOCAL_TZ),
            capacity=5,
            seats_taken=0,
        )
        db.session.add(session)
        person = Person(site_id=site.id)
        person.set_identity("Matrice", "Atelier")
        db.session.add(person)
        db.session.flush()
        booking = bookings.book(session, person, by=None)
        db.session.commit()
        return {
            "ws_session_id": session.id,
            "ws_activity_id": activity.id,
            "ws_booking_id": booking.id,
            "ws_person_id": person.id,
            "ws_hours_id": opening.id,
            "ws_closure_id": closure.id,
        }
