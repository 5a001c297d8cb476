"""The dashboard and its files: figures, protection, formats, query budget."""

import csv
import io
import re
import subprocess

import sqlalchemy as sa
from openpyxl import load_workbook

from ressourcerie.extensions import db as _db
from ressourcerie.reports import commands, exports
from ressourcerie.reports.figures import build_report
from ressourcerie.reports.questionnaire import ImpactAnswer
from tests.reports.builders import (
    Q3,
    activity,
    booking,
    first_site,
    other_site,
    paris,
    person,
    session,
    visit,
)

Q3_ARGS = "preset=custom&start=2026-07-01&end=2026-09-30"


def build_data(app, people=8):
    with app.app_context():
        site = first_site()
        act = activity(site)
        held = session(act, paris(2026, 8, 4, 14), capacity=people + 5)
        for index in range(people):
            who = person(site, gender="woman" if index else "man", birth_year=1950 + index)
            visit(site, who, paris(2026, 7, 2 + index % 20, 10 + index % 6))
            booking(held, who, "attended", "full", 500)
        _db.session.commit()
        return site.id


def count_queries(app, client, url):
    statements = []

    def record(*args):
        statements.append(args[2])

    with app.app_context():
        engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.data[:500]
    return len(statements)


def test_dashboard_shows_every_section_and_protects_small_cells(app, client, login_as):
    build_data(app)
    login_as("coordinator")
    page = client.get(f"/reports/?{Q3_ARGS}").get_data(as_text=True)
    for title in ("Fréquentation", "Public", "Adhésions", "Ateliers", "Accompagnement", "Impact"):
        assert f">{title}</h2>" in page
    assert "<svg" in page and 'style="' not in page
    # One man among 8 people: hidden, and the women with him (marked "s").
    assert "&lt; 5" in page
    assert '<td class="num">s</td>' in page
    assert "Pas encore de réponse" in page
    assert "du 1er juillet 2026 au 30 septembre 2026" in page


def test_the_default_page_shows_last_quarter(client, login_as):
    login_as("coordinator")
    page = client.get("/reports/").get_data(as_text=True)
    assert 'value="last_quarter" selected' in page or 'selected value="last_quarter"' in page
    assert "Fréquentation" in page


def test_bad_dates_are_explained_in_french_and_kept(client, login_as):
    login_as("coordinator")
    page = client.get("/reports/?preset=custom&start=2026-09-30&end=2026-07-01").get_data(
        as_text=True
    )
    assert "La date de fin doit être après la date de début." in page
    assert 'value="2026-09-30"' in page
    assert "Fréquentation</h2>" not in page
    assert client.get("/reports/rapport.csv?preset=custom&start=2026-09-30").status_code == 400


def test_a_site_the_coordinator_cannot_see_is_refused(app, client, login_as):
    with app.app_context():
        elsewhere = other_site().id
        _db.session.commit()
    login_as("coordinator")
    assert client.get(f"/reports/?{Q3_ARGS}&site={elsewhere}").status_code == 403
    assert client.get(f"/reports/rapport.pdf?{Q3_ARGS}&site={elsewhere}").status_code == 403


def test_the_query_count_does_not_grow_with_the_data(app, client, login_as):
    login_as("coordinator")
    build_data(app, people=2)
    few = count_queries(app, client, f"/reports/?{Q3_ARGS}")
    build_data(app, people=30)
    many = count_queries(app, client, f"/reports/?{Q3_ARGS}")
    assert few == many
    assert many < 40


def sheet_titled(book, title):
    return next(sheet for sheet in book.worksheets if sheet["A1"].value == title)


def html_cells(page: str, key: str) -> list[list[str]]:
    start = page.index(f'id="table-{key}"')
    block = page[start : page.index("</table>", start)]
    rows = []
    for row in block.split("<tr")[2:]:
        cells = [part.split(">", 1)[1].split("<", 1)[0] for part in row.split("<t")[1:]]
        rows.append(
            [c.replace("&lt;", "<").replace("\u202f", " ").replace("\xa0", " ") for c in cells]
        )
    return rows


