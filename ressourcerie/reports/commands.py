"""`flask report`: the same report files as the dashboard, for scheduled mailing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from ressourcerie.extensions import db
from ressourcerie.pdf import render_pdf
from ressourcerie.reports import charts, exports
from ressourcerie.reports.figures import build_report
from ressourcerie.reports.formatting import cell_text
from ressourcerie.reports.periods import Period
from ressourcerie.security.models import Site


def _day(_context, _param, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("expected YYYY-MM-DD") from error


@click.command("report")
@with_appcontext
@click.option("--start", required=True, callback=_day, help="First day (YYYY-MM-DD), included.")
@click.option("--end", required=True, callback=_day, help="Last day (YYYY-MM-DD), included.")
@click.option("--site", "site_id", type=int, default=None, help="Site id (default: all sites).")
@click.option("--format", "file_format", type=click.Choice(["pdf", "csv", "xlsx"]), required=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
def report(start: date, end: date, site_id: int | None, file_format: str, output: str) -> None:
    """Write the activity report of a period as PDF, CSV or XLSX."""
    if end < start:
        raise click.BadParameter("--end is before --start")
    folder = Path(output).resolve().parent
    if not folder.is_dir():
        # Said before the report is built (a PDF takes seconds), not as a traceback after.
        raise click.ClickException(f"cannot write {output}: the folder {folder} does not exist")
    if site_id is not None:
        site = db.session.get(Site, site_id)
        if site is None:
            raise click.BadParameter(f"no site with id {site_id}")
        sites = [site]
        label = site.name
    else:
        sites = list(db.session.scalars(select(Site).order_by(Site.name)))
        label = (
            sites[0].name
            if len(sites) == 1
            else _("Tous les lieux (%(names)s)", names=", ".join(s.name for s in sites))
        )
    built = build_report(Period(start, end), [s.id for s in sites], label)
    if file_format == "pdf":
        data = render_pdf(
            "print/report.html",
            report=built,
            chart_for=charts.chart_for,
            cell_text=cell_text,
            period_text=exports.period_text(built),
            edition_text=exports.edition_text(built),
        )
    elif file_format == "csv":
        data = exports.to_csv(built)
    else:
        data = exports.to_xlsx(built)
    try:
        Path(output).write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from error
    click.echo(
        f"{file_format.upper()} report {start} → {end} written to {output} ({len(data)} bytes)."
    )


COMMANDS = [report]
