"""Read-side queries of the directory: the ranked search, the staff list, the to-verify list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, case, func, null, or_, select
from sqlalchemy.orm import selectinload

from ressourcerie.directory.models import (
    VERIFY_EVERY,
    AreaKind,
    Partner,
    PartnerArea,
    PartnerNeed,
    place_key,
)
from ressourcerie.directory.services import POSTCODE_RE, departement_of
from ressourcerie.extensions import db

# Ranks of a match: the closer the area, the earlier the partner is listed.
RANK_COMMUNE, RANK_POSTCODE, RANK_DEPARTEMENT = 1, 2, 3


@dataclass
class Place:
    """What the visitor typed, understood as communes, postcodes and départements.

    `commune` and `postcode` are what was typed; `communes` and `postcodes` add what the
    directory knows goes with them (typing "33700" also finds partners serving the commune
    "Mérignac", typing "Bordeaux" also those serving 33800).
    """

    text: str
    commune: str = ""
    postcode: str = ""
    departement: str = ""
    communes: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.communes or self.postcodes or self.departements)


def parse_place(text: str | None) -> Place:
    """ "Mérignac", "33700", "Mérignac 33700" or "33" → a Place."""
    raw = (text or "").strip()
    place = Place(text=raw)
    if not raw:
        return place
    if re.fullmatch(r"\s*(\d{2,3}|2[abAB])\s*", raw):
        place.departement = raw.strip().lower()
        place.departements = (place.departement,)
        return place
    postcode = re.search(r"\b(\d{5})\b", raw)
    rest = raw
    if postcode:
        place.postcode = postcode.group(1)
        rest = raw.replace(postcode.group(1), " ")
    place.commune = place_key(rest)
    known = _known_pairs(place)
    communes = [place.commune] if place.commune else []
    postcodes = [place.postcode] if place.postcode else []
    if place.postcode and not place.commune:
        communes += [c for c, pc in known if pc == place.postcode]
    if place.commune and not place.postcode:
        postcodes += sorted(pc for c, pc in known if c == place.commune)
    place.communes = tuple(dict.fromkeys(communes))
    place.postcodes = tuple(dict.fromkeys(postcodes))
    place.departements = tuple(dict.fromkeys(departement_of(pc) for pc in place.postcodes))
    place.departement = place.departements[0] if place.departements else ""
    return place


def _known_pairs(place: Place) -> set[tuple[str, str]]:
    """(commune key, postcode) pairs of the partners' own addresses that concern the place.

    The directory has no gazetteer: the partners' addresses tell which postcodes go with
    which commune. One query, narrowed to the typed postcode when there is one.
    """
    stmt = select(Partner.commune, Partner.postcode).where(Partner.postcode != "").distinct()
    if place.postcode:
        stmt = stmt.where(Partner.postcode == place.postcode)
    pairs = {(place_key(c), pc) for c, pc in db.session.execute(stmt)}
    return {(c, pc) for c, pc in pairs if c and POSTCODE_RE.match(pc)}


def _rank_subquery(place: Place):
    """partner_id → best rank among the areas matching the place."""
    whens = []
    conditions = []
    for kind, values, rank_value in (
        (AreaKind.COMMUNE, place.communes, RANK_COMMUNE),
        (AreaKind.POSTCODE, place.postcodes, RANK_POSTCODE),
        (AreaKind.DEPARTEMENT, place.departements, RANK_DEPARTEMENT),
    ):
        if values:
            cond = and_(PartnerArea.kind == kind, PartnerArea.value.in_(values))
            whens.append((cond, rank_value))
            conditions.append(cond)
    rank = func.min(case(*whens, else_=9)).label("rank")
    return (
        select(PartnerArea.partner_id, rank)
        .where(or_(*conditions))
        .group_by(PartnerArea.partner_id)
        .subquery()
    )


@dataclass
class SearchResult:
    partner: Partner
    rank: int | None  # RANK_* or None when no place was given


def search(
    *, need: str | None, place: Place, public_only: bool, limit: int = 50
) -> tuple[list[SearchResult], bool]:
    """Partners covering `need` that serve `place`, closest first; (results, more_exist).

    Two queries whatever the number of results: the ranked ids, then the partners with
    their needs and areas.
    """
    if place.empty:
        stmt = select(Partner.id, null().label("rank"))
    else:
        ranks = _rank_subquery(place)
        stmt = select(Partner.id, ranks.c.rank).join(ranks, ranks.c.partner_id == Partner.id)
    if public_only:
        stmt = stmt.where(Partner.is_public.is_(True))
    if need:
        stmt = stmt.where(
            select(PartnerNeed.partner_id)
            .where(PartnerNeed.partner_id == Partner.id, PartnerNeed.need == need)
            .exists()
        )
    order = [Partner.search_name, Partner.id]
    if not place.empty:
        order.insert(0, stmt.selected_columns.rank)
    rows = db.session.execute(stmt.order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    partners = {
        p.id: p
        for p in db.session.scalars(
            select(Partner)
            .where(Partner.id.in_([r.id for r in rows]))
            .options(selectinload(Partner.needs), selectinload(Partner.areas))
        )
    }
    return [SearchResult(partners[r.id], r.rank) for r in rows if r.id in partners], more


def partners_by_ids(ids: list[int], *, public_only: bool) -> list[Partner]:
    """The chosen partners, in the order given (for the printed sheet)."""
    if not ids:
        return []
    stmt = (
        select(Partner)
        .where(Partner.id.in_(ids))
        .options(selectinload(Partner.needs), selectinload(Partner.areas))
    )
    if public_only:
        stmt = stmt.where(Partner.is_public.is_(True))
    found = {p.id: p for p in db.session.scalars(stmt)}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def staff_list(
    *,
    text: str = "",
    type: str = "",
    need: str = "",
    visibility: str = "",
    place: Place | None = None,
    to_verify_before: date | None = None,
) -> Select:
    """The staff list, filtered; the caller paginates (needs loaded with selectinload).

    With a place, only partners serving it, closest first (internal ones included).
    """
    stmt = select(Partner).options(selectinload(Partner.needs), selectinload(Partner.areas))
    ranks = None
    if place is not None and not place.empty:
        ranks = _rank_subquery(place)
        stmt = stmt.join(ranks, ranks.c.partner_id == Partner.id)
    key = place_key(text)
    if key:
        stmt = stmt.where(Partner.search_name.contains(key, autoescape=True))
    if type:
        stmt = stmt.where(Partner.type == type)
    if need:
        stmt = stmt.where(
            select(PartnerNeed.partner_id)
            .where(PartnerNeed.partner_id == Partner.id, PartnerNeed.need == need)
            .exists()
        )
    if visibility == "public":
        stmt = stmt.where(Partner.is_public.is_(True))
    elif visibility == "internal":
        stmt = stmt.where(Partner.is_public.is_(False))
    if to_verify_before is not None:
        stmt = stmt.where(
            or_(Partner.last_verified_on.is_(None), Partner.last_verified_on < to_verify_before)
        )
        return stmt.order_by(Partner.last_verified_on.asc().nulls_first(), Partner.search_name)
    if ranks is not None:
        return stmt.order_by(ranks.c.rank, Partner.search_name, Partner.id)
    return stmt.order_by(Partner.search_name, Partner.id)


def verify_cutoff(today: date) -> date:
    """Partners last verified before this day are due for a check."""
    return today - VERIFY_EVERY


def count_to_verify(today: date) -> int:
    cutoff = verify_cutoff(today)
    return db.session.scalar(
        select(func.count(Partner.id)).where(
            or_(Partner.last_verified_on.is_(None), Partner.last_verified_on < cutoff)
        )
    )
