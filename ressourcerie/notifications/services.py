"""Queue messages in the outbox, in the caller's transaction."""

from flask import current_app, render_template

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db
from ressourcerie.notifications.models import OutboxMessage


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
        status="pending",
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message
