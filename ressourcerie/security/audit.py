"""The append-only, hash-chained event store behind the security log and the casework access log.

Each event stores the hash of the previous one; changing, removing or inserting a row
breaks the chain, and `flask audit verify` names the first broken link. Purging old
events writes a checkpoint so the remaining chain still verifies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func, select, text

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.security.models import AuditCheckpoint, AuditEvent

GENESIS_HASH = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock that serialises chain appends.
CHAIN_LOCK_KEY = 731_984_001


def _digest(prev_hash: str, event) -> str:
    payload = [
        prev_hash,
        event.created_at.isoformat(timespec="microseconds"),
        event.category,
        event.action,
        event.outcome,
        event.actor_id,
        event.actor_roles,
        event.object_type,
        event.object_id,
        event.site_id,
        event.ip_address,
        event.request_id,
        event.detail,
    ]
    encoded = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _lock_chain() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def _last_hash() -> str:
    last = db.session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    if last is not None:
        return last
    checkpoint = db.session.execute(
        select(AuditCheckpoint.last_hash).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).scalar_one_or_none()
    return checkpoint or GENESIS_HASH


def record(
    category: str,
    action: str,
    *,
    outcome: str = "success",
    actor=None,
    object_type: str | None = None,
    object_id: object = None,
    site_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain in the current transaction (the caller commits)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        created_at=utcnow(),
        category=category,
        action=action,
        outcome=outcome,
        actor_id=getattr(actor, "id", None),
        actor_roles=",".join(sorted(role.value for role in actor.roles)) if actor else "",
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        site_id=site_id,
        ip_address=request.remote_addr if has_request_context() else None,
        request_id=g.get("request_id") if has_request_context() else None,
        detail=json.dumps(detail or {}, sort_keys=True, ensure_ascii=True),
    )
    _lock_chain()
    event.prev_hash = _last_hash()
    event.hash = _digest(event.prev_hash, event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 2000) -> VerifyResult:
    """Walk the whole chain in id order; report the first event that does not fit."""
    checkpoint = db.session.execute(
        select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).scalar_one_or_none()
    expected_prev = checkpoint.last_hash if checkpoint else GENESIS_HASH
    checked = 0
    last_id = checkpoint.last_event_id if checkpoint else 0
    while True:
        table = AuditEvent.__table__
        rows = db.session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size)
        ).all()
        if not rows:
            return VerifyResult(ok=True, checked=checked)
        for event in rows:
            if event.prev_hash != expected_prev:
                return VerifyResult(
                    False, checked, event.id, "previous hash does not match (row removed or moved)"
                )
            if _digest(event.prev_hash, event) != event.hash:
                return VerifyResult(False, checked, event.id, "content does not match its hash")
            expected_prev = event.hash
            last_id = event.id
            checked += 1


def purge_before(cutoff: datetime) -> int:
    """Remove events older than `cutoff` (a prefix of the chain) and leave a checkpoint."""
    _lock_chain()
    last = db.session.execute(
        select(AuditEvent.id, AuditEvent.hash)
        .where(AuditEvent.created_at < cutoff)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return 0
    count = db.session.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.id <= last.id)
    ).scalar_one()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL ressourcerie.audit_purge = 'on'"))
    db.session.execute(delete(AuditEvent).where(AuditEvent.id <= last.id))
    db.session.add(
        AuditCheckpoint(
            last_event_id=last.id, last_hash=last.hash, purged_count=count, purged_before=cutoff
        )
    )
    db.session.flush()
    return count
