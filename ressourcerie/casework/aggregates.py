"""Counts of casework for the reports: the ONLY casework function reports may call.

Nothing nominative leaves this module: codes and counts only. Small cells are
suppressed by the reports themselves (they know the display rules).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, and_, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from ressourcerie.casework.models import (
    Case,
    DifficultySheet,
    Entry,
    Orientation,
    Procedure,
    Profession,
    Situation,
)
from ressourcerie.directory.models import Partner
from ressourcerie.extensions import db

PARTNER_TYPE_COLUMN = next(
    (getattr(Partner, name) for name in ("type", "partner_type", "kind") if hasattr(Partner, name)),
    None,
)


@dataclass
class SupportFigures:
    """Casework counts for one period and a list of sites."""

    people_by_support_type: dict[str, int] = field(
        default_factory=dict
    )  # social|psychological|both
    people_supported: int = 0
    new_cases: int = 0
    closed_by_reason: dict[str, int] = field(default_factory=dict)
    care_reasons: dict[str, int] = field(default_factory=dict)  # latest situation of each case
    entries: int = 0
    entries_by_kind: dict[str, int] = field(default_factory=dict)
    hours: float = 0.0  # total interview and action time, in hours (1 decimal)
    hours_by_profession: dict[str, float] = field(default_factory=dict)
    orientations_by_partner_type_and_status: dict[tuple[str, str], int] = field(
        default_factory=dict
    )
    procedures_by_type: dict[str, int] = field(default_factory=dict)
    difficulties_by_category: dict[str, int] = field(default_factory=dict)
    difficulties_by_institution: dict[str, int] = field(default_factory=dict)
    difficulties_by_category_and_institution: dict[tuple[str, str], int] = field(
        default_factory=dict
    )


def _counts(tag: str, first=None, second=None, *, total=None):
    """Columns of one grouped count of the UNION ALL below: tag, two codes, count, sum."""
    return (
        cast(literal(tag), String(20)).label("tag"),
        cast(first if first is not None else null(), String(60)).label("first"),
        cast(second if second is not None else null(), String(60)).label("second"),
        func.count().label("n"),
        func.coalesce(func.sum(total), 0).label("total")
        if total is not None
        else literal(0).label("total"),
    )


def support_figures(start: date, end: date, site_ids: list[int] | set[int]) -> SupportFigures:
    """Counts for the period [start, end] (both included) at the given sites.

    One statement: a UNION ALL of grouped counts, each row tagged with what it counts, so
    the report pays one round trip and never loads a casework row into Python.
    """
    site_ids = list(site_ids)
    in_sites = Case.site_id.in_(site_ids)
    entries_in_period = and_(in_sites, Entry.occurred_on >= start, Entry.occurred_on <= end)

    def has(profession):
        return func.max(case((Entry.profession == profession, 1), else_=0)) == 1

    social, psychological = has(Profession.SOCIAL_WORKER), has(Profession.PSYCHOLOGIST)
    per_case = (
        select(
            Entry.case_id,
            case(
                (and_(social, psychological), "both"),
                (social, "social"),
                (psychological, "psychological"),
                else_=None,
            ).label("support_type"),
        )
        .join(Case, Case.id == Entry.case_id)
        .where(entries_in_period)
        .group_by(Entry.case_id)
        .subquery()
    )
    # The latest situation (assessed on or before the end) of each case seen in the period.
    later = aliased(Situation)
    newer_exists = (
        select(later.id)
        .where(
            later.case_id == Situation.case_id,
            later.assessed_on <= end,
            or_(
                later.assessed_on > Situation.assessed_on,
                and_(later.assessed_on == Situation.assessed_on, later.id > Situation.id),
            ),
        )
        .exists()
    )
    partner_type = PARTNER_TYPE_COLUMN if PARTNER_TYPE_COLUMN is not None else Partner.id
    grouped = [
        select(*_counts("type", per_case.c.support_type)).group_by(per_case.c.support_type),
        select(*_counts("entry", Entry.kind, Entry.profession, total=Entry.duration_minutes))
        .join(Case, Case.id == Entry.case_id)
        .where(entries_in_period)
        .group_by(Entry.kind, Entry.profession),
        select(*_counts("new"))
        .select_from(Case)
        .where(in_sites, Case.opened_on.between(start, end)),
        select(*_counts("closed", Case.closing_reason))
        .where(in_sites, Case.closed_on.between(start, end), Case.closing_reason.isnot(None))
        .group_by(Case.closing_reason),
        select(*_counts("care", Situation.reason))
        .where(
            Situation.case_id.in_(select(per_case.c.case_id)),
            Situation.assessed_on <= end,
            ~newer_exists,
        )
        .group_by(Situation.reason),
        select(*_counts("orientation", partner_type, Orientation.status))
        .join(Case, Case.id == Orientation.case_id)
        .join(Partner, Partner.id == Orientation.partner_id)
        .where(in_sites, Orientation.oriented_on.between(start, end))
        .group_by(partner_type, Orientation.status),
        select(*_counts("procedure", Procedure.procedure_type))
        .join(Case, Case.id == Procedure.case_id)
        .where(in_sites, Procedure.done_on.between(start, end))
        .group_by(Procedure.procedure_type),
        select(*_counts("sheet", DifficultySheet.category, DifficultySheet.institution))
        .where(
            DifficultySheet.site_id.in_(site_ids),
            DifficultySheet.reported_on.between(start, end),
        )
        .group_by(DifficultySheet.category, DifficultySheet.institution),
    ]
    rows: dict[str, list[tuple]] = {}
    for tag, first, second, n, total in db.session.execute(union_all(*grouped)):
        rows.setdefault(tag, []).append((first, second, n, int(total)))

    figures = SupportFigures()
    types = {first: n for first, _second, n, _total in rows.get("type", [])}
    figures.people_by_support_type = {
        key: types.get(key, 0) for key in ("social", "psychological", "both")
    }
    figures.people_supported = sum(types.values())
    kinds: Counter = Counter()
    minutes_by_profession: Counter = Counter()
    for kind, profession, n, minutes in rows.get("entry", []):
        kinds[kind] += n
        minutes_by_profession[profession] += minutes
    figures.entries = sum(kinds.values())
    figures.entries_by_kind = dict(kinds)
    figures.hours = round(sum(minutes_by_profession.values()) / 60, 1)
    figures.hours_by_profession = {
        profession: round(minutes / 60, 1) for profession, minutes in minutes_by_profession.items()
    }
    figures.new_cases = sum(n for *_codes, n, _total in rows.get("new", []))
    figures.closed_by_reason = {first: n for first, _s, n, _t in rows.get("closed", [])}
    figures.care_reasons = {first: n for first, _s, n, _t in rows.get("care", [])}
    figures.orientations_by_partner_type_and_status = {
        (first, second): n for first, second, n, _t in rows.get("orientation", [])
    }
    figures.procedures_by_type = {first: n for first, _s, n, _t in rows.get("procedure", [])}
    by_category: Counter = Counter()
    by_institution: Counter = Counter()
    for category, institution, n, _total in rows.get("sheet", []):
        by_category[category] += n
        by_institution[institution] += n
        figures.difficulties_by_category_and_institution[(category, institution)] = n
    figures.difficulties_by_category = dict(by_category)
    figures.difficulties_by_institution = dict(by_institution)
    return figures
