"""Import of an existing people list (CSV or XLSX): parse, check every row, report
likely duplicates, then create everyone in one transaction or no one."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import or_, select, true

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members import queries as members_queries
from ressourcerie.members.models import Gender, Person, phone_digits, search_key
from ressourcerie.security.models import Site, User

MAX_ROWS = 50_000
KEEP_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Accepted header names (compared with search_key) for each field.
COLUMNS = {
    "first_name": ("prenom", "prenoms", "first name"),
    "last_name": ("nom", "nom de famille", "last name"),
    "birth_year": (
        "annee de naissance",
        "annee naissance",
        "naissance",
        "ne en",
        "date de naissance",
        "date naissance",
        "ddn",
        "ne le",
        "nee le",
    ),
    "gender": ("genre", "sexe"),
    "commune": ("commune", "ville"),
    "postcode": ("code postal", "cp"),
    "phone": (
        "telephone",
        "tel",
        "portable",
        "tel.",
        "telephone portable",
        "tel portable",
        "mobile",
        "telephone mobile",
        "telephone fixe",
        "numero de telephone",
        "n° de telephone",
    ),
    "email": (
        "email",
        "e-mail",
        "mail",
        "courriel",
        "adresse e-mail",
        "adresse email",
        "adresse mail",
        "adresse electronique",
        "mel",
    ),
    "newsletter": ("newsletter", "lettre d'information", "lettre", "lettre d'info"),
}
REQUIRED = ("first_name", "last_name")
COLUMN_LABELS = {
    "first_name": "prénom",
    "last_name": "nom",
    "birth_year": "année de naissance",
    "gender": "genre",
    "commune": "commune",
    "postcode": "code postal",
    "phone": "téléphone",
    "email": "email",
    "newsletter": "newsletter",
}
GENDERS = {
    "": Gender.NOT_SAID,
    "femme": Gender.WOMAN,
    "f": Gender.WOMAN,
    "homme": Gender.MAN,
    "h": Gender.MAN,
    "m": Gender.MAN,
    "autre": Gender.OTHER,
    "non precise": Gender.NOT_SAID,
    "non dit": Gender.NOT_SAID,
    "nsp": Gender.NOT_SAID,
}
YES = {"oui", "o", "x", "1", "vrai", "yes", "y", "true"}
NO = {"", "non", "n", "0", "faux", "no", "false"}
# A birth date where a year is expected: 05/01/1958, 5-1-1958, 1958-01-05 (from Excel).
BIRTH_DATE_RE = re.compile(
    r"^(?:\d{1,2}[/.-]\d{1,2}[/.-](?P<year>\d{4})|(?P<iso>\d{4})-\d{2}-\d{2})(?:[ T][\d:]+)?$"
)


class ImportFileError(Exception):
    """The file cannot be read at all; the message says why, in plain French."""


@dataclass
class RowProblem:
    line: int
    reason: str


@dataclass
class Duplicate:
    line: int
    reason: str


@dataclass
class ParsedRow:
    line: int
    values: dict


@dataclass
class ImportReport:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)  # accepted, but worth a look
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def duplicate_lines(self) -> set[int]:
        return {duplicate.line for duplicate in self.duplicates}


# --- storage of the uploaded file between the dry run and the import ---------------


def _folder() -> Path:
    folder = Path(
        current_app.config.get("IMPORT_FOLDER") or Path(current_app.instance_path) / "imports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(data: bytes, filename: str, *, user_id: int, site_id: int) -> str:
    """Keep the uploaded file server-side under a random token; old files are removed."""
    folder = _folder()
    now = time.time()
    for old in folder.glob("*"):
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(
        json.dumps({"filename": filename, "user_id": user_id, "site_id": site_id})
    )
    return token


def load_upload(token: str, *, user_id: int) -> tuple[bytes, dict] | None:
    """The stored file of this user, or None (unknown, expired, or someone else's)."""
    if not TOKEN_RE.match(token or ""):
        return None
    folder = _folder()
    data_path, meta_path = folder / f"{token}.bin", folder / f"{token}.json"
    if not data_path.exists() or not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text())
    if meta.get("user_id") != user_id:
        return None
    return data_path.read_bytes(), meta


