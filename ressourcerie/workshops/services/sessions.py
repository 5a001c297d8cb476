"""Activities and sessions: create one or a weekly series, move, cancel (telling everyone)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ressourcerie import dates
from ressourcerie.columns import LOCAL_TZ, utcnow
from ressourcerie.extensions import db
from ressourcerie.security import audit
from ressourcerie.security.models import User
from ressourcerie.workshops.models import (
    Activity,
    Booking,
    BookingStatus,
    CancelReason,
    SessionSeries,
    SessionStatus,
    WorkshopSession,
)
from ressourcerie.workshops.services import bookings, hours, notices

MAX_OCCURRENCES = 60  # a weekly series longer than a year is a typing mistake


class SessionError(Exception):
    """A session change that cannot be made; the message is shown as is."""


@dataclass
class Slot:
    """Where and when: what every session form gives."""

    day: date
    start: time
    end: time
    capacity: int
    room: str = ""
    mode: str = "on_site"
    video_link: str = ""

    def bounds(self, day: date | None = None) -> tuple[datetime, datetime]:
        """UTC instants of the slot on `day`, from Paris wall-clock time (DST-safe)."""
        day = day or self.day
        starts = datetime.combine(day, self.start, tzinfo=LOCAL_TZ)
        ends = datetime.combine(day, self.end, tzinfo=LOCAL_TZ)
        return starts, ends


@dataclass
class SeriesResult:
    sessions: list[WorkshopSession]
    skipped: list[tuple[date, str]] = field(default_factory=list)  # closure days


def _check_slot(slot: Slot) -> None:
    if slot.end <= slot.start:
        raise SessionError(_("L'heure de fin doit être après l'heure de début."))
    if slot.capacity < 1:
        raise SessionError(_("La capacité doit être d'au moins une place."))


def _check_hours(site_id: int, starts: datetime, ends: datetime, override_reason: str) -> None:
    try:
        hours.check(site_id, starts, ends)
    except hours.OutsideOpeningHours as error:
        if not override_reason:
            raise SessionError(
                _(
                    "%(why)s Une coordinatrice ou un coordinateur peut passer outre en "
                    "indiquant une raison.",
                    why=str(error),
                )
            ) from error


def _new_session(activity: Activity, slot: Slot, starts, ends, *, by: User | None):
    session = WorkshopSession(
        activity_id=activity.id,
        site_id=activity.site_id,
        starts_at=starts,
        ends_at=ends,
        capacity=slot.capacity,
        seats_taken=0,
        room=slot.room.strip(),
        mode=slot.mode,
        video_link=slot.video_link.strip(),
        status=SessionStatus.SCHEDULED,
        created_by_id=by.id if by else None,
    )
    db.session.add(session)
    return session


def _record_override(session: WorkshopSession, reason: str, by: User | None) -> None:
    session.hours_override_reason = reason[:300]
    audit.record(
        "workshops",
        "session.hours_override",
        actor=by,
        object_type="workshop_session",
        object_id=session.id,
        site_id=session.site_id,
        detail={"reason": reason[:300]},
    )


def create_session(
    activity: Activity, slot: Slot, *, by: User | None, override_reason: str = ""
) -> WorkshopSession:
    """One session; outside opening hours only with a coordinator's reason (logged)."""
    _check_slot(slot)
    override_reason = (override_reason or "").strip()
    starts, ends = slot.bounds()
    _check_hours(activity.site_id, starts, ends, override_reason)
    session = _new_session(activity, slot, starts, ends, by=by)
    db.session.flush()
    if override_reason and not _inside_hours(activity.site_id, starts, ends):
        _record_override(session, override_reason, by)
    return session


def _inside_hours(site_id: int, starts: datetime, ends: datetime) -> bool:
    try:
        hours.check(site_id, starts, ends)
    except hours.OutsideOpeningHours:
        return False
    return True


def weekly_days(first_day: date, until: date) -> list[date]:
    if until < first_day:
        raise SessionError(_("La date de fin de la série doit suivre la première séance."))
    days = []
    day = first_day
    while day <= until:
        days.append(day)
        day += timedelta(days=7)
    if len(days) > MAX_OCCURRENCES:
        raise SessionError(
            _(
                "Une série compte au plus %(n)s séances : rapprochez la date de fin.",
                n=MAX_OCCURRENCES,
            )
        )
    return days


