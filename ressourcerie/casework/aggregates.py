"""Counts of casework for the reports: the ONLY casework function reports may call.

Nothing nominative leaves this module: codes and counts only. Small cells are
suppressed by the reports themselves (they know the display rules).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ressourcerie.casework.models import (
    Case,
    DifficultySheet,
    Entry,
    Orientation,
    Procedure,
    Situation,
    support_type_of,
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


def support_figures(start: date, end: date, site_ids: list[int] | set[int]) -> SupportFigures:
    """Counts for the period [start, end] (both included) at the given sites."""
    site_ids = list(site_ids)
    figures = SupportFigures()
    in_sites = Case.site_id.in_(site_ids)

    entry_rows = db.session.execute(
        select(Entry.case_id, Entry.profession, Entry.kind, Entry.duration_minutes)
        .join(Case, Case.id == Entry.case_id)
        .where(in_sites, Entry.occurred_on >= start, Entry.occurred_on <= end)
    ).all()
    professions: dict[int, set[str]] = {}
    minutes_by_profession: Counter = Counter()
    kinds: Counter = Counter()
    for case_id, profession, kind, minutes in entry_rows:
        professions.setdefault(case_id, set()).add(profession)
        minutes_by_profession[profession] += minutes or 0
        kinds[kind] += 1
    types = Counter(support_type_of(found) for found in professions.values())
    figures.people_by_support_type = {
        key: types.get(key, 0) for key in ("social", "psychological", "both")
    }
    figures.people_supported = len(professions)
    figures.entries = len(entry_rows)
    figures.entries_by_kind = dict(kinds)
    figures.hours = round(sum(minutes_by_profession.values()) / 60, 1)
    figures.hours_by_profession = {
        profession: round(minutes / 60, 1) for profession, minutes in minutes_by_profession.items()
    }

    figures.new_cases = db.session.execute(
        select(func.count()).select_from(Case).where(in_sites, Case.opened_on.between(start, end))
    ).scalar_one()
    figures.closed_by_reason = dict(
        db.session.execute(
            select(Case.closing_reason, func.count())
            .where(in_sites, Case.closed_on.between(start, end), Case.closing_reason.isnot(None))
            .group_by(Case.closing_reason)
        ).all()
    )

    latest: dict[int, tuple] = {}
    if professions:
        for case_id, assessed_on, situation_id, reason in db.session.execute(
            select(Situation.case_id, Situation.assessed_on, Situation.id, Situation.reason).where(
                Situation.case_id.in_(list(professions)), Situation.assessed_on <= end
            )
        ):
            if case_id not in latest or (assessed_on, situation_id) > latest[case_id][:2]:
                latest[case_id] = (assessed_on, situation_id, reason)
    figures.care_reasons = dict(Counter(row[2] for row in latest.values()))

    partner_type = PARTNER_TYPE_COLUMN if PARTNER_TYPE_COLUMN is not None else Partner.id
    orientation_rows = db.session.execute(
        select(partner_type, Orientation.status, func.count())
        .join(Case, Case.id == Orientation.case_id)
        .join(Partner, Partner.id == Orientation.partner_id)
        .where(in_sites, Orientation.oriented_on.between(start, end))
        .group_by(partner_type, Orientation.status)
    ).all()
    figures.orientations_by_partner_type_and_status = {
        (str(kind), status): count for kind, status, count in orientation_rows
    }

    figures.procedures_by_type = dict(
        db.session.execute(
            select(Procedure.procedure_type, func.count())
            .join(Case, Case.id == Procedure.case_id)
            .where(in_sites, Procedure.done_on.between(start, end))
            .group_by(Procedure.procedure_type)
        ).all()
    )

    sheet_rows = db.session.execute(
        select(DifficultySheet.category, DifficultySheet.institution, func.count())
        .where(
            DifficultySheet.site_id.in_(site_ids),
            DifficultySheet.reported_on.between(start, end),
        )
        .group_by(DifficultySheet.category, DifficultySheet.institution)
    ).all()
    by_category: Counter = Counter()
    by_institution: Counter = Counter()
    for category, institution, count in sheet_rows:
        by_category[category] += count
        by_institution[institution] += count
        figures.difficulties_by_category_and_institution[(category, institution)] = count
    figures.difficulties_by_category = dict(by_category)
    figures.difficulties_by_institution = dict(by_institution)
    return figures
