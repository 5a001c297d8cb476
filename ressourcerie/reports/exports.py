"""CSV and XLSX files of every table of a report (after small-count protection)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ressourcerie.columns import LOCAL_TZ
from ressourcerie.reports.figures import Report
from ressourcerie.reports.formatting import long_date
from ressourcerie.reports.tables import HOURS, MONEY, SHARE, Table, is_hidden

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(column) -> str:
    if column.kind == MONEY:
        return f"{column.label} (€)"
    if column.kind == SHARE:
        return f"{column.label} (%)"
    return column.label


def _csv_cell(value, kind: str) -> str:
    """French Excel reads "12,5" as a number: decimal comma, no thousands separator."""
    if is_hidden(value):
        return str(value)
    if value is None:
        return ""
    if kind == MONEY:
        return f"{Decimal(value) / 100:.2f}".replace(".", ",")
    if kind == SHARE:
        return f"{Decimal(value) * 100:.1f}".replace(".", ",")
    if kind == HOURS:
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def period_text(report: Report) -> str:
    return _(
        "du %(start)s au %(end)s",
        start=long_date(report.period.start),
        end=long_date(report.period.end),
    )


def edition_text(report: Report) -> str:
    return long_date(report.generated_at.astimezone(LOCAL_TZ).date())


def title_lines(report: Report) -> list[str]:
    return [
        _("Rapport d'activité"),
        _("Lieu : %(site)s", site=report.site_label),
        _("Période : %(period)s", period=period_text(report)),
        _("Édité le %(day)s", day=edition_text(report)),
        _(
            "Règle : toute case de moins de 5 personnes est masquée (« < 5 ») ; « s » : case "
            "masquée pour qu'on ne puisse pas retrouver une case < 5 par différence."
        ),
    ]


def to_csv(report: Report) -> bytes:
    """One file, one block per table (a title line, a header line, the rows, a blank line)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in title_lines(report):
        writer.writerow([line])
    writer.writerow([])
    for section in report.sections:
        writer.writerow([section.title.upper()])
        for figure in section.figures:
            writer.writerow([figure.label, _csv_cell(figure.value, figure.kind)])
        writer.writerow([])
        for table in section.tables:
            writer.writerow([table.title])
            writer.writerow([table.label_header, *(_header(col) for col in table.columns)])
            for row in table.all_rows:
                writer.writerow(
                    [
                        row.label,
                        *(
                            _csv_cell(v, c.kind)
                            for v, c in zip(row.values, table.columns, strict=True)
                        ),
                    ]
                )
            writer.writerow([])
        if section.note:
            writer.writerow([section.note])
            writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value, kind: str):
    if is_hidden(value):
        return str(value)
    if value is None:
        return None
    if kind == MONEY:
        return Decimal(value) / 100
    if kind == SHARE:
        return float(value)
    return value


FORMATS = {MONEY: '#,##0.00 "€"', SHARE: "0.0%", HOURS: "0.0"}


# Excel cuts sheet names at 31 characters: each table has a short name that fits.
SHEET_TITLES = {
    "visits_by_purpose": _l("Passages par motif"),
    "visits_by_month": _l("Passages par mois"),
    "visits_by_weekday_hour": _l("Passages jour et heure"),
    "public_gender": _l("Public par genre"),
    "public_age": _l("Public par âge"),
    "public_communes": _l("Communes"),
    "public_caregivers": _l("Proches aidant·es"),
    "memberships": _l("Adhésions"),
    "sessions_by_category": _l("Séances par catégorie"),
    "revenue_by_tier": _l("Réservations par tarif"),
    "workshop_attendance": _l("Présence aux séances"),
    "support_type": _l("Accompagnement par soutien"),
    "support_closed": _l("Dossiers clôturés"),
    "support_entries": _l("Entretiens et actions"),
    "support_orientations": _l("Orientations"),
    "support_procedures": _l("Démarches"),
    "support_difficulties": _l("Fiches de remontée"),
    "impact": _l("Questionnaire d'impact"),
    "impact_caregiver": _l("Se considère aidant·e"),
}
SHEET_NAME_LENGTH = 28  # 31 allowed, 3 kept for a " 2" when two names meet


def _fit(title: str, length: int) -> str:
    """`title` cut at the last whole word within `length` characters."""
    if len(title) <= length:
        return title
    head = title[: length + 1]
    cut = head.rsplit(" ", 1)[0].rstrip(" ,;:-—('«") if " " in head else ""
    return cut or title[:length]


def _sheet_name(title: str, used: set[str]) -> str:
    name = _fit(re.sub(r"[\[\]:*?/\\]", " ", title).strip(), SHEET_NAME_LENGTH)
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" {number}"
        candidate = f"{_fit(name, 31 - len(suffix))}{suffix}"
        number += 1
    used.add(candidate.lower())
    return candidate


def _write_table(sheet, table: Table) -> None:
    bold = Font(bold=True)
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([table.label_header, *(_header(col) for col in table.columns)])
    for cell in sheet[2]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DCE6EC")
    for row in table.all_rows:
        sheet.append(
            [
                row.label,
                *(_xlsx_value(v, c.kind) for v, c in zip(row.values, table.columns, strict=True)),
            ]
        )
        line = sheet.max_row
        for index, column in enumerate(table.columns, start=2):
            cell = sheet.cell(line, index)
            if column.kind in FORMATS and not isinstance(cell.value, str):
                cell.number_format = FORMATS[column.kind]
            cell.alignment = Alignment(horizontal="right")
        if row.is_total:
            for cell in sheet[line]:
                cell.font = bold
    longest_label = max((len(row.label) for row in table.all_rows), default=0)
    sheet.column_dimensions["A"].width = max(20, min(60, longest_label + 2))
    for index, column in enumerate(table.columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.label) + 4)
    sheet.freeze_panes = "B3"


def to_xlsx(report: Report) -> bytes:
    """A first sheet with the title and key figures, then one sheet per table."""
    book = Workbook()
    cover = book.active
    cover.title = _("Rapport")
    used = {cover.title.lower()}
    for line in title_lines(report):
        cover.append([line])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([])
    for section in report.sections:
        cover.append([section.title])
        cover.cell(cover.max_row, 1).font = Font(bold=True)
        for figure in section.figures:
            cover.append([figure.label, _xlsx_value(figure.value, figure.kind)])
            cell = cover.cell(cover.max_row, 2)
            if figure.kind in FORMATS and not isinstance(cell.value, str):
                cell.number_format = FORMATS[figure.kind]
            cell.alignment = Alignment(horizontal="right")
        if section.note:
            cover.append([section.note])
        cover.append([])
    cover.column_dimensions["A"].width = 60
    cover.column_dimensions["B"].width = 16
    for table in report.tables():
        title = str(SHEET_TITLES.get(table.key, table.title))
        _write_table(book.create_sheet(_sheet_name(title, used)), table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(report: Report, extension: str) -> str:
    return f"rapport-{report.period.start.isoformat()}-{report.period.end.isoformat()}.{extension}"
