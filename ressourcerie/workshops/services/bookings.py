"""Booking, cancelling, the waiting list, check-in, price overrides and payments.

Capacity is guarded by one conditional UPDATE of `workshop_session.seats_taken`
(`... WHERE seats_taken + n <= capacity`): the database applies it atomically and
holds the row (PostgreSQL) or the write lock (SQLite) until commit, so simultaneous
bookings can never exceed capacity. The unique constraint (session, person) stops a
person from holding two bookings of one session.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ressourcerie import dates
from ressourcerie.columns import local_date, local_day_bounds, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.members.services.payments import record_payment
from ressourcerie.security import audit
from ressourcerie.security.models import User
from ressourcerie.settings import services as settings
from ressourcerie.workshops.models import (
    Booking,
    BookingStatus,
    CancelReason,
    Channel,
    SessionStatus,
    WorkshopSession,
)
from ressourcerie.workshops.services import notices
from ressourcerie.workshops.services.pricing import price_for


class BookingError(Exception):
    """A booking change that cannot be made; the message is shown as is.

    The caller rolls the transaction back (seats may have been taken already)."""


def take_seats(session_id: int, seats: int) -> bool:
    """Atomically take `seats` on a scheduled session if they are free."""
    result = db.session.execute(
        update(WorkshopSession)
        .where(
            WorkshopSession.id == session_id,
            WorkshopSession.status == SessionStatus.SCHEDULED,
            WorkshopSession.seats_taken + seats <= WorkshopSession.capacity,
        )
        .values(seats_taken=WorkshopSession.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    _expire_counter(session_id)
    return result.rowcount == 1


def release_seats(session_id: int, seats: int) -> None:
    db.session.execute(
        update(WorkshopSession)
        .where(WorkshopSession.id == session_id, WorkshopSession.seats_taken >= seats)
        .values(seats_taken=WorkshopSession.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )
    _expire_counter(session_id)


def _expire_counter(session_id: int) -> None:
    loaded = db.session.identity_map.get(db.session.identity_key(WorkshopSession, session_id), None)
    if loaded is not None:
        db.session.expire(loaded, ["seats_taken"])


def lock_session(session_id: int) -> None:
    """PostgreSQL: hold the session row while the waiting list is reordered (SQLite holds
    the database write lock from the first write on)."""
    db.session.execute(
        select(WorkshopSession.id).where(WorkshopSession.id == session_id).with_for_update()
    )


def cancel_deadline(session: WorkshopSession) -> datetime:
    hours = settings.get("booking.cancel_hours", on=local_date(session.starts_at))
    return session.starts_at - timedelta(hours=hours)


def cancel_deadlines(sessions) -> dict[int, datetime]:
    """The online cancellation deadline of each session (by id), reading the setting's
    history once rather than once per session."""
    sessions = list(sessions)
    hours = settings.values_on("booking.cancel_hours", [local_date(s.starts_at) for s in sessions])
    return {s.id: s.starts_at - timedelta(hours=hours[local_date(s.starts_at)]) for s in sessions}


def existing_booking(session_id: int, person_id: int) -> Booking | None:
    return db.session.execute(
        select(Booking).where(Booking.session_id == session_id, Booking.person_id == person_id)
    ).scalar_one_or_none()


def book(
    session: WorkshopSession,
    person: Person,
    *,
    by: User | None,
    channel: str = Channel.ONLINE,
    with_companion: bool = False,
    companion_name: str = "",
    companion_notes: str = "",
    amount_override_cents: int | None = None,
    override_reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book `person` (and the relative they care for) on `session`: a confirmed seat when
    one is free, otherwise a place at the end of the waiting list."""
    now = now or utcnow()
    if session.is_cancelled:
        raise BookingError(_("Cette séance est annulée."))
    if person.anonymised_at is not None:
        raise BookingError(_("Cette personne n'est plus dans le fichier."))
    limit = session.starts_at if channel == Channel.ONLINE else session.ends_at
    if now >= limit:
        raise BookingError(_("Cette séance a déjà commencé : les réservations sont closes."))
    booking = existing_booking(session.id, person.id)
    if booking is not None and booking.status != BookingStatus.CANCELLED:
        raise BookingError(
            _(
                "%(name)s est déjà inscrit·e à cette séance.",
                name=person.full_name or _("Cette personne"),
            )
        )
    price = price_for(person, paid=session.activity.paid, day=local_date(session.starts_at))
    # Take the seats first: this UPDATE is the transaction's first write (it waits for, then
    # holds, the lock), and nothing half-built is flushed before it.
    seated = take_seats(session.id, 2 if with_companion else 1)
    if booking is None:
        booking = Booking(session_id=session.id, person_id=person.id)
        db.session.add(booking)
    booking.person = person
    booking.session = session
    booking.with_companion = bool(with_companion)
    booking.companion_name = (companion_name or "").strip()[:120] if with_companion else ""
    booking.companion_notes = (companion_notes or "").strip() or None if with_companion else None
    booking.tier = price.tier
    booking.amount_cents = price.amount_cents
    booking.price_override_reason = ""
    booking.channel = channel
    booking.booked_by_id = by.id if by else None
    booking.booked_at = now
    booking.cancelled_at = None
    booking.cancel_reason = ""
    booking.late_cancellation = False
    booking.promoted_at = None
    booking.checked_in_at = None
    booking.reminder_queued_at = None
    booking.status = BookingStatus.CONFIRMED if seated else BookingStatus.WAITLISTED
    booking.waitlisted_at = None if seated else now
    name = person.full_name  # read now: a failed flush expires every loaded object
    try:
        db.session.flush()
    except IntegrityError as error:  # the same person booked at the same instant
        raise BookingError(_("%(name)s est déjà inscrit·e à cette séance.", name=name)) from error
    if amount_override_cents is not None and amount_override_cents != booking.amount_cents:
        override_price(booking, amount_override_cents, override_reason, by=by)
    notices.booking_recorded(booking)
    return booking


