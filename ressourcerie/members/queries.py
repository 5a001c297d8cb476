"""Read-side queries of the people pages and the desk, with explicit eager loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from ressourcerie.columns import local_day_bounds
from ressourcerie.extensions import db
from ressourcerie.members.models import (
    Membership,
    Payment,
    Person,
    Referral,
    Visit,
    phone_digits,
    search_key,
)

PAGE_SIZE = 25


def visible_to(site_ids: set[int]):
    """Staff see people recorded at one of their sites, or who visited one of them."""
    ids = list(site_ids) or [-1]
    visited = exists().where(Visit.person_id == Person.id, Visit.site_id.in_(ids))
    return or_(Person.site_id.in_(ids), visited)


def visible_person(person_id: int | None, site_ids: set[int]) -> Person | None:
    """The person, if staff of `site_ids` may see them (recorded there or visiting) and
    they were not anonymised; None otherwise, a forged id included. One query."""
    if person_id is None or not 0 < person_id < 2**31:
        return None  # no database integer can hold it
    person = db.session.execute(
        select(Person).where(Person.id == person_id, visible_to(site_ids))
    ).scalar_one_or_none()
    if person is None or person.anonymised_at is not None:
        return None
    return person


def search_condition(text: str):
    """Prefix search on the normalised, indexed columns: name, phone, email, postcode."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text:
        return Person.email.startswith(text.lower(), autoescape=True)
    compact = "".join(ch for ch in text if ch not in " .-()")
    if compact.lstrip("+").isdigit():
        digits = phone_digits(compact)
        # A partial international number: +33 6 12… is searched as 06 12…
        if compact.startswith(("+33", "0033")) and not digits.startswith("0"):
            digits = "0" + compact.lstrip("+").removeprefix("00")[2:].removeprefix("0")
        conditions = [Person.phone_digits.startswith(digits, autoescape=True)]
        if len(digits) >= 4 and not compact.startswith("+"):
            # The end of the number, as people often give it ("… 51 29").
            conditions.append(
                Person.phone_digits_reversed.startswith(digits[::-1], autoescape=True)
            )
        if len(compact) <= 5:
            conditions.append(Person.postcode.startswith(compact, autoescape=True))
        return or_(*conditions)
    key = search_key(text)
    conditions = [
        Person.search_name.startswith(key, autoescape=True),
        Person.search_last_name.startswith(key, autoescape=True),
    ]
    # "NOM Prénom", as reception often types it: the first words begin the last name and
    # the others the first name ("martineau an" finds Anne Martineau).
    words = key.split()
    for split in range(1, min(len(words), 4)):
        conditions.append(
            and_(
                Person.search_last_name.startswith(" ".join(words[:split]), autoescape=True),
                Person.search_name.startswith(" ".join(words[split:]), autoescape=True),
            )
        )
    return or_(*conditions)


def people_query(text: str, site_ids: set[int]) -> Select:
    statement = select(Person).where(Person.anonymised_at.is_(None), visible_to(site_ids))
    condition = search_condition(text)
    if condition is not None:
        statement = statement.where(condition)
    return statement.order_by(Person.search_last_name, Person.search_name, Person.id)


def people_page(text: str, site_ids: set[int], page: int):
    return db.paginate(people_query(text, site_ids), page=page, per_page=PAGE_SIZE, error_out=False)


def desk_matches(text: str, site_ids: set[int], limit: int = 8) -> list[Person]:
    """Type-ahead at the desk: people of the sites whose name or phone starts so."""
    if len((text or "").strip()) < 2:
        return []
    return list(db.session.scalars(people_query(text, site_ids).limit(limit)))


@dataclass
class VisitSummary:
    count: int
    first_at: datetime | None
    last_at: datetime | None


def visit_summary(person_id: int) -> VisitSummary:
    count, first_at, last_at = db.session.execute(
        select(func.count(Visit.id), func.min(Visit.visited_at), func.max(Visit.visited_at)).where(
            Visit.person_id == person_id
        )
    ).one()
    # min()/max() bypass the column type on SQLite: read them back as aware UTC.
    return VisitSummary(count, _aware(first_at), _aware(last_at))


def _aware(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def visit_counts(person_ids) -> dict[int, int]:
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Visit.person_id, func.count(Visit.id))
        .where(Visit.person_id.in_(ids))
        .group_by(Visit.person_id)
    )
    return dict(rows.all())


def recent_visits(person_id: int, limit: int = 20) -> list[Visit]:
    return list(
        db.session.scalars(
            select(Visit)
            .options(joinedload(Visit.site))
            .where(Visit.person_id == person_id)
            .order_by(Visit.visited_at.desc())
            .limit(limit)
        )
    )


def person_memberships(person_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.payment))
            .where(Membership.person_id == person_id)
            .order_by(Membership.ends_on.desc())
        )
    )


def person_payments(person_id: int) -> list[Payment]:
    return list(
        db.session.scalars(
            select(Payment)
            .options(joinedload(Payment.site))
            .where(Payment.person_id == person_id)
            .order_by(Payment.received_at.desc(), Payment.id.desc())
        )
    )


def referrals_by(person_id: int, author_id: int) -> list[Referral]:
    """The referrals this author made about the person (they see only their status)."""
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.person_id == person_id, Referral.created_by_id == author_id)
            .order_by(Referral.created_at.desc())
        )
    )


def todays_visits(site_ids: set[int]) -> list[Visit]:
    start, end = local_day_bounds()
    return list(
        db.session.scalars(
            select(Visit)
            .options(joinedload(Visit.person), joinedload(Visit.site))
            .where(
                Visit.site_id.in_(list(site_ids) or [-1]),
                Visit.visited_at >= start,
                Visit.visited_at < end,
            )
            .order_by(Visit.visited_at.desc())
        )
    )


def last_visits_today(person_ids, site_ids: set[int]) -> dict[int, datetime]:
    """The time of each listed person's latest visit today at these sites (one query)."""
    ids = list(person_ids)
    if not ids:
        return {}
    start, end = local_day_bounds()
    rows = db.session.execute(
        select(Visit.person_id, func.max(Visit.visited_at))
        .where(
            Visit.person_id.in_(ids),
            Visit.site_id.in_(list(site_ids) or [-1]),
            Visit.visited_at >= start,
            Visit.visited_at < end,
        )
        .group_by(Visit.person_id)
    )
    return {person_id: moment for person_id, moment in rows}
