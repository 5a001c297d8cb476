"""Prices: the lowest tier a person qualifies for on the session date (dated settings)."""

from dataclasses import dataclass
from datetime import date

from ressourcerie.members.models import Person
from ressourcerie.members.services.memberships import has_active_membership
from ressourcerie.settings import services as settings
from ressourcerie.workshops.models import Tier

PRICE_KEYS = {Tier.FULL: "price.full", Tier.MEMBER: "price.member", Tier.REDUCED: "price.reduced"}


@dataclass(frozen=True)
class Price:
    tier: Tier
    amount_cents: int


def tier_prices(day: date) -> dict[Tier, int]:
    """The paid tiers in force on `day`, in cents."""
    values = settings.get_many(list(PRICE_KEYS.values()), on=day)
    return {tier: max(values[key], 0) for tier, key in PRICE_KEYS.items()}


def price_ranges(days) -> dict[date, tuple[int, int]]:
    """The lowest and highest paid tier (cents) on each day, for the planning. Prices
    rarely change within a month: two reads when they are the same at both ends."""
    days = sorted(set(days))
    if not days:
        return {}

    def spread(prices: dict[Tier, int]) -> tuple[int, int]:
        return min(prices.values()), max(prices.values())

    first, last = spread(tier_prices(days[0])), spread(tier_prices(days[-1]))
    if first == last:
        return dict.fromkeys(days, first)
    return {day: spread(tier_prices(day)) for day in days}


def qualifying_tiers(person: Person | None, day: date) -> set[Tier]:
    tiers = {Tier.FULL}
    if person is None:
        return tiers
    if person.id is not None and has_active_membership(person.id, day):
        tiers.add(Tier.MEMBER)
    if person.reduced_rate_on(day):
        tiers.add(Tier.REDUCED)
    return tiers


def lowest_price(tiers: set[Tier], prices: dict[Tier, int]) -> Price:
    """The cheapest of `tiers`; on a tie the first of reduced, member, full."""
    order = [Tier.REDUCED, Tier.MEMBER, Tier.FULL]
    best = min((tier for tier in order if tier in tiers), key=lambda t: (prices[t], order.index(t)))
    return Price(best, prices[best])


def price_for(person: Person | None, *, paid: bool, day: date) -> Price:
    """What `person` pays for a session on `day` (a free activity costs nothing)."""
    if not paid:
        return Price(Tier.FREE, 0)
    return lowest_price(qualifying_tiers(person, day), tier_prices(day))
