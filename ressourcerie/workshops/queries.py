"""Read-side queries for the planning, session, check-in and bookings pages (eager-loaded)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload, selectinload

from ressourcerie.columns import local_day_bounds
from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.security.models import Site, User
from ressourcerie.workshops.models import (
    Activity,
    Booking,
    BookingStatus,
    SessionState,
    SessionStatus,
    WorkshopSession,
)

# Staff are shown by name only here: their roles and sites (selectin) stay unloaded.
NAME_ONLY = (lazyload(User.role_rows), lazyload(User.sites))


@dataclass
class PlanningFilters:
    site_id: int | None = None
    category: str | None = None
    mode: str | None = None
    free_only: bool = False


@dataclass(frozen=True, slots=True)
class PlanningItem(SessionState):
    """What the planning shows of a session: plain values, no ORM object to build."""

    id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    capacity: int
    seats_taken: int
    mode: str
    title: str
    category: str
    paid: bool
    site_name: str


def _planning_filter(statement, first, last, filters: PlanningFilters, include_cancelled: bool):
    start, end = local_day_bounds(first, last)
    statement = statement.where(
        WorkshopSession.starts_at >= start,
        WorkshopSession.starts_at < end,
        Site.active.is_(True),
        Activity.active.is_(True),
    ).order_by(WorkshopSession.starts_at, WorkshopSession.id)
    if not include_cancelled:
        statement = statement.where(WorkshopSession.status == SessionStatus.SCHEDULED)
    if filters.site_id:
        statement = statement.where(WorkshopSession.site_id == filters.site_id)
    if filters.category:
        statement = statement.where(Activity.category == filters.category)
    if filters.mode:
        statement = statement.where(WorkshopSession.mode == filters.mode)
    if filters.free_only:
        statement = statement.where(Activity.paid.is_(False))
    return statement


def planning_sessions(
    first: date, last: date, filters: PlanningFilters, *, include_cancelled: bool = True
) -> list[WorkshopSession]:
    """Sessions of active sites between two Paris dates (included), in time order."""
    statement = (
        select(WorkshopSession)
        .join(WorkshopSession.activity)
        .join(WorkshopSession.site)
        .options(
            joinedload(WorkshopSession.activity)
            .joinedload(Activity.facilitator)
            .options(*NAME_ONLY),
            joinedload(WorkshopSession.site),
        )
    )
    statement = _planning_filter(statement, first, last, filters, include_cancelled)
    return list(db.session.scalars(statement).unique())


def planning_items(first: date, last: date, filters: PlanningFilters) -> list[PlanningItem]:
    """The planning's sessions as plain rows (same selection as `planning_sessions`)."""
    statement = (
        select(
            WorkshopSession.id,
            WorkshopSession.starts_at,
            WorkshopSession.ends_at,
            WorkshopSession.status,
            WorkshopSession.capacity,
            WorkshopSession.seats_taken,
            WorkshopSession.mode,
            Activity.title,
            Activity.category,
            Activity.paid,
            Site.name,
        )
        .select_from(WorkshopSession)
        .join(WorkshopSession.activity)
        .join(WorkshopSession.site)
    )
    statement = _planning_filter(statement, first, last, filters, True)
    return [PlanningItem(*row) for row in db.session.execute(statement)]


def active_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name)))


def person_bookings_by_session(person_id: int | None, session_ids) -> dict[int, Booking]:
    """The person's booking of each listed session (one query)."""
    ids = list(session_ids)
    if person_id is None or not ids:
        return {}
    rows = db.session.scalars(
        select(Booking).where(Booking.person_id == person_id, Booking.session_id.in_(ids))
    )
    return {booking.session_id: booking for booking in rows}


def load_session(session_id: int) -> WorkshopSession | None:
    return db.session.execute(
        select(WorkshopSession)
        .where(WorkshopSession.id == session_id)
        .options(
            joinedload(WorkshopSession.activity)
            .joinedload(Activity.facilitator)
            .options(*NAME_ONLY),
            joinedload(WorkshopSession.site),
        )
    ).scalar_one_or_none()


def session_bookings(session_id: int) -> list[Booking]:
    """Every booking of a session for the staff and check-in pages: seated people by name,
    then the waiting list in order, then cancellations."""
    rows = list(
        db.session.scalars(
            select(Booking)
            .where(Booking.session_id == session_id)
            .options(
                joinedload(Booking.person),
                joinedload(Booking.payment),
                joinedload(Booking.booked_by).options(*NAME_ONLY),
            )
        )
    )
    rank = {
        BookingStatus.CONFIRMED: 0,
        BookingStatus.ATTENDED: 0,
        BookingStatus.NO_SHOW: 0,
        BookingStatus.WAITLISTED: 1,
        BookingStatus.CANCELLED: 2,
    }

    def key(booking: Booking):
        waiting = booking.waitlisted_at.timestamp() if booking.waitlisted_at else 0
        return (
            rank.get(booking.status, 3),
            waiting if booking.status == BookingStatus.WAITLISTED else 0,
            booking.person.search_last_name,
            booking.person.search_name,
            booking.id,
        )

    return sorted(rows, key=key)