def cancel(
    booking: Booking,
    *,
    reason: str,
    by: User | None,
    by_member: bool,
    now: datetime | None = None,
) -> list[Booking]:
    """Cancel a booking; a freed seat goes to the waiting list in order, in this same
    transaction. Members cancel online until the deadline, later only for a caregiving
    emergency. Returns the promoted bookings."""
    now = now or utcnow()
    session = booking.session
    if not booking.is_active:
        raise BookingError(_("Cette réservation n'est plus active."))
    if reason not in set(CancelReason):
        raise BookingError(_("Choisissez la raison de l'annulation."))
    late = now > cancel_deadline(session)
    if by_member:
        if now >= session.starts_at:
            raise BookingError(_("La séance a commencé : l'annulation n'est plus possible."))
        if late and reason != CancelReason.CAREGIVING_EMERGENCY and booking.status == "confirmed":
            raise BookingError(
                _(
                    "Le délai d'annulation en ligne est passé. Appelez l'accueil, ou choisissez "
                    "« urgence liée à l'aide d'un proche » : elle ne vous sera jamais reprochée."
                )
            )
    was_seated = booking.status == BookingStatus.CONFIRMED
    lock_session(session.id)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = reason
    # A caregiving emergency is never counted against anyone, nor is leaving the list.
    booking.late_cancellation = was_seated and late and reason != CancelReason.CAREGIVING_EMERGENCY
    db.session.flush()
    promoted: list[Booking] = []
    if was_seated:
        release_seats(session.id, booking.seats)
        promoted = promote_waitlist(session, now=now)
    return promoted


def come_alone(booking: Booking, *, now: datetime | None = None) -> bool:
    """A booking waiting for two seats (with a companion) becomes a booking for one, and the
    waiting list is served again in order in this same transaction: nobody ahead loses
    their turn. True when it got a seat."""
    if booking.status != BookingStatus.WAITLISTED or not booking.with_companion:
        raise BookingError(_("Cette réservation n'attend pas de place pour deux."))
    lock_session(booking.session_id)
    booking.with_companion = False
    booking.companion_name = ""
    booking.companion_notes = None
    db.session.flush()
    return booking in promote_waitlist(booking.session, now=now)


def promote_waitlist(session: WorkshopSession, *, now: datetime | None = None) -> list[Booking]:
    """Give free seats to the waiting list in order (a booking with a companion needing two
    seats lets the next single person pass when only one is free). Tells each promoted
    person."""
    now = now or utcnow()
    if session.is_cancelled or now >= session.starts_at:
        return []
    lock_session(session.id)
    waiting = db.session.scalars(
        select(Booking)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.WAITLISTED)
        .order_by(Booking.waitlisted_at, Booking.id)
    )
    promoted = []
    for candidate in waiting:
        if take_seats(session.id, candidate.seats):
            candidate.status = BookingStatus.CONFIRMED
            candidate.promoted_at = now
            promoted.append(candidate)
            notices.promoted(candidate)
        db.session.refresh(session, ["seats_taken"])
        if session.seats_left == 0:
            break
    db.session.flush()
    return promoted


