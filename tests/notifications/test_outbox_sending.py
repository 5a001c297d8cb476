"""Outbox delivery through a real local SMTP server (aiosmtpd), retries and backoff."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db as _db
from ressourcerie.notifications import services
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.settings import services as settings


class Inbox:
    """aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def queue(app, n=1, **extra):
    with app.test_request_context():
        ids = []
        for i in range(n):
            message = services.queue_email(
                kind="test",
                to=f"person{i}@example.org",
                subject=f"Bonjour {i}",
                template="newsletter",
                newsletter=type("N", (), {"body_markdown": "Texte **gras** é"})(),
                unsubscribe_link="http://x/u",
            )
            for key, value in extra.items():
                setattr(message, key, value)
            ids.append(message.id)
        _db.session.commit()
        return ids


def run_send(app, now=None):
    with app.app_context():
        outcomes = []
        for outcome in services.deliver_due(now=now):
            _db.session.commit()
            outcomes.append(outcome)
        return outcomes


def stored(app, message_id):
    with app.app_context():
        message = _db.session.get(OutboxMessage, message_id)
        _db.session.expunge(message)
        return message


def test_default_configuration_only_stores(app, runner):
    (message_id,) = queue(app)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "only stored" in result.output
    assert stored(app, message_id).status == "pending"


def test_delivers_pending_messages(app, runner, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    ids = queue(app, 3)
    html_id = queue(
        app,
        body_html="<p>Texte <strong>gras</strong></p>",
        headers_json='{"List-Unsubscribe": "<http://x/u>"}',
    )[0]
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "4 sent" in result.output
    assert sorted(rcpt[0] for rcpt, _ in inbox.messages) == [
        "person0@example.org",
        "person0@example.org",
        "person1@example.org",
        "person2@example.org",
    ]
    for message_id in ids:
        message = stored(app, message_id)
        assert message.status == "sent" and message.sent_at is not None
    last = inbox.messages[-1][1]
    assert last["List-Unsubscribe"] == "<http://x/u>"
    assert last.get_body(("html",)).get_content().startswith("<p>Texte")
    assert "é" in last.get_body(("plain",)).get_content()
    assert stored(app, html_id).attempts == 1
    # Nothing is sent twice.
    result = runner.invoke(args=["outbox", "send"])
    assert len(inbox.messages) == 4


def test_server_down_then_back(app):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    (message_id,) = queue(app)
    start = utcnow()
    outcomes = run_send(app, now=start)
    assert [o.status for o in outcomes] == ["pending"]
    message = stored(app, message_id)
    assert message.attempts == 1 and "connexion" in message.last_error
    assert message.next_attempt_at >= start + timedelta(seconds=59)
    # Not due yet: nothing is tried.
    assert run_send(app, now=start + timedelta(seconds=30)) == []
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        outcomes = run_send(app, now=start + timedelta(minutes=2))
    finally:
        controller.stop()
    assert [o.status for o in outcomes] == ["sent"]
    assert len(inbox.messages) == 1
    assert stored(app, message_id).attempts == 2


def test_gives_up_after_max_attempts_and_admin_can_retry(app, client, login_as):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    with app.app_context():
        settings.set_value(
            "mail.max_attempts", "3", utcnow().date() - timedelta(days=1), by_id=None
        )
        _db.session.commit()
    (message_id,) = queue(app)
    moment = utcnow()
    waits = []
    for _attempt in range(3):
        run_send(app, now=moment)
        message = stored(app, message_id)
        if message.next_attempt_at:
            waits.append(message.next_attempt_at - moment)
            moment = message.next_attempt_at
    message = stored(app, message_id)
    assert message.status == "failed" and message.attempts == 3
    assert waits == [timedelta(minutes=1), timedelta(minutes=2)]
    assert run_send(app, now=moment + timedelta(days=1)) == []

    login_as("admin")
    listing = client.get("/admin/outbox/?status=failed")
    assert "en échec" in listing.text and "Bonjour 0" in listing.text
    page = client.get(f"/admin/outbox/{message_id}")
    assert "Réessayer maintenant" in page.text
    assert client.post(f"/admin/outbox/{message_id}/retry").status_code == 302
    message = stored(app, message_id)
    assert message.status == "pending" and message.attempts == 0


def test_backoff_grows_and_is_capped():
    assert services.backoff(1) == timedelta(minutes=1)
    assert services.backoff(4) == timedelta(minutes=8)
    assert services.backoff(30) == timedelta(hours=6)


def test_refused_recipient_fails_at_once(app, smtp_server):
    controller, inbox = smtp_server

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 no such user"

    inbox.handle_RCPT = refuse
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    (message_id,) = queue(app)
    run_send(app)
    message = stored(app, message_id)
    assert message.status == "failed" and message.attempts == 1
    assert "550" in message.last_error
    with app.app_context():
        assert _db.session.scalars(select(OutboxMessage)).one().status == "failed"