def discard_upload(token: str) -> None:
    if TOKEN_RE.match(token or ""):
        folder = _folder()
        (folder / f"{token}.bin").unlink(missing_ok=True)
        (folder / f"{token}.json").unlink(missing_ok=True)


# --- reading ------------------------------------------------------------------------


def _cell(value) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Rows of cells as text, header first; ImportFileError when unreadable."""
    if not data.strip():
        raise ImportFileError(_("Le fichier est vide."))
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) or is_zip:
        return _read_xlsx(data)
    if filename.lower().endswith(".xls"):
        raise ImportFileError(
            _(
                "Les anciens fichiers Excel (.xls) ne sont pas lus : enregistrez-le en .xlsx ou en CSV."
            )
        )
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _(
                "Ce fichier Excel est illisible ou abîmé. Ouvrez-le dans Excel et enregistrez-le à nouveau en .xlsx."
            )
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(
                    _(
                        "Le fichier dépasse %(n)s lignes : découpez-le en plusieurs fichiers.",
                        n=MAX_ROWS,
                    )
                )
        return rows
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _("Ce fichier n'est pas un tableau CSV ou Excel lisible (contenu binaire).")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
        if controls > 10:
            break
        return text
    raise ImportFileError(
        _(
            "Ce fichier n'est pas un tableau CSV lisible : enregistrez-le en « CSV UTF-8 » depuis votre tableur."
        )
    )


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([cell.strip() for cell in row])
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(
                    _(
                        "Le fichier dépasse %(n)s lignes : découpez-le en plusieurs fichiers.",
                        n=MAX_ROWS,
                    )
                )
    except csv.Error as error:
        raise ImportFileError(_("Ce fichier CSV est mal formé : %(e)s", e=str(error))) from error
    return rows


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Field → column index from French header names; unknown columns are listed."""
    aliases = {alias: name for name, names in COLUMNS.items() for alias in names}
    mapping: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        key = search_key(title).replace("’", "'")
        name = aliases.get(key)
        if name and name not in mapping:
            mapping[name] = index
        elif title:
            ignored.append(title)
    missing = [COLUMN_LABELS[name] for name in REQUIRED if name not in mapping]
    if missing:
        raise ImportFileError(
            _(
                "Colonnes obligatoires absentes : %(missing)s. La première ligne doit porter les titres (prénom, nom, année de naissance, genre, commune, code postal, téléphone, email, newsletter).",
                missing=", ".join(missing),
            )
        )
    return mapping, ignored


# --- checking -----------------------------------------------------------------------


