"""Builders for workshop tests: people, activities, sessions with opening hours set.

Service tests use the `ctx` fixture (one request context for the whole test). View tests
must not hold a context while the test client runs (requests would share its `g`): they
build rows with `within(builder, ...)`, which runs in a short context and returns ids.
"""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from ressourcerie.columns import LOCAL_TZ, local_today
from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Membership, Person
from ressourcerie.security.models import Site
from ressourcerie.workshops.models import Activity, WorkshopSession
from ressourcerie.workshops.services import hours

_counter = {"n": 0}


def site_row() -> Site:
    return _db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one()


def next_weekday(weekday: int, after: date | None = None, weeks: int = 1) -> date:
    """The given weekday at least a week after `after` (today by default)."""
    start = (after or local_today()) + timedelta(days=7 * weeks - 6)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def build_person(*, member_on=None, reduced_until=None, user_id=None, email="auto") -> Person:
    _counter["n"] += 1
    n = _counter["n"]
    person = Person(site_id=site_row().id, user_id=user_id)
    person.set_identity(f"Prénom{n}", f"Nom{n:04d}")
    person.email = f"personne{n}@example.org" if email == "auto" else email
    person.reduced_rate_until = reduced_until
    _db.session.add(person)
    _db.session.flush()
    if member_on is not None:
        _db.session.add(
            Membership(
                person_id=person.id,
                site_id=person.site_id,
                starts_on=member_on - timedelta(days=30),
                ends_on=member_on + timedelta(days=30),
                fee_cents=2900,
            )
        )
    _db.session.commit()
    return person


def build_activity(**overrides) -> Activity:
    values = dict(site_id=site_row().id, title="Yoga doux", category="physical", paid=True)
    values.update(overrides)
    activity = Activity(**values)
    _db.session.add(activity)
    _db.session.commit()
    return activity


def build_session(
    *, capacity=5, activity=None, day=None, start=time(14), end=time(15, 30), **extra
) -> WorkshopSession:
    """A session on a Tuesday (open 10–18) two weeks ahead, 14:00–15:30 by default."""
    activity = activity or build_activity()
    day = day or next_weekday(1, weeks=2)
    session = WorkshopSession(
        activity_id=activity.id,
        site_id=activity.site_id,
        starts_at=datetime.combine(day, start, tzinfo=LOCAL_TZ),
        ends_at=datetime.combine(day, end, tzinfo=LOCAL_TZ),
        capacity=capacity,
        seats_taken=0,
        **extra,
    )
    _db.session.add(session)
    _db.session.commit()
    return session


def set_reference_hours() -> Site:
    site = site_row()
    hours.set_reference_hours(site.id)
    _db.session.commit()
    return site


@pytest.fixture
def ctx(app):
    """A request context: services render mail bodies with the app's template helpers."""
    with app.test_request_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def site(ctx):
    return set_reference_hours()


@pytest.fixture
def make_person(ctx):
    return build_person


@pytest.fixture
def make_activity(site):
    return build_activity


@pytest.fixture
def make_session(site):
    return build_session


@pytest.fixture
def within(app):
    """Run `fn` in a short request context, commit, and return what it returns."""
    with app.test_request_context():
        set_reference_hours()

    def run(fn, *args, **kwargs):
        with app.test_request_context():
            result = fn(*args, **kwargs)
            _db.session.commit()
            return result

    return run