def bookings_for_person(person_id: int, limit: int = 20) -> list[Booking]:
    """A person's bookings, latest sessions first (person page, 'Mes réservations')."""
    return list(
        db.session.scalars(
            select(Booking)
            .join(Booking.session)
            .where(Booking.person_id == person_id)
            .options(
                joinedload(Booking.session).joinedload(WorkshopSession.activity),
                joinedload(Booking.session).joinedload(WorkshopSession.site),
                joinedload(Booking.payment),
            )
            .order_by(WorkshopSession.starts_at.desc(), Booking.id.desc())
            .limit(limit)
        ).unique()
    )


def waitlist_positions(bookings) -> dict[int, int]:
    """The place (1 = next) of each waiting booking on its session's list, in one query:
    the waiting bookings of the same session queued before it, itself included."""
    ids = [booking.id for booking in bookings if booking.status == BookingStatus.WAITLISTED]
    if not ids:
        return {}
    ahead = aliased(Booking)
    rows = db.session.execute(
        select(Booking.id, func.count(ahead.id))
        .join(
            ahead,
            and_(
                ahead.session_id == Booking.session_id,
                ahead.status == BookingStatus.WAITLISTED,
                or_(
                    ahead.waitlisted_at < Booking.waitlisted_at,
                    and_(ahead.waitlisted_at == Booking.waitlisted_at, ahead.id <= Booking.id),
                ),
            ),
        )
        .where(Booking.id.in_(ids))
        .group_by(Booking.id)
    )
    return {booking_id: place for booking_id, place in rows}


def upcoming_bookings(person_id: int, since: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .join(Booking.session)
            .where(Booking.person_id == person_id, WorkshopSession.ends_at >= since)
            .options(
                joinedload(Booking.session).joinedload(WorkshopSession.activity),
                joinedload(Booking.session).joinedload(WorkshopSession.site),
            )
            .order_by(WorkshopSession.starts_at, Booking.id)
        ).unique()
    )


def person_feed_bookings(person_id: int, since: datetime) -> list[Booking]:
    """Seated or waiting bookings of a person from `since` on (personal iCal feed)."""
    return [
        booking
        for booking in upcoming_bookings(person_id, since)
        if booking.status != BookingStatus.CANCELLED
    ]


def activities_of(site_ids: set[int]) -> list[Activity]:
    return list(
        db.session.scalars(
            select(Activity)
            .where(Activity.site_id.in_(list(site_ids) or [-1]))
            .options(joinedload(Activity.site), joinedload(Activity.facilitator))
            .order_by(Activity.active.desc(), Activity.title)
        )
    )


def staff_sessions(
    site_ids: set[int], since: datetime, *, until: datetime | None = None, limit: int = 200
) -> list[WorkshopSession]:
    """Upcoming sessions of the staff member's sites (staff session list)."""
    return list(
        db.session.scalars(
            select(WorkshopSession)
            .where(
                WorkshopSession.site_id.in_(list(site_ids) or [-1]),
                WorkshopSession.ends_at >= since,
                *([WorkshopSession.starts_at < until] if until is not None else []),
            )
            .options(joinedload(WorkshopSession.activity), joinedload(WorkshopSession.site))
            .order_by(WorkshopSession.starts_at)
            .limit(limit)
        ).unique()
    )


def person_choices(ids) -> list[Person]:
    return list(db.session.scalars(select(Person).where(Person.id.in_(list(ids)))))


def series_sessions(series_id: int) -> list[WorkshopSession]:
    return list(
        db.session.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.series_id == series_id)
            .options(selectinload(WorkshopSession.activity))
            .order_by(WorkshopSession.starts_at)
        )
    )


def overlapping_bookings(person_id: int, session: WorkshopSession) -> list[WorkshopSession]:
    """Other sessions at the same time that the person is booked on or waiting for."""
    return list(
        db.session.scalars(
            select(WorkshopSession)
            .join(Booking, Booking.session_id == WorkshopSession.id)
            .options(joinedload(WorkshopSession.activity).options(lazyload(Activity.facilitator)))
            .where(
                Booking.person_id == person_id,
                Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)),
                WorkshopSession.id != session.id,
                WorkshopSession.status == SessionStatus.SCHEDULED,
                WorkshopSession.starts_at < session.ends_at,
                WorkshopSession.ends_at > session.starts_at,
            )
            .order_by(WorkshopSession.starts_at)
        )
    )
