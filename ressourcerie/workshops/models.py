"""Activities, sessions (single or weekly series), opening hours, closures, bookings and
personal calendar links."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.extensions import db
from ressourcerie.members.models import Payment, Person
from ressourcerie.security.crypto import EncryptedText
from ressourcerie.security.models import Site, User


class Category(StrEnum):
    PHYSICAL = "physical"
    WELLBEING = "wellbeing"
    LEISURE = "leisure"
    PRACTICAL = "practical"
    SOCIAL = "social"
    SUPPORT = "support"


class Mode(StrEnum):
    ON_SITE = "on_site"
    REMOTE = "remote"
    HYBRID = "hybrid"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


# States that hold seats on the session (counted in WorkshopSession.seats_taken).
SEATED = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class Tier(StrEnum):
    FULL = "full"
    MEMBER = "member"
    REDUCED = "reduced"
    FREE = "free"


class Channel(StrEnum):
    ONLINE = "online"
    PHONE = "phone"
    DESK = "desk"
    WALK_IN = "walk_in"


class CancelReason(StrEnum):
    PERSONAL = "personal"
    CAREGIVING_EMERGENCY = "caregiving_emergency"
    ILLNESS = "illness"
    SESSION_CANCELLED = "session_cancelled"
    OTHER = "other"


class Activity(db.Model):
    """What is offered (yoga, a talk group...); sessions are its dated occurrences."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    # Plain-language summary (FALC style) for readers who need it.
    easy_summary: Mapped[str] = mapped_column(Text, default="")
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default=Category.LEISURE)
    mode: Mapped[str] = mapped_column(String(10), default=Mode.ON_SITE)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    # A staff member, or an external provider named in facilitator_name.
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    facilitator_name: Mapped[str] = mapped_column(String(160), default="")
    default_capacity: Mapped[int] = mapped_column(Integer, default=10)
    default_duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()
    facilitator: Mapped[User | None] = relationship()

    @property
    def facilitator_label(self) -> str:
        if self.facilitator is not None:
            return self.facilitator.display_name
        return self.facilitator_name


class SessionSeries(db.Model):
    """A weekly recurrence; its occurrences are ordinary sessions that can be changed alone."""

    __tablename__ = "session_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    until: Mapped[date] = mapped_column(Date)  # last day included
    local_start: Mapped[time] = mapped_column(Time)  # wall-clock time in Europe/Paris
    duration_minutes: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SessionState:
    """What a session's status and seats say, for the model and the planning's plain rows
    (both have `status`, `capacity` and `seats_taken`)."""

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


class WorkshopSession(SessionState, db.Model):
    """An activity at a site at a given time."""

    __tablename__ = "workshop_session"
    __table_args__ = (
        Index("ix_workshop_session_site_starts_at", "site_id", "starts_at"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("session_series.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    # Seats held by confirmed/attended/no-show bookings (companions included); changed only
    # by one conditional UPDATE so that concurrent bookings never exceed capacity.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    room: Mapped[str] = mapped_column(String(120), default="")
    mode: Mapped[str] = mapped_column(String(10), default=Mode.ON_SITE)
    video_link: Mapped[str] = mapped_column(String(500), default="")  # confirmed people only
    status: Mapped[str] = mapped_column(String(10), default=SessionStatus.SCHEDULED)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    # Set when a coordinator placed the session outside opening hours.
    hours_override_reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()
    site: Mapped[Site] = relationship()
    bookings: Mapped[list[Booking]] = relationship(
        back_populates="session", order_by="Booking.id", viewonly=True
    )


class Booking(db.Model):
    """A person's seat (or place on the waiting list) at a session."""

    __tablename__ = "booking"
    __table_args__ = (
        # One booking per person and session: a cancelled one is reused when booking again.
        UniqueConstraint("session_id", "person_id", name="one_per_person"),
        Index("ix_booking_session_status", "session_id", "status"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_session.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    # The relative cared for by the person, taking a second seat.
    with_companion: Mapped[bool] = mapped_column(Boolean, default=False)
    companion_name: Mapped[str] = mapped_column(String(120), default="")
    # Practical notes (mobility, diet...), for staff only, encrypted at rest.
    companion_notes: Mapped[str | None] = mapped_column(EncryptedText)
    tier: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(Integer)
    price_override_reason: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Waiting-list order: the time the person joined the list (then the id).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(String(30), default="")
    # Cancelled after the deadline for a reason that counts (never a caregiving emergency).
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))

    session: Mapped[WorkshopSession] = relationship(back_populates="bookings")
    person: Mapped[Person] = relationship()
    payment: Mapped[Payment | None] = relationship()
    booked_by: Mapped[User | None] = relationship(foreign_keys=[booked_by_id])

    @property
    def seats(self) -> int:
        return 2 if self.with_companion else 1

    @property
    def holds_seats(self) -> bool:
        return self.status in SEATED

    @property
    def is_active(self) -> bool:
        return self.status in (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class OpeningHours(db.Model):
    """One opening interval of a site on a weekday (several per day are allowed)."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    # Only the n-th such weekday of the month (1 = first); None = every week.
    week_of_month: Mapped[int | None] = mapped_column(Integer)

    def applies_on(self, day: date) -> bool:
        if day.weekday() != self.weekday:
            return False
        return self.week_of_month is None or (day.day - 1) // 7 + 1 == self.week_of_month


class Closure(db.Model):
    """Days a site is closed (holidays, works), first and last day included."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(120), default="")


class CalendarLink(db.Model):
    """The secret link of a person's personal iCalendar feed; revoked links stop working."""

    __tablename__ = "calendar_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
