"""Booking rules: seats, waiting list and promotion, deadlines, companions, prices, payments."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from ressourcerie.extensions import db
from ressourcerie.members.models import Payment
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security.models import AuditEvent
from ressourcerie.settings import services as settings
from ressourcerie.workshops.models import Booking, WorkshopSession
from ressourcerie.workshops.services import bookings
from ressourcerie.workshops.services.bookings import BookingError


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def fresh(session: WorkshopSession) -> WorkshopSession:
    db.session.expire_all()
    return db.session.get(WorkshopSession, session.id)


def test_books_until_full_then_waitlists_in_order(make_session, make_person):
    session = make_session(capacity=2)
    people = [make_person() for _ in range(4)]
    made = [bookings.book(session, person, by=None) for person in people]
    db.session.commit()
    assert [b.status for b in made] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert fresh(session).seats_taken == 2
    assert len(outbox("booking_confirmation")) == 4


def test_cancel_promotes_first_waiting_person_in_same_transaction(make_session, make_person):
    session = make_session(capacity=1)
    first, second, third = (make_person() for _ in range(3))
    seated = bookings.book(session, first, by=None)
    waiting_1 = bookings.book(session, second, by=None)
    bookings.book(session, third, by=None)
    db.session.commit()
    promoted = bookings.cancel(seated, reason="personal", by=None, by_member=True)
    db.session.commit()
    assert [b.id for b in promoted] == [waiting_1.id]
    statuses = {b.person_id: b.status for b in db.session.scalars(select(Booking))}
    assert statuses == {first.id: "cancelled", second.id: "confirmed", third.id: "waitlisted"}
    assert fresh(session).seats_taken == 1
    messages = outbox("waitlist_promotion")
    assert [m.to_address for m in messages] == [second.email]


def test_companion_takes_a_second_seat_and_notes_stay_private(make_session, make_person):
    session = make_session(capacity=2)
    caregiver, other = make_person(), make_person()
    booking = bookings.book(
        session,
        caregiver,
        by=None,
        with_companion=True,
        companion_name="Paul",
        companion_notes="Fauteuil roulant",
    )
    late = bookings.book(session, other, by=None)
    db.session.commit()
    assert booking.status == "confirmed" and booking.seats == 2
    assert late.status == "waitlisted"
    assert fresh(session).seats_taken == 2
    stored = db.session.execute(
        text("SELECT companion_notes FROM booking WHERE id = :id"), {"id": booking.id}
    ).scalar_one()
    assert "Fauteuil" not in stored  # encrypted at rest


def test_companion_waiting_lets_a_single_person_pass(make_session, make_person):
    session = make_session(capacity=2)
    a, b, c = make_person(), make_person(), make_person()
    seated = bookings.book(session, a, by=None)
    bookings.book(session, b, by=None)
    pair = bookings.book(session, c, by=None, with_companion=True)
    d = make_person()
    single = bookings.book(session, d, by=None)
    db.session.commit()
    promoted = bookings.cancel(seated, reason="illness", by=None, by_member=False)
    assert [x.id for x in promoted] == [single.id]
    assert pair.status == "waitlisted"


def test_same_person_cannot_book_twice(make_session, make_person):
    session = make_session()
    person = make_person()
    bookings.book(session, person, by=None)
    db.session.commit()
    with pytest.raises(BookingError):
        bookings.book(session, person, by=None)


def test_rebooking_after_cancelling_reuses_the_row(make_session, make_person):
    session = make_session()
    person = make_person()
    booking = bookings.book(session, person, by=None)
    bookings.cancel(booking, reason="personal", by=None, by_member=True)
    again = bookings.book(session, person, by=None)
    db.session.commit()
    assert again.id == booking.id and again.status == "confirmed"
    assert fresh(session).seats_taken == 1


def test_member_cannot_cancel_after_deadline_except_caregiving_emergency(make_session, make_person):
    session = make_session()
    person = make_person()
    booking = bookings.book(session, person, by=None)
    db.session.commit()
    late = session.starts_at - timedelta(hours=3)
    with pytest.raises(BookingError, match="délai"):
        bookings.cancel(booking, reason="personal", by=None, by_member=True, now=late)
    bookings.cancel(booking, reason="caregiving_emergency", by=None, by_member=True, now=late)
    assert booking.status == "cancelled"
    assert booking.late_cancellation is False  # never counted against anyone


def test_staff_late_cancellation_is_counted_unless_emergency(make_session, make_person):
    session = make_session()
    one, two = make_person(), make_person()
    b1 = bookings.book(session, one, by=None)
    b2 = bookings.book(session, two, by=None)
    late = session.starts_at - timedelta(hours=2)
    bookings.cancel(b1, reason="personal", by=None, by_member=False, now=late)
    bookings.cancel(b2, reason="caregiving_emergency", by=None, by_member=False, now=late)
    assert (b1.late_cancellation, b2.late_cancellation) == (True, False)


def test_deadline_follows_the_setting(make_session, make_person):
    session = make_session()
    person = make_person()
    booking = bookings.book(session, person, by=None)
    settings.set_value(
        "booking.cancel_hours", "48", session.starts_at.date() - timedelta(days=30), by_id=None
    )
    db.session.commit()
    assert bookings.cancel_deadline(session) == session.starts_at - timedelta(hours=48)
    with pytest.raises(BookingError):
        bookings.cancel(
            booking,
            reason="personal",
            by=None,
            by_member=True,
            now=session.starts_at - timedelta(hours=30),
        )


def test_deadlines_of_many_sessions_follow_the_setting_in_force_on_each_date(make_session):
    early = make_session()
    late = make_session(day=early.starts_at.date() + timedelta(days=14))
    settings.set_value(
        "booking.cancel_hours", "48", late.starts_at.date() - timedelta(days=1), by_id=None
    )
    db.session.commit()
    deadlines = bookings.cancel_deadlines([early, late])
    assert deadlines == {
        early.id: early.starts_at - timedelta(hours=24),
        late.id: late.starts_at - timedelta(hours=48),
    }
    assert deadlines[late.id] == bookings.cancel_deadline(late)


def test_booking_keeps_tier_and_amount_after_price_change(make_session, make_person):
    session = make_session()
    person = make_person()
    booking = bookings.book(session, person, by=None)
    db.session.commit()
    settings.set_value(
        "price.full", "20", session.starts_at.date() - timedelta(days=60), by_id=None
    )
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Booking, booking.id)
    assert (stored.tier, stored.amount_cents) == ("full", 1200)


def test_price_override_needs_reason_and_is_logged(make_session, make_person):
    session = make_session()
    booking = bookings.book(session, make_person(), by=None)
    with pytest.raises(BookingError):
        bookings.override_price(booking, 300, "", by=None)
    bookings.override_price(booking, 300, "Situation difficile", by=None)
    db.session.commit()
    assert booking.amount_cents == 300
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "booking.price_override")
    ).one()
    assert event.object_id == str(booking.id)


def test_payment_goes_to_the_ledger_and_is_linked(make_session, make_person):
    session = make_session()
    booking = bookings.book(session, make_person(member_on=session.starts_at.date()), by=None)
    payment = bookings.pay(booking, "cash", by=None)
    db.session.commit()
    assert booking.payment_id == payment.id
    row = db.session.get(Payment, payment.id)
    assert (row.kind, row.amount_cents, row.method) == ("session", 600, "cash")
    with pytest.raises(BookingError):
        bookings.pay(booking, "cash", by=None)


def test_free_session_costs_nothing_and_cannot_be_paid(make_session, make_activity, make_person):
    session = make_session(activity=make_activity(paid=False))
    booking = bookings.book(session, make_person(), by=None)
    assert (booking.tier, booking.amount_cents) == ("free", 0)
    with pytest.raises(BookingError):
        bookings.pay(booking, "cash", by=None)


def test_checkin_marks_and_walk_in_takes_a_free_seat(make_session, make_person):
    session = make_session(capacity=2)
    booked = bookings.book(session, make_person(), by=None)
    bookings.mark(booked, "attended", by=None)
    walker = bookings.walk_in(session, make_person(), by=None)
    db.session.commit()
    assert booked.status == "attended" and booked.checked_in_at is not None
    assert walker.status == "attended" and walker.channel == "walk_in"
    with pytest.raises(BookingError, match="complète"):
        bookings.walk_in(session, make_person(), by=None)


def test_cancelled_session_refuses_bookings(make_session, make_person):
    session = make_session(status="cancelled")
    with pytest.raises(BookingError):
        bookings.book(session, make_person(), by=None)


def test_reminders_are_queued_once(make_session, make_person):
    session = make_session()
    person, no_email = make_person(), make_person(email=None)
    bookings.book(session, person, by=None)
    bookings.book(session, no_email, by=None)
    db.session.commit()
    day_before = session.starts_at - timedelta(days=1)
    assert bookings.queue_reminders(day_before) == 1
    db.session.commit()
    assert bookings.queue_reminders(day_before) == 0
    assert len(outbox("session_reminder")) == 1
    # two days before: nothing yet
    assert bookings.queue_reminders(session.starts_at - timedelta(days=3)) == 0
