"""The hash-chained event store: appends, verification, tampering, purge, PostgreSQL guard."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db as _db
from ressourcerie.security import audit
from ressourcerie.security.models import AuditEvent


@pytest.fixture(autouse=True)
def empty_log(app):
    """Start from an empty log (the app fixture already logged the site creation)."""
    with app.app_context():
        with _db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("TRUNCATE audit_event"))
            else:
                connection.execute(sa.text("DELETE FROM audit_event"))


def tamper(statement: str, **params) -> None:
    """Change the log behind the app's back (on PostgreSQL, past its guard trigger)."""
    postgres = _db.engine.dialect.name == "postgresql"
    if postgres:
        _db.session.execute(
            sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        )
    _db.session.execute(sa.text(statement), params)
    if postgres:
        _db.session.execute(
            sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
        )
    _db.session.commit()


def add_events(count: int) -> None:
    for number in range(count):
        audit.record("security", "test.event", object_type="thing", object_id=number)
    _db.session.commit()


def test_chain_of_events_verifies(db):
    add_events(5)
    result = audit.verify_chain()
    assert result.ok and result.checked == 5


def test_tampered_content_is_found_and_named(db, runner):
    add_events(5)
    third = db.session.execute(
        sa.select(AuditEvent).order_by(AuditEvent.id).offset(2).limit(1)
    ).scalar_one()
    tamper("UPDATE audit_event SET actor_roles = 'admin' WHERE id = :id", id=third.id)
    result = audit.verify_chain()
    assert not result.ok and result.broken_event_id == third.id
    cli = runner.invoke(args=["audit", "verify"])
    assert cli.exit_code == 1
    assert f"BROKEN at event {third.id}" in cli.output


def test_removed_event_is_found(db):
    add_events(4)
    second = db.session.execute(sa.select(AuditEvent.id).order_by(AuditEvent.id).offset(1)).scalar()
    tamper("DELETE FROM audit_event WHERE id = :id", id=second)
    result = audit.verify_chain()
    assert not result.ok and result.broken_event_id == second + 1


def test_purge_keeps_the_chain_verifiable(db, runner):
    start = utcnow()
    with time_machine.travel(start - timedelta(days=400), tick=False):
        add_events(3)
    with time_machine.travel(start - timedelta(days=10), tick=False):
        add_events(2)
    result = runner.invoke(args=["audit", "purge"])
    assert "3 events" in result.output
    db.session.expire_all()
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar() == 2
    verify = audit.verify_chain()
    assert verify.ok and verify.checked == 2
    add_events(1)
    assert audit.verify_chain().ok
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete(db):
    add_events(2)
    for statement in (
        "UPDATE audit_event SET action = 'x'",
        "DELETE FROM audit_event",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(sa.text(statement))
        db.session.rollback()
    assert audit.verify_chain().ok


def test_events_hold_no_secret(app, client, make_user):
    from tests.conftest import PASSWORD

    user = make_user("reception")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    app.test_client().post("/login", data={"email": user.email, "password": "wrong-password-value"})
    with app.app_context():
        rows = _db.session.execute(sa.select(AuditEvent)).scalars().all()
        dump = " ".join(f"{r.detail} {r.object_id} {r.actor_roles}" for r in rows)
    assert PASSWORD not in dump and "wrong-password-value" not in dump
    assert {r.action for r in rows} >= {"login.succeeded", "login.failed"}
