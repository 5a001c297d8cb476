"""Command-line commands of casework: retention (anonymise old cases)."""

import os

import click
from flask import current_app
from flask.cli import AppGroup

from ressourcerie.casework import services
from ressourcerie.extensions import db

casework_cli = AppGroup("casework", help="Confidential casework: retention.")


@casework_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count the cases that would be anonymised.")
@click.option(
    "--months",
    type=int,
    default=None,
    help="Months after the last contact (default: CASEWORK_RETENTION_MONTHS or 24).",
)
def retention(dry_run: bool, months: int | None) -> None:
    """Anonymise closed or dormant cases whose last contact is older than the retention period."""
    if months is None:
        months = int(
            current_app.config.get("CASEWORK_RETENTION_MONTHS")
            or os.environ.get("CASEWORK_RETENTION_MONTHS")
            or services.RETENTION_MONTHS
        )
    count = services.run_retention(months=months, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(
            f"Dry run: {count} cases would be anonymised (last contact over {months} months)."
        )
        return
    db.session.commit()
    click.echo(f"{count} cases anonymised (last contact over {months} months).")


# Click commands or groups of this feature; ressourcerie.cli adds each to `flask`.
COMMANDS: list[click.Command] = [casework_cli]
