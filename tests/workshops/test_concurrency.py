"""Capacity holds under simultaneous requests, through real separate connections
(SQLite by default, PostgreSQL when TEST_DATABASE_URL is set)."""

import threading

from sqlalchemy import func, select

from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.workshops.models import Booking, WorkshopSession
from ressourcerie.workshops.services import bookings
from ressourcerie.workshops.services.bookings import BookingError

REQUESTS = 50


def _run_in_threads(make_app, session_id, person_ids):
    # One connection per request, all open at once: a pool as large as the crowd.
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": len(person_ids) + 2, "max_overflow": 0})
    barrier = threading.Barrier(len(person_ids))
    errors = []

    def worker(person_id):
        with app.app_context(), app.test_request_context():
            try:
                session = db.session.get(WorkshopSession, session_id)
                person = db.session.get(Person, person_id)
                barrier.wait(timeout=30)
                bookings.book(session, person, by=None)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(pid,)) for pid in person_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_fifty_simultaneous_requests_for_five_seats(make_app, make_session, make_person):
    session = make_session(capacity=8)
    early = [make_person() for _ in range(3)]
    for person in early:
        bookings.book(session, person, by=None)
    db.session.commit()
    people = [make_person() for _ in range(REQUESTS)]
    session_id, person_ids = session.id, [p.id for p in people]

    errors = _run_in_threads(make_app, session_id, person_ids)

    assert errors == []
    db.session.expire_all()
    counts = dict(
        db.session.execute(
            select(Booking.status, func.count())
            .where(Booking.session_id == session_id, Booking.person_id.in_(person_ids))
            .group_by(Booking.status)
        ).all()
    )
    assert counts == {"confirmed": 5, "waitlisted": REQUESTS - 5}
    assert db.session.get(WorkshopSession, session_id).seats_taken == 8


def test_one_person_booking_twice_at_once_gets_one_booking(make_app, make_session, make_person):
    session = make_session(capacity=10)
    person = make_person()
    errors = _run_in_threads(make_app, session.id, [person.id] * 8)
    assert all(isinstance(error, BookingError) for error in errors), errors
    db.session.expire_all()
    rows = db.session.scalars(select(Booking).where(Booking.session_id == session.id)).all()
    assert len(rows) == 1
    assert db.session.get(WorkshopSession, session.id).seats_taken == 1
