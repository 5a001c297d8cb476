"""The reports' demo history: bookings priced as the price rules would price them."""

import time
from collections import Counter

import sqlalchemy as sa

from ressourcerie.columns import local_date, local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import Membership, Person, Visit
from ressourcerie.workshops.models import Activity, Booking, WorkshopSession


def test_history_bookings_get_the_tier_their_person_qualified_for(app, runner):
    began = time.monotonic()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - began < 60  # the whole demo stays quick to load
    with app.app_context():
        last_year = local_today().year - 1
        rows = db.session.execute(
            sa.select(Booking.tier, Booking.person_id, WorkshopSession.starts_at, Activity.paid)
            .join(WorkshopSession, WorkshopSession.id == Booking.session_id)
            .join(Activity, Activity.id == WorkshopSession.activity_id)
        ).all()
        memberships: dict[int, list] = {}
        for person_id, starts_on, ends_on in db.session.execute(
            sa.select(Membership.person_id, Membership.starts_on, Membership.ends_on)
        ):
            memberships.setdefault(person_id, []).append((starts_on, ends_on))
        people = {p.id: p for p in db.session.scalars(sa.select(Person))}
        tiers = Counter()
        for tier, person_id, starts_at, paid in rows:
            day = local_date(starts_at)
            if day.year != last_year:
                continue
            member = any(s <= day <= e for s, e in memberships.get(person_id, ()))
            reduced = people[person_id].reduced_rate_on(day)
            expected = (
                "free" if not paid else "reduced" if reduced else "member" if member else "full"
            )
            assert tier == expected, (person_id, day, tier)
            tiers[tier] += 1
    assert tiers["full"] and tiers["member"] and tiers["free"], tiers


def test_history_visits_are_ticked_as_caregiver_only_for_caregivers(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        statuses = db.session.execute(
            sa.select(Person.caregiver_status, sa.func.count())
            .join(Visit, Visit.person_id == Person.id)
            .where(Visit.as_caregiver.is_(True))
            .group_by(Person.caregiver_status)
        ).all()
    assert dict(statuses).keys() == {"self_declared"}
