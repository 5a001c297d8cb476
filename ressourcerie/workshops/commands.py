"""Command-line commands of this feature (registered by ressourcerie.cli)."""

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from ressourcerie.columns import LOCAL_TZ
from ressourcerie.extensions import db
from ressourcerie.workshops.services import bookings

reminders_cli = AppGroup("reminders", help="Workshops: reminders of tomorrow's sessions.")


@reminders_cli.command("send")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Day to act as today (YYYY-MM-DD); today by default.",
)
def send(on) -> None:
    """Queue a reminder for every confirmed booking of tomorrow's sessions; idempotent
    (run it daily, e.g. at 10:00; `flask outbox send` delivers)."""
    now = None
    if on is not None:
        now = datetime.combine(on.date(), datetime.min.time().replace(hour=12), tzinfo=LOCAL_TZ)
        now = now.astimezone(UTC)
    # Mail bodies are rendered with the app's template helpers, which expect a request.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        count = bookings.queue_reminders(now)
    db.session.commit()
    click.echo(f"{count} workshop reminder(s) queued.")


# Click commands or groups of this feature; ressourcerie.cli adds each to `flask`.
COMMANDS: list[click.Command] = [reminders_cli]
