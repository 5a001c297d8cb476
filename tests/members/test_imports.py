"""People import: dry run with bad rows, duplicates, all-or-nothing, malformed files."""

import io
import os
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person
from ressourcerie.members.services import imports as svc
from tests.members.money_builders import first_site, new_person

HEADER = "prénom;nom;année de naissance;genre;commune;code postal;téléphone;email;newsletter"
GOOD = [
    "Élodie;Martin;1958;femme;Bordeaux;33000;06 12 34 56 78;elodie@example.org;oui",
    "Paul;Durand;1949;homme;Bègles;33130;;;non",
    "Awa;;;;;;;;",
]


def csv_bytes(lines, encoding="utf-8"):
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def import_folder(app, tmp_path):
    app.config["IMPORT_FOLDER"] = str(tmp_path)
    return tmp_path


def count_people():
    return _db.session.scalar(select(func.count(Person.id)))


def test_dry_run_lists_every_bad_row_with_its_line(db):
    data = csv_bytes(
        [
            HEADER,
            *GOOD,
            "Jean;Dupont;58;homme;;;;;",
            ";;;;;;;;",
            "Marie;Curie;1960;dame;;3300A;123;pas-un-mail;peut-être",
            ";;;femme;;;;;",
            "Luc;Petit;1970;;;;;;oui",
        ]
    )
    report = svc.check(data, "liste.csv")
    assert [row.line for row in report.rows] == [2, 3, 4]
    problems = {problem.line: problem.reason for problem in report.problems}
    assert set(problems) == {5, 7, 8, 9}
    assert "année de naissance 58 impossible" in problems[5]
    for part in (
        "genre « dame »",
        "code postal « 3300A »",
        "téléphone « 123 »",
        "email",
        "oui ou non",
    ):
        assert part in problems[7]
    assert "ni prénom ni nom" in problems[8]
    assert "sans email" in problems[9]
    with pytest.raises(svc.ImportFileError, match="4 ligne"):
        svc.run_import(data, "liste.csv", site=first_site(), by=None, include_duplicates=False)
    assert count_people() == 0


def test_import_creates_everyone_and_reports_duplicates(db):
    new_person("Élodie", "MARTIN", birth_year=1958)
    new_person("Zoé", "Autre", email="paul@example.org")
    data = csv_bytes(
        [
            HEADER,
            *GOOD,
            "Elodie;Martin;1958;femme;;;;;",  # same as line 2 in the file (and in the base)
            "Paula;Dupuis;1980;;;;;paul@example.org;",  # email already in the base
            "Léa;Roux;1990;;;;+33 6 12 34 56 78;;",  # same phone as line 2
        ]
    )
    report = svc.check(data, "liste.csv")
    assert report.ok
    reasons = {duplicate.line: duplicate.reason for duplicate in report.duplicates}
    assert set(reasons) == {2, 5, 6, 7}
    assert "fiche existante" in reasons[2]
    assert "ligne 2" in reasons[5]
    assert "email" in reasons[6]
    assert "téléphone" in reasons[7] and "ligne 2" in reasons[7]
    created, skipped = svc.run_import(
        data, "liste.csv", site=first_site(), by=None, include_duplicates=False
    )
    assert (created, skipped) == (2, 4)
    assert count_people() == 4
    awa = _db.session.scalars(select(Person).where(Person.first_name == "Awa")).one()
    assert awa.last_name == "" and awa.gender == "not_said"
    created, skipped = svc.run_import(
        data, "liste.csv", site=first_site(), by=None, include_duplicates=True
    )
    assert (created, skipped) == (6, 0)


def test_cp1252_csv_and_comma_separator(db):
    data = csv_bytes(
        ["Prénom,Nom,Année de naissance,Téléphone,Remarque", "Hélène,Bézier,1955,0612345678,x"],
        encoding="cp1252",
    )
    report = svc.check(data, "ancien.csv")
    assert report.ok and report.ignored_columns == ["Remarque"]
    assert report.rows[0].values["first_name"] == "Hélène"
    assert report.rows[0].values["birth_year"] == 1955


