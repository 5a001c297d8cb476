"""Casework services: one open case per person, mandates, retention, aggregates."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from ressourcerie.casework import aggregates, services
from ressourcerie.casework.models import Case, CaseStatus, Entry, RetentionRun
from ressourcerie.columns import local_today
from ressourcerie.extensions import db as _db
from ressourcerie.security.models import AuditEvent, User
from tests.casework.builders import make_case, make_partner, make_person


def _user(make_user, role="social_worker"):
    return _db.session.get(User, make_user(role).id)


def _entry(case, user, *, on=None, visibility="team", note="Entretien", minutes=45):
    return services.add_entry(
        case,
        by=user,
        occurred_on=on or local_today(),
        duration_minutes=minutes,
        kind="in_person",
        visibility=visibility,
        note=note,
    )


def test_a_person_has_at_most_one_open_case(db):
    person = make_person()
    first = make_case(person)
    with pytest.raises(services.CaseAlreadyOpen) as refused:
        make_case(person)
    assert refused.value.case.id == first.id
    services.close_case(first, reason="goals_met")
    second = make_case(person)
    assert second.id != first.id


def test_the_database_refuses_a_second_open_case_too(db):
    person = make_person()
    make_case(person)
    db.session.commit()
    db.session.add(
        Case(
            site_id=person.site_id,
            person_id=person.id,
            status="open",
            opened_on=local_today(),
            consent_on=local_today(),
            consent_method="oral",
            consent_sharing=False,
            last_contact_on=local_today(),
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_support_type_is_derived_from_who_wrote(db, make_user):
    social, psy = _user(make_user), _user(make_user, "psychologist")
    case = make_case()
    assert case.support_type is None
    _entry(case, social)
    assert case.support_type == "social"
    _entry(case, psy)
    assert case.support_type == "both"


def test_entries_move_the_last_contact_forward_only(db, make_user):
    social = _user(make_user)
    case = make_case(opened_on=local_today() - timedelta(days=30))
    _entry(case, social, on=local_today() - timedelta(days=3))
    _entry(case, social, on=local_today() - timedelta(days=10))
    assert case.last_contact_on == local_today() - timedelta(days=3)


@pytest.mark.parametrize(
    ("duration", "expires"),
    [
        ("1d", date(2026, 1, 31)),
        ("1m", date(2026, 2, 27)),
        ("6m", date(2026, 7, 30)),
        ("1y", date(2027, 1, 30)),
    ],
)
def test_mandate_expiry(duration, expires):
    assert services.mandate_expiry(date(2026, 1, 31), duration) == expires


def test_procedures_need_a_valid_mandate(db, make_user):
    social = _user(make_user)
    case = make_case()
    mandate = services.create_mandate(
        case, scope=["apa", "caf"], duration="1m", starts_on=date(2026, 3, 1), by=social
    )
    ok = services.log_procedure(
        case,
        mandate=mandate,
        procedure_type="apa",
        done_on=date(2026, 3, 10),
        description="",
        by=social,
    )
    assert ok.mandate_id == mandate.id
    with pytest.raises(services.ProcedureRefused, match="pas couvert"):
        services.log_procedure(
            case,
            mandate=mandate,
            procedure_type="mdph_pch",
            done_on=date(2026, 3, 10),
            description="",
            by=social,
        )
    with pytest.raises(services.ProcedureRefused, match="expiré"):
        services.log_procedure(
            case,
            mandate=mandate,
            procedure_type="apa",
            done_on=date(2026, 4, 1),
            description="",
            by=social,
        )
    with pytest.raises(services.ProcedureRefused, match="ne commence"):
        services.log_procedure(
            case,
            mandate=mandate,
            procedure_type="apa",
            done_on=date(2026, 2, 28),
            description="",
            by=social,
        )
    services.revoke_mandate(mandate, on=date(2026, 3, 15), by=social)
    with pytest.raises(services.ProcedureRefused, match="révoqué"):
        services.log_procedure(
            case,
            mandate=mandate,
            procedure_type="caf",
            done_on=date(2026, 3, 20),
            description="",
            by=social,
        )
    with pytest.raises(services.ProcedureRefused, match="aucun mandat"):
        services.log_procedure(
            case,
            mandate=None,
            procedure_type="caf",
            done_on=date(2026, 3, 20),
            description="",
            by=social,
        )


def test_a_mandate_of_another_case_does_not_count(db, make_user):
    social = _user(make_user)
    case, other = make_case(), make_case()
    mandate = services.create_mandate(
        other, scope=["apa"], duration="1y", starts_on=local_today(), by=social
    )
    with pytest.raises(services.ProcedureRefused):
        services.log_procedure(
            case,
            mandate=mandate,
            procedure_type="apa",
            done_on=local_today(),
            description="",
            by=social,
        )


def _case_last_seen(days_ago: int, social) -> Case:
    case = make_case(opened_on=local_today() - timedelta(days=days_ago + 10))
    _entry(case, social, on=local_today() - timedelta(days=days_ago), note="texte secret")
    return case


def test_retention_at_23_and_25_months(db, make_user):
    social = _user(make_user)
    with time_machine.travel(date(2024, 1, 15), tick=False):
        young = _case_last_seen(0, social)
        old = _case_last_seen(0, social)
    young.last_contact_on = date(2024, 2, 15)  # 23 months before 2026-01-15
    old.last_contact_on = date(2023, 12, 15)  # 25 months before
    db.session.commit()
    with time_machine.travel(date(2026, 1, 15), tick=False):
        assert services.run_retention(dry_run=True) == 1
        assert old.status == CaseStatus.OPEN  # a dry run changes nothing
        assert services.run_retention(dry_run=False) == 1
        db.session.commit()
        assert services.run_retention(dry_run=False) == 0  # idempotent
        db.session.commit()
    assert young.status == CaseStatus.OPEN and young.person_id is not None
    assert old.status == CaseStatus.ANONYMISED and old.person_id is None
    notes = db.session.scalars(sa.select(Entry.note).where(Entry.case_id == old.id)).all()
    assert notes == [None]
    runs = db.session.scalars(sa.select(RetentionRun).order_by(RetentionRun.id)).all()
    assert [run.anonymised_count for run in runs] == [1, 0]
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "retention.run").order_by(AuditEvent.id)
    ).first()
    assert event.category == "casework" and "secret" not in event.detail
    # Counts survive anonymisation.
    figures = aggregates.support_figures(date(2023, 1, 1), date(2026, 12, 31), [old.site_id])
    assert figures.new_cases == 2 and figures.entries == 2


def test_retention_command(app, runner):
    result = runner.invoke(args=["casework", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "0 cases would be anonymised" in result.output
    result = runner.invoke(args=["casework", "retention"])
    assert result.exit_code == 0 and "0 cases anonymised" in result.output


def test_aggregates_count_without_names(db, make_user):
    social, psy = _user(make_user), _user(make_user, "psychologist")
    both, social_only = make_case(), make_case()
    _entry(both, social, minutes=60)
    _entry(both, psy, minutes=30)
    _entry(social_only, social, minutes=90)
    services.add_situation(
        both,
        by=social,
        assessed_on=local_today(),
        relation="spouse",
        reason="illness",
        living_together=True,
        hours_per_week=20,
        work_situation="retired",
        caring_since=None,
        exhaustion_level=7,
        needs=["respite"],
    )
    services.add_orientation(
        both,
        partner=make_partner(),
        need="respite",
        oriented_on=local_today(),
        status="done",
        outcome="",
        by=social,
    )
    mandate = services.create_mandate(
        both, scope=["apa"], duration="1y", starts_on=local_today(), by=social
    )
    services.log_procedure(
        both,
        mandate=mandate,
        procedure_type="apa",
        done_on=local_today(),
        description="",
        by=social,
    )
    services.add_difficulty(
        site_id=both.site_id,
        reported_on=local_today(),
        category="long_delay",
        institution="mdph",
        description="Sans réponse",
        by=social,
    )
    services.close_case(social_only, reason="goals_met")
    figures = aggregates.support_figures(
        local_today() - timedelta(days=1), local_today(), [both.site_id]
    )
    assert figures.people_by_support_type == {"social": 1, "psychological": 0, "both": 1}
    assert figures.entries == 3 and figures.hours == 3.0
    assert figures.new_cases == 2
    assert figures.closed_by_reason == {"goals_met": 1}
    assert figures.care_reasons == {"illness": 1}
    assert sum(figures.orientations_by_partner_type_and_status.values()) == 1
    assert figures.procedures_by_type == {"apa": 1}
    assert figures.difficulties_by_category == {"long_delay": 1}
    assert figures.difficulties_by_institution == {"mdph": 1}
    other = aggregates.support_figures(local_today(), local_today(), [both.site_id + 999])
    assert other.entries == 0 and other.new_cases == 0
