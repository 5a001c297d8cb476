"""Queue messages in the outbox (in the caller's transaction) and deliver them by SMTP
with retries and exponential backoff."""

from __future__ import annotations

import json
import re
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from sqlalchemy import or_, select

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.settings import services as settings

PENDING, SENT, FAILED = "pending", "sent", "failed"
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def queue_email(*, kind: str, to: str, subject: str, template: str, **context) -> OutboxMessage:
    """Render `emails/<template>.txt` and store it; `flask outbox send` delivers it later."""
    body = render_template(
        f"emails/{template}.txt", base_url=current_app.config["BASE_URL"], **context
    )
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        subject=subject,
        body_text=body,
        status=PENDING,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def sending_enabled() -> bool:
    """Mails leave only when an SMTP server is configured; otherwise they are stored."""
    return bool(current_app.config.get("MAIL_SERVER"))


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8 … minutes, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def build_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}")
    for name, value in json.loads(message.headers_json or "{}").items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config.get("MAIL_USE_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


@dataclass
class Outcome:
    message_id: int
    status: str
    error: str | None = None


def due_message_ids(now: datetime, limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == PENDING,
                or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def claim(message_id: int, now: datetime) -> OutboxMessage | None:
    """The message, locked until the caller commits, if it is still due.

    On PostgreSQL a second sender running at the same time skips it, so a message is
    never sent twice.
    """
    query = select(OutboxMessage).where(
        OutboxMessage.id == message_id,
        OutboxMessage.status == PENDING,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return db.session.execute(query.execution_options(populate_existing=True)).scalar_one_or_none()


def _record_failure(message: OutboxMessage, error: str, now: datetime, *, permanent: bool) -> None:
    message.attempts += 1
    message.last_error = error[:500]
    if permanent or message.attempts >= settings.get("mail.max_attempts"):
        message.status = FAILED
        message.next_attempt_at = None
    else:
        message.next_attempt_at = now + backoff(message.attempts)


def _send_one(smtp: smtplib.SMTP, message: OutboxMessage, now: datetime) -> None:
    try:
        smtp.send_message(build_email(message))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        _record_failure(message, f"refusé : {error}", now, permanent=True)
    except smtplib.SMTPResponseException as error:
        _record_failure(
            message,
            f"{error.smtp_code} {error.smtp_error!r}",
            now,
            permanent=error.smtp_code >= 500,
        )
    except (OSError, smtplib.SMTPException) as error:
        _record_failure(message, str(error) or type(error).__name__, now, permanent=False)
    else:
        message.status = SENT
        message.sent_at = utcnow()
        message.attempts += 1
        message.next_attempt_at = None
        message.last_error = None


def deliver_due(now: datetime | None = None, limit: int = 500) -> Iterator[Outcome]:
    """Send the messages that are due, one by one. The caller commits after each
    outcome, so a crash never sends a delivered message twice."""
    now = now or utcnow()
    smtp: smtplib.SMTP | None = None
    connect_error: str | None = None
    try:
        for message_id in due_message_ids(now, limit):
            message = claim(message_id, now)
            if message is None:
                continue
            if smtp is None and connect_error is None:
                try:
                    smtp = _connect()
                except (OSError, smtplib.SMTPException) as error:
                    connect_error = f"connexion au serveur impossible : {error}"
            if smtp is None:
                _record_failure(message, connect_error or "", now, permanent=False)
            else:
                _send_one(smtp, message, now)
            db.session.flush()
            yield Outcome(message.id, message.status, message.last_error)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def retry_now(message: OutboxMessage) -> None:
    """An admin asks for a failed (or waiting) message to be tried again at once."""
    message.status = PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()


# Links that act for their recipient: whoever holds one can set a password, confirm an
# address, claim an account, unsubscribe, or read a calendar.
SECRET_LINK = re.compile(
    r"(/password/reset/|/signup/confirm/|/newsletter/unsubscribe/|/calendar/|/claim\?code=)"
    r"[^\s]+"
)


def mask_secrets(text: str) -> str:
    """The message as the admin may read it: personal links masked. An admin must not be
    able to take over an account (a care-team one above all) from the stored e-mails."""
    return SECRET_LINK.sub(lambda match: match.group(1) + "[lien personnel masqué]", text or "")
