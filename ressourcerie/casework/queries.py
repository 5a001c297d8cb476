"""Read-side queries of the casework pages, with explicit eager loading."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from ressourcerie.casework.models import (
    Case,
    CaseReferral,
    CaseStatus,
    DifficultySheet,
    Entry,
    Mandate,
    Orientation,
    support_type_of,
)
from ressourcerie.columns import local_today
from ressourcerie.directory.models import Partner
from ressourcerie.extensions import db
from ressourcerie.members import queries as members_queries
from ressourcerie.members.models import Person, Referral, ReferralStatus, search_key
from ressourcerie.security.models import AuditEvent, User

PAGE_SIZE = 50


def support_types(case_ids: list[int]) -> dict[int, str | None]:
    """Support type of many cases in one query."""
    found: dict[int, set[str]] = {case_id: set() for case_id in case_ids}
    if case_ids:
        rows = db.session.execute(
            select(Entry.case_id, Entry.profession)
            .where(Entry.case_id.in_(case_ids))
            .group_by(Entry.case_id, Entry.profession)
        ).all()
        for case_id, profession in rows:
            found[case_id].add(profession)
    return {case_id: support_type_of(professions) for case_id, professions in found.items()}


def open_cases(site_ids: set[int], *, search: str = "", page: int = 1):
    statement = (
        select(Case)
        .join(Person, Case.person_id == Person.id)
        .options(joinedload(Case.person), joinedload(Case.site))
        .where(Case.site_id.in_(site_ids), Case.status == CaseStatus.OPEN)
        .order_by(Person.search_last_name, Person.search_name, Case.id)
    )
    key = search_key(search)
    if key:
        statement = statement.where(
            or_(Person.search_name.contains(key), Person.search_last_name.startswith(key))
        )
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def dormant_cases(site_ids: set[int], days: int) -> list[Case]:
    limit = local_today() - timedelta(days=days)
    return list(
        db.session.scalars(
            select(Case)
            .options(joinedload(Case.person))
            .where(
                Case.site_id.in_(site_ids),
                Case.status == CaseStatus.OPEN,
                Case.last_contact_on < limit,
            )
            .order_by(Case.last_contact_on, Case.id)
        )
    )


def referral_queue(site_ids: set[int]) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .options(joinedload(Referral.person), joinedload(Referral.created_by))
            .where(Referral.site_id.in_(site_ids), Referral.status == ReferralStatus.NEW)
            .order_by(Referral.created_at, Referral.id)
        )
    )


def open_cases_by_person(person_ids: list[int]) -> dict[int, Case]:
    if not person_ids:
        return {}
    rows = db.session.scalars(
        select(Case).where(Case.person_id.in_(person_ids), Case.status == CaseStatus.OPEN)
    )
    return {case.person_id: case for case in rows}


# Pages show staff by name only: their roles and sites (selectin by default) stay unloaded.
NAME_ONLY = (lazyload(User.role_rows), lazyload(User.sites))


def case_for_page(case_id: int) -> Case | None:
    return (
        db.session.execute(
            select(Case)
            .options(
                joinedload(Case.person),
                joinedload(Case.site),
                # One small collection joined to the single case row saves a round trip.
                joinedload(Case.situations),
                selectinload(Case.entries).joinedload(Entry.author).options(*NAME_ONLY),
                selectinload(Case.orientations).joinedload(Orientation.partner),
                selectinload(Case.mandates),
                selectinload(Case.procedures),
                selectinload(Case.referral_links).joinedload(CaseReferral.referral),
            )
            .where(Case.id == case_id)
        )
        .unique()
        .scalar_one_or_none()
    )


def _history_statement(case: Case):
    return (
        select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .options(*NAME_ONLY)
        .where(
            AuditEvent.category == "casework",
            AuditEvent.object_type == "case",
            AuditEvent.object_id == str(case.id),
        )
        .order_by(AuditEvent.id.desc())
    )


def access_history(case: Case, limit: int = 20) -> list[tuple[AuditEvent, User | None]]:
    """Who did what on this case, newest first (the access log, no content). One more row
    than `limit` says that older events exist (the case page links to the whole log)."""
    rows = db.session.execute(_history_statement(case).limit(limit + 1)).all()
    return [(event, user) for event, user in rows]


def access_history_page(case: Case, page: int, per_page: int = 50):
    """The case's whole access log, page by page: the Pagination of its events, and the
    (event, user) rows of the page (users in one query)."""
    events = db.paginate(
        _history_statement(case).with_only_columns(AuditEvent),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    actor_ids = {event.actor_id for event in events.items if event.actor_id is not None}
    users = (
        {
            user.id: user
            for user in db.session.scalars(
                select(User).options(*NAME_ONLY).where(User.id.in_(actor_ids))
            )
        }
        if actor_ids
        else {}
    )
    return events, [(event, users.get(event.actor_id)) for event in events.items]


def difficulty_sheets(site_ids: set[int]) -> list[DifficultySheet]:
    return list(
        db.session.scalars(
            select(DifficultySheet)
            .where(DifficultySheet.site_id.in_(site_ids))
            .order_by(DifficultySheet.reported_on.desc(), DifficultySheet.id.desc())
            .limit(200)
        )
    )


def partners() -> list[Partner]:
    return list(db.session.scalars(select(Partner).order_by(Partner.name)))


def people_search(search: str, site_ids: set[int], limit: int = 20) -> list[Person]:
    """People of the caseworker's sites (recorded there or visiting) matching the name."""
    key = search_key(search)
    if len(key) < 2:
        return []
    return list(
        db.session.scalars(
            select(Person)
            .where(
                Person.anonymised_at.is_(None),
                members_queries.visible_to(site_ids),
                or_(Person.search_name.contains(key), Person.search_last_name.startswith(key)),
            )
            .order_by(Person.search_last_name, Person.search_name)
            .limit(limit)
        )
    )


def mandates_for_select(case: Case) -> list[Mandate]:
    return list(
        db.session.scalars(
            select(Mandate).where(Mandate.case_id == case.id).order_by(Mandate.starts_on.desc())
        )
    )


def referral_for_sites(referral_id: int) -> Referral | None:
    return db.session.get(Referral, referral_id)
