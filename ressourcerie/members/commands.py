"""Command-line commands of this feature (registered by ressourcerie.cli)."""

from datetime import date

import click
from flask.cli import AppGroup

from ressourcerie.extensions import db
from ressourcerie.members.services import memberships

memberships_cli = AppGroup("memberships", help="Memberships: renewal reminders.")


@memberships_cli.command("remind")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Day to act as today (YYYY-MM-DD); today by default.",
)
def remind(on) -> None:
    """Queue the renewal reminders due today (30, 7 and 0 days before the end); idempotent."""
    day: date | None = on.date() if on else None
    count = memberships.queue_reminders(day)
    db.session.commit()
    click.echo(f"{count} renewal reminder(s) queued.")


# Click commands or groups of this feature; ressourcerie.cli adds each to `flask`.
COMMANDS: list[click.Command] = [memberships_cli]