def test_spreadsheet_habits_are_understood(db):
    """What Excel does to a people list: birth dates instead of years, phone numbers that
    lost their 0, TRUE/FALSE cells, usual column titles."""
    from datetime import datetime

    data = xlsx_bytes(
        [
            [
                "Prénom",
                "Nom",
                "Date de naissance",
                "Téléphone portable",
                "Adresse mail",
                "Newsletter",
            ],
            ["Anne", "Lemoine", datetime(1958, 1, 5), 612345678, "anne@example.org", True],
            ["Paul", "Roux", "05/01/1961", "+44 20 7946 0958", None, False],
        ]
    )
    report = svc.check(data, "liste.xlsx")
    assert report.ok and report.ignored_columns == []
    anne, paul = (row.values for row in report.rows)
    assert anne["birth_year"] == 1958 and paul["birth_year"] == 1961
    assert anne["phone"] == "0612345678" and anne["newsletter"] is True
    assert paul["phone"] == "+44 20 7946 0958" and paul["newsletter"] is False
    assert anne["email"] == "anne@example.org"
    assert [(note.line, "complété en « 0612345678 »" in note.reason) for note in report.notes] == [
        (2, True)
    ]


def test_xlsx(db):
    data = xlsx_bytes(
        [
            ["Prénom", "Nom", "Année de naissance", "Code postal", "Email", "Newsletter"],
            ["Anne", "Lemoine", 1961, 3300, "ANNE@example.org", "Oui"],
            ["Bad", "Year", "vers 1960", None, None, None],
        ]
    )
    report = svc.check(data, "liste.xlsx")
    assert report.rows[0].values["email"] == "anne@example.org"
    assert report.rows[0].values["postcode"] == "03300"
    assert "_note" not in report.rows[0].values
    assert [(note.line, "complété en « 03300 »" in note.reason) for note in report.notes] == [
        (2, True)
    ]
    assert report.rows[0].values["newsletter"] is True
    assert report.problems[0].line == 3 and "vers 1960" in report.problems[0].reason


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "vide.csv", "vide"),
        (
            b"nom de famille;ville\nMartin;Bordeaux\n",
            "x.csv",
            "Colonnes obligatoires absentes : prénom",
        ),
        (os.urandom(4096) + b"\x00" * 10, "garbage.csv", "binaire"),
        (b"PK\x03\x04" + os.urandom(2000), "abime.xlsx", "illisible"),
        (b"prenom;nom\n", "titres.csv", "aucune ligne"),
        (b"\xd0\xcf\x11\xe0 old excel", "vieux.xls", ".xls"),
    ],
)
def test_malformed_files_give_a_clear_message(db, data, filename, message):
    with pytest.raises(svc.ImportFileError, match=re.escape(message)):
        svc.check(data, filename)
    assert count_people() == 0


def test_upload_dry_run_then_import_through_the_pages(app, client, login_as, import_folder):
    login_as("reception")
    data = csv_bytes([HEADER, *GOOD])
    response = client.post(
        "/members/import",
        data={"file": (io.BytesIO(data), "liste.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    review_url = response.location
    token = review_url.rsplit("/", 1)[1]
    assert (import_folder / f"{token}.bin").exists()
    review = client.get(review_url)
    assert "3 lignes correctes" in review.text
    with app.app_context():
        assert count_people() == 0
    # Another staff member cannot use this token.
    other = app.test_client()
    login_as("reception", client=other)
    assert other.get(review_url).status_code == 302
    done = client.post(review_url, data={"token": token}, follow_redirects=True)
    assert "3 personnes importées" in done.text
    assert not (import_folder / f"{token}.bin").exists()
    with app.app_context():
        assert count_people() == 3


def test_bad_file_is_refused_on_upload(app, client, login_as, import_folder):
    login_as("reception")
    response = client.post(
        "/members/import",
        data={"file": (io.BytesIO(b"\x00\x01garbage" * 100), "liste.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "contenu binaire" in response.text
    assert list(import_folder.iterdir()) == []


def test_too_large_upload_gets_a_french_page(app, client, login_as, import_folder):
    login_as("reception")
    # A raw body (no temporary file): refused on its announced length alone.
    response = client.post(
        "/members/import",
        data=b"a" * (10 * 1024 * 1024 + 10),
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.text


def test_a_duplicate_at_another_site_is_not_named(db):
    from ressourcerie.security import services as security

    other = security.create_site(name="Antenne du Nord")
    new_person("Secret", "Ailleurs", email="secret@example.org", site_id=other.id)
    here = new_person("Connue", "Ici", email="connue@example.org")
    _db.session.commit()
    data = csv_bytes(["prénom;nom;email", "S;A;secret@example.org", "C;I;connue@example.org"])
    report = svc.check(data, "liste.csv", {first_site().id})
    reasons = {d.line: d.reason for d in report.duplicates}
    assert "autre site du réseau" in reasons[2] and "Ailleurs" not in reasons[2]
    assert f"n° {here.id}" in reasons[3] and "Connue Ici" in reasons[3]
