"""Workshops of the network: the reference activities at every site, sessions over five
years and the next eight weeks, and their bookings."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from ressourcerie.columns import local_date, utcnow
from ressourcerie.members.models import CaregiverStatus, PaymentKind
from ressourcerie.scale.generator import COMPANION_NOTES, PRICES, Generator, Human
from ressourcerie.security.models import Role
from ressourcerie.workshops.demo import ACCESSIBILITY, ACTIVITIES
from ressourcerie.workshops.models import (
    Activity,
    Booking,
    BookingStatus,
    CancelReason,
    Channel,
    Mode,
    SessionStatus,
    WorkshopSession,
)


def add_sessions(gen: Generator) -> None:
    """Each site runs the reference activities; sessions fall on (week, activity) pairs
    drawn at random over five years and the next eight weeks."""
    activities, gen.session_rows = [], []
    now = utcnow()
    mean_capacity = sum(row[7] for row in ACTIVITIES) / len(ACTIVITIES)
    first_monday = gen.start - timedelta(days=gen.start.weekday())
    weeks = (gen.today + timedelta(weeks=8) - first_monday).days // 7
    quota = gen.counts.sessions // len(gen.site_rows)
    extra = gen.counts.sessions - quota * len(gen.site_rows)

    def build() -> None:
        for site in range(len(gen.site_rows)):
            site_activities = []
            animator = gen.staff_of[site].get(Role.ANIMATOR)
            for number, row in enumerate(ACTIVITIES):
                title, category, paid, mode, weekday, start, minutes, capacity, who, summary = row
                activity_id = gen.new_id(Activity.__table__)
                activities.append(
                    {
                        "id": activity_id,
                        "site_id": gen.site_id(site),
                        "title": title,
                        "description": gen.rng.choice(gen.sentences),
                        "easy_summary": summary,
                        "accessibility_notes": ACCESSIBILITY,
                        "category": category.value,
                        "mode": mode.value,
                        "paid": paid,
                        "facilitator_id": animator if not who and number % 2 == 0 else None,
                        "facilitator_name": who,
                        "default_capacity": capacity,
                        "default_duration_minutes": minutes,
                        "active": True,
                        "created_at": gen.moment(gen.start, time(9)),
                    }
                )
                site_activities.append((activity_id, row))
            wanted = quota + (1 if site < extra else 0)
            cells = []
            for week in range(weeks):
                for activity_id, row in site_activities:
                    day = first_monday + timedelta(weeks=week, days=row[4])
                    # Nothing during the end-of-year closure.
                    if (day.month, day.day) < (12, 24) and (day.month, day.day) != (1, 1):
                        cells.append((day, activity_id, row))
            chosen = gen.rng.sample(cells, min(len(cells), wanted))
            for day, activity_id, row in sorted(chosen, key=lambda cell: cell[:2]):
                start, minutes, capacity, mode = row[5], row[6], row[7], row[3]
                starts_at = gen.moment(day, start)
                cancelled = gen.rng.random() < 0.03
                gen.session_rows.append(
                    {
                        "id": gen.new_id(WorkshopSession.__table__),
                        "activity_id": activity_id,
                        "site_id": gen.site_id(site),
                        "series_id": None,
                        "starts_at": starts_at,
                        "ends_at": starts_at + timedelta(minutes=minutes),
                        "capacity": max(4, round(capacity * 18 / mean_capacity)),
                        "seats_taken": 0,
                        "room": gen.rng.choice(("Salle du jardin", "Grande salle", "Atelier")),
                        "mode": mode.value,
                        "video_link": f"https://visio.example.org/{activity_id}"
                        if mode != Mode.ON_SITE
                        else "",
                        "status": (
                            SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED
                        ).value,
                        "cancelled_at": min(starts_at - timedelta(days=2), now)
                        if cancelled
                        else None,
                        "cancel_reason": "Intervenant·e absent·e" if cancelled else "",
                        "hours_override_reason": "",
                        "created_by_id": animator,
                        "created_at": min(starts_at - timedelta(days=30), now),
                        "_site": site,
                        "_paid": row[2],
                    }
                )

    gen.timed("workshop_session", build)
    gen.write(Activity.__table__, activities)


def add_bookings(gen: Generator) -> None:
    """Fill sessions person by person: seats first, then the waiting list.

    seats_taken is the sum of the seats of seated bookings (companions count twice).
    """
    gen.booking_rows: list[tuple] = []
    total_capacity = sum(row["capacity"] for row in gen.session_rows) or 1
    per_seat = gen.counts.bookings / total_capacity
    now = utcnow()
    channels = list(Channel)

    def build() -> None:
        remaining = gen.counts.bookings
        for number, session in enumerate(gen.session_rows):
            left_sessions = len(gen.session_rows) - number
            wanted = min(remaining, round(session["capacity"] * per_seat))
            if left_sessions == 1:
                wanted = remaining
            site, day = session["_site"], local_date(session["starts_at"])
            pool = gen.humans_by_site[site]
            arrived = bisect.bisect_right(gen.first_days_by_site[site], day)
            candidates = pool[:arrived] if arrived >= wanted else pool
            people = gen.rng.sample(candidates, min(wanted, len(candidates)))
            remaining -= len(people)
            book(gen, session, people, now, channels)

    gen.timed("booking", build)


def book(gen: Generator, session: dict, people: Sequence[Human], now: datetime, channels) -> None:
    starts_at = session["starts_at"]
    past = session["ends_at"] < now
    cancelled_session = session["status"] == SessionStatus.CANCELLED
    day = local_date(starts_at)
    reception = gen.staff_of[session["_site"]].get(Role.RECEPTION)
    seats = 0
    for human in people:
        booked_at = starts_at - timedelta(days=gen.rng.randint(1, 20), minutes=human.id % 600)
        booked_at = min(booked_at, now - timedelta(minutes=human.id % 600 + 1))  # never ahead
        companion = human.caregiver != CaregiverStatus.UNKNOWN and gen.rng.random() < 0.1
        need = 2 if companion else 1
        tier = human.tier_on(day, session["_paid"])
        cancelled_at = cancel_reason = waitlisted_at = checked_in_at = payment_id = None
        if cancelled_session:
            status, cancelled_at = BookingStatus.CANCELLED, session["cancelled_at"]
            cancel_reason = CancelReason.SESSION_CANCELLED
        elif gen.rng.random() < 0.08:
            status = BookingStatus.CANCELLED
            cancelled_at = booked_at + (min(starts_at, now) - booked_at) / 2
            cancel_reason = gen.rng.choice(
                (CancelReason.PERSONAL, CancelReason.CAREGIVING_EMERGENCY, CancelReason.ILLNESS)
            )
        elif seats + need <= session["capacity"]:
            seats += need
            status = BookingStatus.CONFIRMED
            if past:
                attended = gen.rng.random() < 0.88
                status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
                checked_in_at = starts_at if attended else None
                if attended and PRICES[tier] > 0:
                    label = f"Atelier du {day:%d/%m/%Y}"
                    payment_id = gen.payment(
                        session["_site"],
                        human.id,
                        PaymentKind.SESSION,
                        label,
                        PRICES[tier],
                        starts_at,
                    )
        else:
            status, waitlisted_at = BookingStatus.WAITLISTED, booked_at
        channel = gen.rng.choice(channels)
        gen.booking_rows.append(
            (
                gen.new_id(Booking.__table__),
                session["id"],
                human.id,
                status.value,
                companion,
                gen.rng.choice(gen.women) if companion else "",
                gen.rng.choice(COMPANION_NOTES) if companion else None,
                tier.value,
                PRICES[tier],
                channel.value,
                None if channel == Channel.ONLINE else reception,
                booked_at,
                waitlisted_at,
                cancelled_at,
                cancel_reason.value if cancel_reason else "",
                checked_in_at,
                starts_at - timedelta(days=1) if past and not cancelled_at else None,
                payment_id,
            )
        )
    session["seats_taken"] = seats


def write_sessions_and_bookings(gen: Generator) -> None:
    columns = (
        "id session_id person_id status with_companion companion_name companion_notes tier "
        "amount_cents channel booked_by_id booked_at waitlisted_at cancelled_at "
        "cancel_reason checked_in_at reminder_queued_at payment_id"
    ).split()
    for row in gen.session_rows:
        del row["_site"], row["_paid"]
    gen.write(WorkshopSession.__table__, gen.session_rows)
    gen.write(Booking.__table__, (dict(zip(columns, row, strict=True)) for row in gen.booking_rows))
    gen.booking_rows = []
