"""Pricing rules: the lowest tier a person qualifies for on the session date."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from ressourcerie.extensions import db
from ressourcerie.members.models import Membership, Person
from ressourcerie.settings import services as settings_services
from ressourcerie.settings.models import SettingValue
from ressourcerie.workshops.models import Tier
from ressourcerie.workshops.services.pricing import lowest_price, price_for, price_ranges
from tests.workshops.conftest import site_row

cents = st.integers(min_value=0, max_value=10_000)
tiers = st.sets(st.sampled_from([Tier.MEMBER, Tier.REDUCED])).map(lambda s: s | {Tier.FULL})


@given(tiers=tiers, full=cents, member=cents, reduced=cents)
def test_lowest_price_is_the_minimum_of_the_qualifying_tiers(tiers, full, member, reduced):
    prices = {Tier.FULL: full, Tier.MEMBER: member, Tier.REDUCED: reduced}
    price = lowest_price(tiers, prices)
    assert price.tier in tiers
    assert price.amount_cents == min(prices[t] for t in tiers)
    assert price.amount_cents >= 0


def test_reference_prices(ctx, make_person):
    day = date(2027, 3, 2)
    assert price_for(make_person(), paid=True, day=day).amount_cents == 1200
    member = price_for(make_person(member_on=day), paid=True, day=day)
    assert (member.tier, member.amount_cents) == (Tier.MEMBER, 600)
    both = price_for(make_person(member_on=day, reduced_until=day), paid=True, day=day)
    assert (both.tier, both.amount_cents) == (Tier.REDUCED, 450)
    assert price_for(make_person(), paid=False, day=day).amount_cents == 0
    assert price_for(None, paid=True, day=day).tier == Tier.FULL


def test_membership_counts_on_the_session_date_not_today(ctx, make_person):
    day = date(2027, 3, 2)
    person = make_person(member_on=day)  # membership covers day ± 30 days
    assert price_for(person, paid=True, day=day + timedelta(days=45)).tier == Tier.FULL
    assert price_for(person, paid=True, day=day).tier == Tier.MEMBER


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offset=st.integers(min_value=-60, max_value=60),
    member_offset=st.one_of(st.none(), st.integers(min_value=-90, max_value=90)),
    reduced_offset=st.one_of(st.none(), st.integers(min_value=-60, max_value=60)),
    new_full=st.integers(min_value=0, max_value=5000),
    new_member=st.integers(min_value=0, max_value=5000),
)
def test_price_is_lowest_qualifying_tier_and_stable_after_price_change(
    ctx, offset, member_offset, reduced_offset, new_full, new_member
):
    db.session.execute(delete(Membership))
    db.session.execute(delete(Person))
    db.session.execute(delete(SettingValue))
    change_day = date(2027, 6, 1)
    session_day = change_day + timedelta(days=offset)
    person = Person(site_id=None)
    person.set_identity("Pro", "Priété")
    if reduced_offset is not None:
        person.reduced_rate_until = session_day + timedelta(days=reduced_offset)
    db.session.add(person)
    db.session.flush()
    if member_offset is not None:
        start = session_day + timedelta(days=member_offset)
        db.session.add(
            Membership(
                person_id=person.id,
                site_id=site_row().id,
                starts_on=start,
                ends_on=start + timedelta(days=364),
                fee_cents=2900,
            )
        )
    db.session.flush()
    before = price_for(person, paid=True, day=session_day)
    # A price change from change_day on never alters the price of earlier sessions.
    settings_services.set_value("price.full", f"{new_full / 100:.2f}", change_day, by_id=None)
    settings_services.set_value("price.member", f"{new_member / 100:.2f}", change_day, by_id=None)
    after = price_for(person, paid=True, day=session_day)
    if session_day < change_day:
        assert after == before
    prices = {
        Tier.FULL: new_full if session_day >= change_day else 1200,
        Tier.MEMBER: new_member if session_day >= change_day else 600,
        Tier.REDUCED: 450,
    }
    qualifying = {Tier.FULL}
    if member_offset is not None and -364 <= member_offset <= 0:
        qualifying.add(Tier.MEMBER)
    if reduced_offset is not None and reduced_offset >= 0:
        qualifying.add(Tier.REDUCED)
    assert after.amount_cents == min(prices[t] for t in qualifying)
    assert after.tier in qualifying
    assert after.amount_cents >= 0
    db.session.rollback()


def test_price_ranges_follow_a_price_change_within_the_month(ctx):
    day = date(2027, 3, 2)
    settings_services.set_value("price.full", "15", day + timedelta(days=1), by_id=None)
    assert price_ranges([day, day + timedelta(days=7)]) == {
        day: (450, 1200),
        day + timedelta(days=7): (450, 1500),
    }
    assert price_ranges([day]) == {day: (450, 1200)}