def mark(booking: Booking, status: str, *, by: User | None, now: datetime | None = None) -> None:
    """Check-in: attended or no-show. A waiting person who comes takes a free seat."""
    if status not in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW, BookingStatus.CONFIRMED):
        raise BookingError(_("État inconnu."))
    if booking.status == BookingStatus.CANCELLED:
        raise BookingError(_("Cette réservation est annulée."))
    if booking.status == BookingStatus.WAITLISTED:
        if status != BookingStatus.ATTENDED:
            raise BookingError(_("Cette personne est sur la liste d'attente."))
        if not take_seats(booking.session_id, booking.seats):
            raise BookingError(_("La séance est complète : aucune place libre pour l'accueillir."))
    booking.status = status
    booking.checked_in_at = (now or utcnow()) if status == BookingStatus.ATTENDED else None
    db.session.flush()


def walk_in(
    session: WorkshopSession,
    person: Person,
    *,
    by: User | None,
    with_companion: bool = False,
    companion_name: str = "",
    now: datetime | None = None,
) -> Booking:
    """Someone arrives without booking: booked and marked present, if a seat is free."""
    now = now or utcnow()
    existing = existing_booking(session.id, person.id)
    if existing is not None and existing.status != BookingStatus.CANCELLED:
        mark(existing, BookingStatus.ATTENDED, by=by, now=now)
        return existing
    booking = book(
        session,
        person,
        by=by,
        channel=Channel.WALK_IN,
        with_companion=with_companion,
        companion_name=companion_name,
        now=now,
    )
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError(_("La séance est complète : aucune place libre pour l'accueillir."))
    booking.status = BookingStatus.ATTENDED
    booking.checked_in_at = now
    db.session.flush()
    return booking


def override_price(booking: Booking, amount_cents: int, reason: str, *, by: User | None) -> None:
    """Staff set another amount than the tier price; the reason is required and logged."""
    reason = (reason or "").strip()
    if amount_cents < 0:
        raise BookingError(_("Le montant ne peut pas être négatif."))
    if not reason:
        raise BookingError(_("Indiquez la raison du changement de prix."))
    if booking.payment_id is not None:
        raise BookingError(_("Cette séance est déjà payée : le prix ne peut plus changer."))
    previous = booking.amount_cents
    booking.amount_cents = amount_cents
    booking.price_override_reason = reason[:300]
    db.session.flush()
    audit.record(
        "workshops",
        "booking.price_override",
        actor=by,
        object_type="booking",
        object_id=booking.id,
        site_id=booking.session.site_id,
        detail={"from_cents": previous, "to_cents": amount_cents, "reason": reason[:300]},
    )


def pay(booking: Booking, method: str, *, by: User | None):
    """Record the booking's amount in the payments ledger and link the receipt."""
    if booking.payment_id is not None:
        raise BookingError(_("Cette séance est déjà payée."))
    if booking.amount_cents <= 0:
        raise BookingError(_("Rien à payer pour cette séance."))
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.WAITLISTED):
        raise BookingError(_("Seule une place confirmée se paie."))
    session = booking.session
    payment = record_payment(
        site=session.site,
        person=booking.person,
        kind="session",
        label=_(
            "%(title)s du %(day)s",
            title=session.activity.title,
            day=dates.day(local_date(session.starts_at), "d MMMM y"),
        )[:200],
        amount_cents=booking.amount_cents,
        method=method,
        by=by,
    )
    booking.payment_id = payment.id
    booking.payment = payment
    db.session.flush()
    return payment


def queue_reminders(now: datetime | None = None) -> int:
    """Queue the day-before reminder of every confirmed booking of tomorrow's sessions, once
    each (a conditional UPDATE marks it, so running the command twice sends nothing more)."""
    now = now or utcnow()
    tomorrow = local_date(now) + timedelta(days=1)
    start, end = local_day_bounds(tomorrow, tomorrow)
    candidates = db.session.scalars(
        select(Booking)
        .join(Booking.session)
        .where(
            WorkshopSession.status == SessionStatus.SCHEDULED,
            WorkshopSession.starts_at >= start,
            WorkshopSession.starts_at < end,
            Booking.status == BookingStatus.CONFIRMED,
            Booking.reminder_queued_at.is_(None),
        )
        .order_by(Booking.id)
    ).all()
    queued = 0
    for booking in candidates:
        claimed = db.session.execute(
            update(Booking)
            .where(Booking.id == booking.id, Booking.reminder_queued_at.is_(None))
            .values(reminder_queued_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed and notices.reminder(booking):
            queued += 1
    db.session.flush()
    return queued