def create_series(
    activity: Activity, slot: Slot, until: date, *, by: User | None, override_reason: str = ""
) -> SeriesResult:
    """Every week from slot.day to `until`, at the same Paris time even across DST changes.

    Closure days are skipped (and reported); other refusals stop the whole series unless
    overridden.
    """
    _check_slot(slot)
    override_reason = (override_reason or "").strip()
    days = weekly_days(slot.day, until)
    result = SeriesResult(sessions=[])
    planned = []
    for day in days:
        closure = hours.closure_on(activity.site_id, day)
        if closure is not None:
            result.skipped.append((day, closure.label))
            continue
        starts, ends = slot.bounds(day)
        try:
            _check_hours(activity.site_id, starts, ends, override_reason)
        except SessionError as error:
            raise SessionError(
                _("Séance du %(day)s : %(why)s", day=dates.day(day, "d MMMM y"), why=str(error))
            ) from error
        planned.append((starts, ends))
    if not planned:
        raise SessionError(_("Aucune séance possible : le lieu est fermé à toutes ces dates."))
    series = SessionSeries(
        activity_id=activity.id,
        first_day=slot.day,
        until=until,
        local_start=slot.start,
        duration_minutes=int(
            (
                datetime.combine(slot.day, slot.end) - datetime.combine(slot.day, slot.start)
            ).total_seconds()
            // 60
        ),
        created_by_id=by.id if by else None,
    )
    db.session.add(series)
    db.session.flush()
    for starts, ends in planned:
        session = _new_session(activity, slot, starts, ends, by=by)
        session.series_id = series.id
        result.sessions.append(session)
    db.session.flush()
    if override_reason:
        for session in result.sessions:
            if not _inside_hours(activity.site_id, session.starts_at, session.ends_at):
                _record_override(session, override_reason, by)
    return result


def update_session(
    session: WorkshopSession, slot: Slot, *, by: User | None, override_reason: str = ""
) -> int:
    """Move one session or change its room, capacity, mode or link. When the time, the room
    or the mode changes, everyone booked or waiting is told (returns how many e-mails)."""
    if session.is_cancelled:
        raise SessionError(_("Cette séance est annulée."))
    _check_slot(slot)
    if slot.capacity < session.seats_taken:
        raise SessionError(
            _(
                "%(n)s places sont déjà prises : la capacité ne peut pas être plus petite.",
                n=session.seats_taken,
            )
        )
    override_reason = (override_reason or "").strip()
    starts, ends = slot.bounds()
    _check_hours(session.site_id, starts, ends, override_reason)
    before = (session.starts_at, session.ends_at, session.room, session.mode)
    session.starts_at, session.ends_at = starts, ends
    grew = slot.capacity > session.capacity
    session.capacity = slot.capacity
    session.room = slot.room.strip()
    session.mode = slot.mode
    session.video_link = slot.video_link.strip()
    db.session.flush()
    if override_reason and not _inside_hours(session.site_id, starts, ends):
        _record_override(session, override_reason, by)
    if grew:  # new seats go to the waiting list first, in order
        bookings.promote_waitlist(session)
    told = 0
    if before != (session.starts_at, session.ends_at, session.room, session.mode):
        for booking in db.session.scalars(
            select(Booking).where(
                Booking.session_id == session.id,
                Booking.status.in_([BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]),
            )
        ):
            told += notices.session_changed(booking, previous_start=before[0])
    return told


def cancel_session(session: WorkshopSession, *, reason: str, by: User | None) -> int:
    """Cancel the session and every active booking; tell each person. Returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise SessionError(_("Indiquez pourquoi la séance est annulée : les personnes le liront."))
    if session.is_cancelled:
        raise SessionError(_("Cette séance est déjà annulée."))
    now = utcnow()
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    session.cancel_reason = reason[:300]
    bookings = list(
        db.session.scalars(
            select(Booking).where(
                Booking.session_id == session.id,
                Booking.status.in_([BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]),
            )
        )
    )
    for booking in bookings:
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = CancelReason.SESSION_CANCELLED
        notices.session_cancelled(booking, reason)
    session.seats_taken = 0
    db.session.flush()
    audit.record(
        "workshops",
        "session.cancelled",
        actor=by,
        object_type="workshop_session",
        object_id=session.id,
        site_id=session.site_id,
        detail={"bookings": len(bookings)},
    )
    return len(bookings)
