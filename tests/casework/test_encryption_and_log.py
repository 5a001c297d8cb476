"""Notes encrypted at rest, key rotation, and the casework access log in the hash chain."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from ressourcerie.casework import services
from ressourcerie.casework.models import Entry
from ressourcerie.columns import local_today, utcnow
from ressourcerie.extensions import db as _db
from ressourcerie.security import audit
from ressourcerie.security.models import AuditEvent, User
from tests.casework.builders import make_case

SECRET = "La personne confie des idees noires depuis le deces"


def _write_note(make_user, note=SECRET) -> int:
    author = _db.session.get(User, make_user("psychologist").id)
    entry = services.add_entry(
        make_case(),
        by=author,
        occurred_on=local_today(),
        duration_minutes=50,
        kind="in_person",
        visibility="private",
        note=note,
    )
    _db.session.commit()
    return entry.id


def _raw_note(entry_id: int) -> str:
    return _db.session.execute(
        sa.text("SELECT note FROM casework_entry WHERE id = :id"), {"id": entry_id}
    ).scalar_one()


def test_note_bodies_are_not_stored_in_clear(db, make_user, database_url):
    entry_id = _write_note(make_user)
    raw = _raw_note(entry_id)
    assert SECRET not in raw and raw.startswith("gAAAA")  # a Fernet token
    assert db.session.get(Entry, entry_id).note == SECRET
    if database_url.startswith("sqlite:///"):
        db.session.execute(sa.text("PRAGMA wal_checkpoint(FULL)"))
        with open(database_url.removeprefix("sqlite:///"), "rb") as handle:
            assert SECRET.encode() not in handle.read()


def test_notes_still_read_after_key_rotation_and_removal_of_the_old_key(app, make_app, make_user):
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    with app.app_context():
        entry_id = _write_note(make_user)
        before = _raw_note(entry_id)
    rotating = make_app(ENCRYPTION_KEYS=f"{new_key},{old_key}")
    result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    only_new = make_app(ENCRYPTION_KEYS=new_key)
    with only_new.app_context():
        assert _raw_note(entry_id) != before
        assert _db.session.get(Entry, entry_id).note == SECRET
    only_old = make_app(ENCRYPTION_KEYS=Fernet.generate_key().decode())
    with only_old.app_context():
        with pytest.raises(Exception, match="cannot be decrypted"):
            _db.session.get(Entry, entry_id).note  # noqa: B018


def test_casework_events_never_hold_content(app, signed_in, make_user):
    with app.app_context():
        entry_id = _write_note(make_user)
        case_id = _db.session.get(Entry, entry_id).case_id
    client, _user = signed_in("social_worker")
    client.get(f"/casework/cases/{case_id}")
    client.post(
        f"/casework/cases/{case_id}/entries/new",
        data={
            "occurred_on": local_today().isoformat(),
            "duration_minutes": "30",
            "kind": "phone",
            "visibility": "team",
            "note": "Contenu qui ne doit pas fuiter",
        },
    )
    with app.app_context():
        rows = (
            _db.session.execute(sa.select(AuditEvent).where(AuditEvent.category == "casework"))
            .scalars()
            .all()
        )
        assert rows
        dumped = " ".join(f"{r.action} {r.object_type} {r.object_id} {r.detail}" for r in rows)
        assert "fuiter" not in dumped and "idees" not in dumped and "Lefort" not in dumped


def test_purging_old_events_keeps_the_chain_verifiable_with_casework_events(app, signed_in, runner):
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
    client, _user = signed_in("social_worker")
    for _ in range(3):
        client.get(f"/casework/cases/{case_id}")
    with app.app_context():
        old = _db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id).limit(2)).all()
        # Age the first events as if written long ago (past the append-only guard).
        postgres = _db.engine.dialect.name == "postgresql"
        if postgres:
            _db.session.execute(
                sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
            )
        for event_id in old:
            event = _db.session.get(AuditEvent, event_id)
            event.created_at = utcnow() - timedelta(days=500)
            event.hash = audit._digest(event.prev_hash, event)
        _db.session.flush()
        # Re-chain the following events after rewriting the hashes of the aged ones.
        previous = None
        for event in _db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)):
            if previous is not None:
                event.prev_hash = previous.hash
                event.hash = audit._digest(event.prev_hash, event)
            previous = event
        _db.session.flush()
        if postgres:
            _db.session.execute(
                sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
            )
        _db.session.commit()
        assert audit.verify_chain().ok
    result = runner.invoke(args=["audit", "purge"])
    assert result.exit_code == 0 and "2 events" in result.output, result.output
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (
            _db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.category == "casework")
            )
            >= 3
        )


def test_tampering_with_a_casework_event_is_found(app, signed_in, runner):
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
    client, _user = signed_in("psychologist")
    client.get(f"/casework/cases/{case_id}")
    client.get(f"/casework/cases/{case_id}")
    with app.app_context():
        target = _db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "case.read").order_by(AuditEvent.id)
        ).first()
        target_id = target.id
        postgres = _db.engine.dialect.name == "postgresql"
        if postgres:
            _db.session.execute(
                sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
            )
        _db.session.execute(
            sa.text("UPDATE audit_event SET actor_id = NULL WHERE id = :id"), {"id": target_id}
        )
        if postgres:
            _db.session.execute(
                sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
            )
        _db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"event {target_id}" in result.output


@pytest.mark.postgres_only
def test_postgres_refuses_to_rewrite_a_casework_event(app, signed_in):
    with app.app_context():
        case_id = make_case().id
        _db.session.commit()
    client, _user = signed_in("social_worker")
    client.get(f"/casework/cases/{case_id}")
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError):
            _db.session.execute(
                sa.text("UPDATE audit_event SET actor_id = NULL WHERE category = 'casework'")
            )
        _db.session.rollback()
        with pytest.raises(sa.exc.DBAPIError):
            _db.session.execute(sa.text("DELETE FROM audit_event WHERE category = 'casework'"))
        _db.session.rollback()