def _check_row(line: int, cells: list[str], mapping: dict[str, int]) -> tuple[dict, list[str]]:
    def get(name: str) -> str:
        index = mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    reasons = []
    values = {
        "first_name": get("first_name"),
        "last_name": get("last_name"),
        "commune": get("commune"),
        "postcode": get("postcode"),
        "phone": get("phone"),
        "email": get("email").lower() or None,
    }
    if not values["first_name"] and not values["last_name"]:
        reasons.append(_("ni prénom ni nom"))
    for name, limit in (("first_name", 100), ("last_name", 100), ("commune", 120)):
        if len(values[name]) > limit:
            reasons.append(_("%(col)s trop long", col=COLUMN_LABELS[name]))
    notes = []
    year_text = get("birth_year")
    values["birth_year"] = None
    birth_date = BIRTH_DATE_RE.match(year_text)
    if birth_date:
        year_text = birth_date.group("year") or birth_date.group("iso")  # only the year is kept
    if year_text:
        if not year_text.isdigit():
            reasons.append(
                _("année de naissance « %(v)s » illisible (attendu : 1958)", v=year_text)
            )
        else:
            year = int(year_text)
            if not 1900 <= year <= local_today().year:
                reasons.append(_("année de naissance %(v)s impossible", v=year_text))
            else:
                values["birth_year"] = year
    gender = GENDERS.get(search_key(get("gender")))
    if gender is None:
        reasons.append(_("genre « %(v)s » inconnu (femme, homme, autre ou vide)", v=get("gender")))
    values["gender"] = gender or Gender.NOT_SAID
    if values["postcode"] and not re.fullmatch(r"\d{5}", values["postcode"]):
        if re.fullmatch(r"\d{4}", values["postcode"]):
            # A spreadsheet drops the 0 of 01000–09999; a typo looks the same: say so.
            notes.append(
                _(
                    "code postal « %(v)s » complété en « 0%(v)s » : vérifiez la commune",
                    v=values["postcode"],
                )
            )
            values["postcode"] = "0" + values["postcode"]
        else:
            reasons.append(_("code postal « %(v)s » invalide (5 chiffres)", v=values["postcode"]))
    digits = phone_digits(values["phone"])
    if len(digits) == 9 and digits[0] in "123456789" and not values["phone"].startswith("+"):
        # A spreadsheet stored the number as a number and dropped its leading 0.
        notes.append(_("téléphone « %(v)s » complété en « 0%(v)s »", v=values["phone"].strip()))
        values["phone"] = "0" + values["phone"].strip()
    elif values["phone"]:
        international = values["phone"].lstrip().startswith(("+", "00"))
        if (international and not 6 <= len(digits) <= 15) or (
            not international and len(digits) != 10
        ):
            reasons.append(_("téléphone « %(v)s » invalide (10 chiffres)", v=values["phone"]))
    if values["email"] and (not EMAIL_RE.match(values["email"]) or len(values["email"]) > 254):
        reasons.append(_("email « %(v)s » invalide", v=values["email"]))
    newsletter = search_key(get("newsletter"))
    if newsletter in YES:
        values["newsletter"] = True
        if not values["email"]:
            reasons.append(_("inscrit·e à la lettre d'information mais sans email"))
    elif newsletter in NO:
        values["newsletter"] = False
    else:
        values["newsletter"] = False
        reasons.append(_("newsletter « %(v)s » : écrire oui ou non", v=get("newsletter")))
    if notes:
        values["_note"] = " ; ".join(notes)
    return values, reasons


def _name_key(values: dict) -> str:
    return search_key(f"{values['first_name']} {values['last_name']}")


def check(data: bytes, filename: str, site_ids: set[int] | None = None) -> ImportReport:
    """Dry run: every bad row with its line number and reason, and likely duplicates.

    A duplicate at one of `site_ids` is named; one elsewhere in the network only said to
    exist (staff see the people of their sites only). None: every site (commands).
    """
    table = read_table(data, filename)
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise ImportFileError(_("Le fichier est vide."))
    mapping, ignored = map_columns(table[0])
    report = ImportReport(
        columns=[COLUMN_LABELS[name] for name in COLUMNS if name in mapping],
        ignored_columns=ignored,
    )
    for offset, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values, reasons = _check_row(offset, cells, mapping)
        if reasons:
            report.problems.append(RowProblem(offset, " ; ".join(reasons)))
        else:
            note = values.pop("_note", None)
            if note:
                report.notes.append(RowProblem(offset, note))
            report.rows.append(ParsedRow(offset, values))
    if not report.rows and not report.problems:
        raise ImportFileError(
            _("Le fichier ne contient aucune ligne de personnes sous les titres.")
        )
    _find_duplicates(report, site_ids)
    return report


