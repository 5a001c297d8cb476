"""A hand-built dataset for the report figures, whose answers are known."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from ressourcerie.columns import LOCAL_TZ
from ressourcerie.extensions import db
from ressourcerie.members.models import Membership, Payment, Person, Visit
from ressourcerie.reports.periods import Period
from ressourcerie.security.models import Site
from ressourcerie.workshops.models import Activity, Booking, WorkshopSession

# The third quarter of 2026: summer time in Paris (UTC+2).
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))


def paris(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def first_site() -> Site:
    return db.session.execute(sa.select(Site).order_by(Site.id).limit(1)).scalar_one()


def other_site(name="Autre lieu") -> Site:
    site = Site(name=name)
    db.session.add(site)
    db.session.flush()
    return site


def person(site, **kwargs) -> Person:
    row = Person(site_id=site.id, **kwargs)
    row.set_identity("Test", "Personne")
    db.session.add(row)
    db.session.flush()
    return row


def visit(site, who, moment, purpose="activity") -> Visit:
    row = Visit(
        site_id=site.id, person_id=who.id if who else None, visited_at=moment, purpose=purpose
    )
    db.session.add(row)
    return row


_receipts = iter(range(1, 100000))


def payment(site, who, cents, moment, kind="membership") -> Payment:
    row = Payment(
        site_id=site.id,
        person_id=who.id if who else None,
        kind=kind,
        amount_cents=cents,
        method="cash",
        received_at=moment,
        receipt_year=moment.year,
        receipt_number=next(_receipts),
    )
    db.session.add(row)
    return row


def membership(site, who, starts_on, renewal_of=None, fee=1500) -> Membership:
    row = Membership(
        person_id=who.id,
        site_id=site.id,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=364),
        fee_cents=fee,
        renewal_of_id=renewal_of.id if renewal_of else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def activity(site, category="wellbeing", paid=True, mode="on_site") -> Activity:
    row = Activity(site_id=site.id, title="Atelier", category=category, paid=paid, mode=mode)
    db.session.add(row)
    db.session.flush()
    return row


def session(act, starts_at, capacity=10, status="scheduled", mode=None) -> WorkshopSession:
    row = WorkshopSession(
        activity_id=act.id,
        site_id=act.site_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        capacity=capacity,
        mode=mode or act.mode,
        status=status,
    )
    db.session.add(row)
    db.session.flush()
    return row


def booking(sess, who, status, tier="full", cents=0, companion=False) -> Booking:
    row = Booking(
        session_id=sess.id,
        person_id=who.id,
        status=status,
        tier=tier,
        amount_cents=cents,
        with_companion=companion,
    )
    db.session.add(row)
    return row
