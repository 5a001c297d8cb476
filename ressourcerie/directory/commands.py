"""Command-line commands of this feature (registered by ressourcerie.cli)."""

import sys

import click
from flask.cli import AppGroup

from ressourcerie.directory import services
from ressourcerie.extensions import db

directory_cli = AppGroup("directory", help="Partner directory: CSV import and export.")


@directory_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
def export(path: str) -> None:
    """Write the whole directory as CSV (UTF-8 with BOM, ';') to PATH ('-' for stdout)."""
    text = services.export_csv(services.export_partners())
    if path == "-":
        sys.stdout.write(text)
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    click.echo(f"Directory exported to {path}.", err=True)


@directory_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every line and write nothing.")
def import_(path: str, dry_run: bool) -> None:
    """Import partners from a CSV file: every line, or none if one line is wrong."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        report = services.check_csv(data)
    except services.ImportFileError as error:
        raise click.ClickException(str(error)) from error
    for line in report.errors:
        click.echo(f"line {line.number} ({line.name or '-'}): {'; '.join(line.errors)}", err=True)
    if not report.ok:
        raise click.ClickException(f"{len(report.errors)} line(s) to fix: nothing imported.")
    if dry_run:
        click.echo(f"OK: {report.creates} to create, {report.updates} to update (dry run).")
        return
    report = services.import_csv(data)
    db.session.commit()
    click.echo(f"Imported: {report.creates} created, {report.updates} updated.")


# Click commands or groups of this feature; ressourcerie.cli adds each to `flask`.
COMMANDS: list[click.Command] = [directory_cli]
