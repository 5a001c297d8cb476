"""Command-line commands of this feature (registered by ressourcerie.cli)."""

import click
from flask.cli import AppGroup

from ressourcerie.extensions import db
from ressourcerie.notifications import services

outbox_cli = AppGroup("outbox", help="The mail outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Messages at most in this run.")
def send(limit: int) -> None:
    """Deliver pending messages through SMTP (MAIL_SERVER…); retries with backoff."""
    if not services.sending_enabled():
        click.echo("MAIL_SERVER is not set: messages are only stored (readable by admins).")
        return
    counts = {services.SENT: 0, services.PENDING: 0, services.FAILED: 0}
    for outcome in services.deliver_due(limit=limit):
        db.session.commit()
        counts[outcome.status] += 1
    db.session.commit()
    click.echo(
        f"{counts[services.SENT]} sent, {counts[services.PENDING]} to retry later, "
        f"{counts[services.FAILED]} failed for good."
    )


# Click commands or groups of this feature; ressourcerie.cli adds each to `flask`.
COMMANDS: list[click.Command] = [outbox_cli]
