"""Demo rows for the reports: visits, memberships and workshop sessions from 1 January of
last year up to the recent months the other demo seeds cover, so "last year" and "last
quarter" reports are not empty."""

from __future__ import annotations

import random
from collections import deque
from datetime import date, datetime, time, timedelta

from faker import Faker
from sqlalchemy import func, select

from ressourcerie.columns import LOCAL_TZ, local_date, local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import (
    CaregiverStatus,
    Membership,
    PaymentKind,
    PaymentMethod,
    Person,
    Visit,
)
from ressourcerie.members.services.payments import record_payment
from ressourcerie.security.models import Site
from ressourcerie.workshops.models import Activity, Booking, BookingStatus, Tier, WorkshopSession
from ressourcerie.workshops.services.pricing import lowest_price

PURPOSES = (
    ["activity"] * 5 + ["information"] * 2 + ["social_time"] * 2 + ["support_request", "other"]
)
OPEN_WEEKDAYS = (1, 2, 4, 5)  # Tuesday, Wednesday, Friday, Saturday
# Prices of last year's paid sessions: they went up on 1 July (for the "price change" figure).
PRICES = {Tier.FULL: (800, 900), Tier.MEMBER: (500, 600), Tier.REDUCED: (350, 450)}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def seed(site: Site, fake: Faker) -> list[str]:
    """Create last year's rows at `site` (idempotent); return lines to print."""
    year = local_today().year - 1
    first = date(year, 1, 1)
    already = db.session.execute(
        select(Visit.id)
        .where(Visit.site_id == site.id, Visit.visited_at < _at(date(year + 1, 1, 1), 0))
        .limit(1)
    ).scalar_one_or_none()
    people = list(
        db.session.scalars(
            select(Person)
            .where(Person.site_id == site.id, Person.anonymised_at.is_(None))
            .order_by(Person.id)
        )
    )
    activities = list(
        db.session.scalars(
            select(Activity).where(Activity.site_id == site.id).order_by(Activity.id)
        )
    )
    if already is not None or len(people) < 20 or not activities:
        return []
    # History fills the gap up to where the other seeds' recent months begin.
    earliest_visit = db.session.execute(
        select(func.min(Visit.visited_at)).where(Visit.site_id == site.id)
    ).scalar()
    earliest_session = db.session.execute(
        select(func.min(WorkshopSession.starts_at)).where(WorkshopSession.site_id == site.id)
    ).scalar()
    today = local_today()
    last = min(today, local_date(earliest_visit) if earliest_visit else today) - timedelta(days=1)
    last_session_day = min(
        today, local_date(earliest_session) if earliest_session else today
    ) - timedelta(days=1)
    rng = random.Random(2025)

    # Newcomers arrive all along the history (a quarter were already regulars on 1 January):
    # each comes first on their arrival day, and about half never come back.
    span = max((today - first).days, 0)  # the latest arrivals come in the recent seeds
    arrival = {
        person.id: first if index < len(people) // 4 else first + timedelta(rng.randint(0, span))
        for index, person in enumerate(people)
    }
    coming = deque(sorted(people, key=lambda person: (arrival[person.id], person.id)))
    once_only = {person.id for person in people if rng.random() < 0.45}
    regulars: list[Person] = []
    came: set[int] = set()
    visits = 0
    day = first
    while day <= last:
        if day.weekday() in OPEN_WEEKDAYS:
            todays: list[Person | None] = []
            wanted = rng.randint(1, 6)
            while coming and arrival[coming[0].id] <= day and len(todays) < wanted:
                newcomer = coming.popleft()
                todays.append(newcomer)
                if newcomer.id not in once_only:
                    regulars.append(newcomer)
            while len(todays) < wanted:
                anonymous = not regulars or rng.random() < 0.06
                todays.append(None if anonymous else rng.choice(regulars))
            for who in todays:
                # The desk ticks "arrives as caregiver" for people who say they are: on
                # their first visit, then now and then.
                says_so = False
                if who is not None:
                    roll = rng.random()
                    says_so = who.caregiver_status == CaregiverStatus.SELF_DECLARED and (
                        who.id not in came or roll < 0.4
                    )
                    came.add(who.id)
                db.session.add(
                    Visit(
                        site_id=site.id,
                        person_id=who.id if who else None,
                        visited_at=_at(day, rng.randint(10, 17), rng.randrange(0, 60, 5)),
                        purpose=rng.choice(PURPOSES),
                        as_caregiver=says_so,
                    )
                )
                visits += 1
        day += timedelta(days=1)

    with_membership = set(
        db.session.scalars(select(Membership.person_id).where(Membership.site_id == site.id))
    )
    newcomers = [p for p in people if p.id not in with_membership]
    memberships = 0
    for index, who in enumerate(newcomers[:36]):
        starts_on = first + timedelta(days=rng.randint(0, 290))
        previous = None
        if index % 4 == 0:  # a renewal of the year before
            previous = Membership(
                person_id=who.id,
                site_id=site.id,
                starts_on=starts_on - timedelta(days=365),
                ends_on=starts_on - timedelta(days=1),
                fee_cents=1500,
            )
            db.session.add(previous)
            db.session.flush()
        payment = record_payment(
            site=site,
            person=who,
            kind=PaymentKind.MEMBERSHIP,
            label=f"Adhésion {starts_on.year}",
            amount_cents=1500,
            method=rng.choice([PaymentMethod.CASH, PaymentMethod.CARD]),
            by=None,
            received_at=_at(starts_on, 11),
        )
        db.session.add(
            Membership(
                person_id=who.id,
                site_id=site.id,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=364),
                fee_cents=1500,
                payment_id=payment.id,
                renewal_of_id=previous.id if previous else None,
            )
        )
        memberships += 1

    # Each booking gets the tier the price rules give on the session date: member only with
    # a membership covering that day, reduced only while eligible, else full.
    db.session.flush()
    covered: dict[int, list[tuple[date, date]]] = {}
    for person_id, starts_on, ends_on in db.session.execute(
        select(Membership.person_id, Membership.starts_on, Membership.ends_on).where(
            Membership.person_id.in_([person.id for person in people])
        )
    ):
        covered.setdefault(person_id, []).append((starts_on, ends_on))

    def price(who: Person, day: date, paid: bool) -> tuple[str, int]:
        if not paid:
            return Tier.FREE, 0
        tiers = {Tier.FULL}
        if any(starts_on <= day <= ends_on for starts_on, ends_on in covered.get(who.id, ())):
            tiers.add(Tier.MEMBER)
        if who.reduced_rate_on(day):
            tiers.add(Tier.REDUCED)
        after_rise = (day.year, day.month) >= (year, 7)
        chosen = lowest_price(tiers, {tier: cents[after_rise] for tier, cents in PRICES.items()})
        return chosen.tier, chosen.amount_cents

    sessions = bookings = 0
    for index, activity in enumerate(activities):
        day = first + timedelta(days=(1 + index % 4 - first.weekday()) % 7 + 7 * (index % 2))
        while day <= last_session_day:
            if day.month == 8:  # closed in August
                day += timedelta(days=14)
                continue
            starts_at = _at(day, 14 if index % 2 else 10, 30)
            cancelled = rng.random() < 0.04
            session = WorkshopSession(
                activity_id=activity.id,
                site_id=site.id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=activity.default_duration_minutes),
                capacity=activity.default_capacity,
                mode=activity.mode,
                status="cancelled" if cancelled else "scheduled",
                cancelled_at=starts_at - timedelta(days=2) if cancelled else None,
            )
            db.session.add(session)
            db.session.flush()
            sessions += 1
            if not cancelled:
                taken = 0
                for who in rng.sample(
                    people, min(len(people), rng.randint(3, activity.default_capacity))
                ):
                    tier, cents = price(who, day, activity.paid)
                    roll = rng.random()
                    status = (
                        BookingStatus.ATTENDED
                        if roll < 0.82
                        else BookingStatus.NO_SHOW
                        if roll < 0.92
                        else BookingStatus.CANCELLED
                    )
                    db.session.add(
                        Booking(
                            session_id=session.id,
                            person_id=who.id,
                            status=status,
                            tier=tier,
                            amount_cents=cents,
                            booked_at=starts_at - timedelta(days=rng.randint(1, 20)),
                            cancelled_at=starts_at - timedelta(days=1)
                            if status == BookingStatus.CANCELLED
                            else None,
                            checked_in_at=starts_at if status == BookingStatus.ATTENDED else None,
                        )
                    )
                    if status != BookingStatus.CANCELLED:
                        taken += 1
                    bookings += 1
                session.seats_taken = taken
            day += timedelta(days=14)
    db.session.flush()
    total_visits = db.session.execute(select(func.count()).select_from(Visit)).scalar_one()
    return [
        f"Reports: history from {first} to {last} — {visits} visits, {memberships} memberships, "
        f"{sessions} sessions, {bookings} bookings ({total_visits} visits in all)."
    ]
