"""Messages of this feature, queued in the outbox in the caller's transaction."""

from flask_babel import gettext as _

from ressourcerie.members.models import Person
from ressourcerie.notifications.services import queue_email
from ressourcerie.workshops.models import Booking


def address_of(person: Person) -> str | None:
    if person.anonymised_at is not None:
        return None
    if person.email:
        return person.email
    return person.user.email if person.user is not None else None


def _queue(booking: Booking, *, kind: str, subject: str, template: str, **context) -> bool:
    to = address_of(booking.person)
    if not to:
        return False  # booked by phone without an address: the desk calls instead
    queue_email(
        kind=kind,
        to=to,
        subject=subject,
        template=template,
        person=booking.person,
        booking=booking,
        session=booking.session,
        activity=booking.session.activity,
        **context,
    )
    return True


def booking_recorded(booking: Booking) -> bool:
    if booking.status == "waitlisted":
        subject = _("Liste d'attente : %(title)s", title=booking.session.activity.title)
    else:
        subject = _("Réservation confirmée : %(title)s", title=booking.session.activity.title)
    return _queue(booking, kind="booking_confirmation", subject=subject, template="workshop_booked")


def promoted(booking: Booking) -> bool:
    return _queue(
        booking,
        kind="waitlist_promotion",
        subject=_("Une place s'est libérée : %(title)s", title=booking.session.activity.title),
        template="workshop_promoted",
    )


def session_cancelled(booking: Booking, reason: str) -> bool:
    return _queue(
        booking,
        kind="session_cancelled",
        subject=_("Séance annulée : %(title)s", title=booking.session.activity.title),
        template="workshop_cancelled",
        reason=reason,
    )


def session_changed(booking: Booking, *, previous_start) -> bool:
    return _queue(
        booking,
        kind="session_changed",
        subject=_("Séance modifiée : %(title)s", title=booking.session.activity.title),
        template="workshop_changed",
        previous_start=previous_start,
    )


def reminder(booking: Booking) -> bool:
    return _queue(
        booking,
        kind="session_reminder",
        subject=_("Rappel : %(title)s demain", title=booking.session.activity.title),
        template="workshop_reminder",
    )