def test_csv_and_xlsx_hold_the_same_figures_as_the_page(app, client, login_as):
    build_data(app)
    login_as("coordinator")
    page = client.get(f"/reports/?{Q3_ARGS}").get_data(as_text=True)

    response = client.get(f"/reports/rapport.csv?{Q3_ARGS}")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    assert response.headers["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    gender_at = lines.index(["Public par genre"])
    csv_gender = [row[:2] for row in lines[gender_at + 2 : gender_at + 7]]

    book = load_workbook(io.BytesIO(client.get(f"/reports/rapport.xlsx?{Q3_ARGS}").data))
    sheet = sheet_titled(book, "Public par genre")
    xlsx_gender = [[str(c.value) for c in row[:2]] for row in sheet.iter_rows(min_row=3)]

    page_gender = [row[:2] for row in html_cells(page, "public_gender")]
    assert page_gender == csv_gender == xlsx_gender
    assert ["Homme", "< 5"] in page_gender
    assert ["Total", "8"] in page_gender

    page_tiers = html_cells(page, "revenue_by_tier")
    assert ["Tarif plein", "8", "40,00 €"] == page_tiers[0]
    tier_at = lines.index(["Réservations et montants par tarif"])
    assert lines[tier_at + 2] == ["Tarif plein", "8", "40,00"]
    tiers = sheet_titled(book, "Réservations et montants par tarif")
    assert [c.value for c in next(tiers.iter_rows(min_row=3))] == ["Tarif plein", 8, 40]


def test_a_small_site_hides_its_headcount_in_every_format(app, client, login_as, tmp_path):
    build_data(app, people=1)
    with app.app_context():
        site = first_site()
        for index in range(2):
            row = ImpactAnswer(
                person_id=person(site).id, site_id=site.id, channel="paper", wellbeing="improved"
            )
            row.set_answered_on(paris(2026, 8, 10 + index, 10).date())
            _db.session.add(row)
        _db.session.commit()
    login_as("coordinator")
    headcount = "Personnes venues (passage ou atelier)"
    undisclosed = "non communiqué (moins de 5 personnes)"

    page = client.get(f"/reports/?{Q3_ARGS}").get_data(as_text=True)
    assert re.search(rf"<dt>{re.escape(headcount)}</dt><dd>&lt; 5</dd>", page)
    assert f"<dt>Âge moyen</dt><dd>{undisclosed}</dd>" in page
    assert "<dt>Réponses au questionnaire</dt><dd>&lt; 5</dd>" in page

    lines = list(
        csv.reader(
            io.StringIO(client.get(f"/reports/rapport.csv?{Q3_ARGS}").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert [headcount, "< 5"] in lines
    assert ["Âge moyen", undisclosed] in lines

    book = load_workbook(io.BytesIO(client.get(f"/reports/rapport.xlsx?{Q3_ARGS}").data))
    cover = [[c.value for c in row[:2]] for row in book.worksheets[0].iter_rows()]
    assert [headcount, "< 5"] in cover
    assert ["Âge moyen", undisclosed] in cover

    path = tmp_path / "small.pdf"
    path.write_bytes(client.get(f"/reports/rapport.pdf?{Q3_ARGS}").data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    public_figures = text.rsplit("2. Public", 1)[1][:600]  # after the contents; a grid
    assert re.search(r"^\s*<\s?5\s", public_figures, re.MULTILINE)
    assert "communiqué" in public_figures


def test_every_table_has_a_sheet(app):
    with app.test_request_context():
        report = build_report(Q3, [first_site().id], "Lieu")
        book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
    assert len(book.sheetnames) == 1 + len(report.tables())


def test_each_sheet_has_a_short_name_of_whole_words(app):
    build_data(app)
    with app.test_request_context():
        site = first_site()
        row = ImpactAnswer(person_id=person(site).id, site_id=site.id, channel="paper")
        row.set_answered_on(paris(2026, 8, 10, 10).date())
        _db.session.add(row)
        _db.session.flush()
        report = build_report(Q3, [site.id], "Lieu")
        book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
        keys = [table.key for table in report.tables()]
        assert "impact_caregiver" in keys and "visits_by_weekday_hour" in keys
        assert book.sheetnames[1:] == [str(exports.SHEET_TITLES[key]) for key in keys]
    assert "Passages jour et heure" in book.sheetnames
    assert all(len(name) <= 28 for name in book.sheetnames)
    # A table without a short name is cut after a whole word, not in the middle of one.
    assert exports._sheet_name("Passages par jour et heure d'arrivée", set()) == (
        "Passages par jour et heure"
    )
    assert exports._sheet_name("Passages par jour et heure", {"passages par jour et heure"}) == (
        "Passages par jour et heure 2"
    )
    assert exports._sheet_name("x" * 40, set()) == "x" * 28


def test_the_pdf_has_a_cover_contents_and_the_figures(app, client, login_as, tmp_path):
    build_data(app)
    login_as("coordinator")
    response = client.get(f"/reports/rapport.pdf?{Q3_ARGS}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert 6 <= pages <= 20
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rapport d'activité" in text
    assert "du 1er juillet 2026 au 30 septembre 2026" in text
    assert "Sommaire" in text
    assert "< 5" in text
    footers = re.findall(rf"\b(\d+) ?/ ?{pages}\b", text)
    assert "1" not in footers  # the cover has no page number
    assert "2" in footers


def test_exports_are_logged(app, client, login_as):
    from ressourcerie.security.models import AuditEvent

    login_as("coordinator")
    client.get(f"/reports/rapport.csv?{Q3_ARGS}")
    with app.app_context():
        actions = _db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "report.exported" in actions


def test_command_writes_each_format(app, runner, tmp_path):
    build_data(app)
    for file_format in ("csv", "xlsx", "pdf"):
        output = tmp_path / f"r.{file_format}"
        result = runner.invoke(
            args=[
                "report",
                "--start",
                "2026-07-01",
                "--end",
                "2026-09-30",
                "--format",
                file_format,
                "--output",
                str(output),
            ]
        )
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 1000
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert "Public par genre" in (tmp_path / "r.csv").read_bytes().decode("utf-8-sig")
    bad = runner.invoke(
        args=[
            "report",
            "--start",
            "2026-07-01",
            "--end",
            "2026-06-01",
            "--format",
            "csv",
            "--output",
            str(output),
        ]
    )
    assert bad.exit_code != 0


def report_args(output) -> list[str]:
    return [
        "report",
        "--start",
        "2026-07-01",
        "--end",
        "2026-09-30",
        "--format",
        "pdf",
        "--output",
        str(output),
    ]


def test_command_says_plainly_when_it_cannot_write_the_file(app, runner, tmp_path, monkeypatch):
    result = runner.invoke(args=report_args(tmp_path / "nonexistent" / "x.pdf"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)

    def refused(self, data):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(commands.Path, "write_bytes", refused)
    result = runner.invoke(args=report_args(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Permission denied" in result.output
    assert isinstance(result.exception, SystemExit)