def _find_duplicates(report: ImportReport, site_ids: set[int] | None) -> None:
    seen: dict[tuple, int] = {}
    names, emails, phones = set(), set(), set()
    for row in report.rows:
        values = row.values
        keys = []
        if values["birth_year"] and _name_key(values):
            keys.append(("name", _name_key(values), values["birth_year"]))
            names.add(_name_key(values))
        if values["email"]:
            keys.append(("email", values["email"]))
            emails.add(values["email"])
        digits = phone_digits(values["phone"])
        if digits:
            keys.append(("phone", digits))
            phones.add(digits)
        for key in keys:
            if key in seen:
                report.duplicates.append(
                    Duplicate(
                        row.line,
                        _("même %(what)s que la ligne %(other)s", what=_what(key), other=seen[key]),
                    )
                )
                break
            seen[key] = row.line
    if not report.rows:
        return
    conditions = []
    if names:
        conditions.append(Person.search_name.in_(names))
    if emails:
        conditions.append(Person.email.in_(emails))
    if phones:
        conditions.append(Person.phone_digits.in_(phones))
    if not conditions:
        return
    existing: dict[tuple, Person] = {}
    visible = (members_queries.visible_to(site_ids) if site_ids is not None else true()).label(
        "visible"
    )
    shown: set[int] = set()
    for person, is_visible in db.session.execute(
        select(Person, visible)
        .where(Person.anonymised_at.is_(None), or_(*conditions))
        .order_by(visible.desc(), Person.id)
    ):
        if is_visible:
            shown.add(person.id)
        if person.birth_year:
            existing.setdefault(("name", person.search_name, person.birth_year), person)
        if person.email:
            existing.setdefault(("email", person.email.lower()), person)
        if person.phone_digits:
            existing.setdefault(("phone", person.phone_digits), person)
    already = report.duplicate_lines
    for row in report.rows:
        if row.line in already:
            continue
        values = row.values
        keys = [("name", _name_key(values), values["birth_year"]), ("email", values["email"])]
        keys.append(("phone", phone_digits(values["phone"])))
        for key in keys:
            person = existing.get(key)
            if person is not None:
                if person.id in shown:
                    reason = _(
                        "même %(what)s que la fiche existante n° %(id)s (%(name)s)",
                        what=_what(key),
                        id=person.id,
                        name=person.full_name,
                    )
                else:
                    reason = _(
                        "même %(what)s qu'une fiche d'un autre site du réseau", what=_what(key)
                    )
                report.duplicates.append(Duplicate(row.line, reason))
                break
    report.duplicates.sort(key=lambda duplicate: duplicate.line)


def _what(key: tuple) -> str:
    return {
        "name": _("nom et année de naissance"),
        "email": _("email"),
        "phone": _("téléphone"),
    }[key[0]]


# --- importing ----------------------------------------------------------------------


def run_import(
    data: bytes,
    filename: str,
    *,
    site: Site,
    by: User | None,
    include_duplicates: bool,
    site_ids: set[int] | None = None,
) -> tuple[int, int]:
    """Create every valid person, or none: refused if any row is bad.

    Likely duplicates are created only when staff asked for it; they are never merged.
    Returns (created, skipped duplicates).
    """
    report = check(data, filename, site_ids)
    if not report.ok:
        raise ImportFileError(
            _("%(n)s ligne(s) à corriger : rien n'a été importé.", n=len(report.problems))
        )
    skip = set() if include_duplicates else report.duplicate_lines
    created = 0
    for row in report.rows:
        if row.line in skip:
            continue
        values = row.values
        person = Person(
            site_id=site.id,
            birth_year=values["birth_year"],
            gender=values["gender"],
            commune=values["commune"],
            postcode=values["postcode"],
            email=values["email"],
            newsletter_opt_in=values["newsletter"],
            heard_from="",
            created_by_id=by.id if by else None,
        )
        person.set_identity(values["first_name"], values["last_name"])
        person.set_phone(values["phone"])
        db.session.add(person)
        created += 1
    db.session.flush()
    return created, len(skip)
