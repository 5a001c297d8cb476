"""Verbs of the directory: save a partner, mark it verified, import and export CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ressourcerie.directory.models import (
    PARTNER_TYPE_LABELS,
    AreaKind,
    Partner,
    PartnerArea,
    PartnerNeed,
    PartnerType,
    place_key,
)
from ressourcerie.directory.needs import NEED_LABELS, Need
from ressourcerie.extensions import db

POSTCODE_RE = re.compile(r"^\d{5}$")
DEPARTEMENT_RE = re.compile(r"^(\d{2}|2a|2b|97\d)$")
KEEP_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class InvalidArea(ValueError):
    """An area value that is not a postcode or département (message in plain French)."""


@dataclass
class PartnerData:
    """What a partner is made of, as typed in the form or read from a CSV line."""

    name: str
    type: str = PartnerType.OTHER
    description: str = ""
    address: str = ""
    commune: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""
    is_public: bool = True
    last_verified_on: date | None = None
    needs: list[str] = field(default_factory=list)
    communes: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)


def split_lines(text: str | None) -> list[str]:
    """One value per line (commas and semicolons also separate); blanks dropped."""
    parts = re.split(r"[\n\r,;|]+", text or "")
    return [p.strip() for p in parts if p.strip()]


def normalise_postcode(value: str) -> str:
    digits = value.replace(" ", "")
    if not POSTCODE_RE.match(digits):
        raise InvalidArea(_("« %(value)s » n'est pas un code postal (5 chiffres).", value=value))
    return digits


def normalise_departement(value: str) -> str:
    key = value.strip().lower().replace(" ", "")
    if len(key) == 1 and key.isdigit():
        key = "0" + key
    if not DEPARTEMENT_RE.match(key):
        raise InvalidArea(
            _("« %(value)s » n'est pas un numéro de département (ex. : 33).", value=value)
        )
    return key


def departement_of(postcode: str) -> str:
    """The département of a postcode: its first two digits (three overseas)."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):  # Corsica: 2A below 20200, 2B from 20200
        return "2a" if postcode < "20200" else "2b"
    return postcode[:2]


def area_rows(data: PartnerData) -> list[tuple[str, str, str]]:
    """Normalised (kind, value, label) rows, without duplicates; raises InvalidArea."""
    rows: list[tuple[str, str, str]] = []
    for commune in data.communes:
        rows.append((AreaKind.COMMUNE, place_key(commune), " ".join(commune.split())))
    for postcode in data.postcodes:
        value = normalise_postcode(postcode)
        rows.append((AreaKind.POSTCODE, value, value))
    for dep in data.departements:
        value = normalise_departement(dep)
        rows.append((AreaKind.DEPARTEMENT, value, value.upper()))
    if not rows and data.commune.strip():
        # Nothing said about the area: the partner at least serves its own commune.
        commune = " ".join(data.commune.split())
        rows.append((AreaKind.COMMUNE, place_key(commune), commune))
    unique: dict[tuple[str, str], str] = {}
    for kind, value, label in rows:
        if value:
            unique.setdefault((kind, value), label[:120])
    return [(kind, value, label) for (kind, value), label in unique.items()]


def save_partner(partner: Partner | None, data: PartnerData) -> Partner:
    """Create (partner=None) or update a partner with its needs and areas; flushes."""
    areas = area_rows(data)
    if partner is None:
        partner = Partner()
        db.session.add(partner)
    partner.set_name(data.name)
    partner.type = PartnerType(data.type)
    for attr in (
        "description",
        "address",
        "commune",
        "postcode",
        "phone",
        "email",
        "website",
        "hours",
    ):
        setattr(partner, attr, (getattr(data, attr) or "").strip())
    partner.is_public = data.is_public
    partner.last_verified_on = data.last_verified_on
    wanted_needs = [Need(n) for n in dict.fromkeys(data.needs)]
    partner.needs = [existing for existing in partner.needs if existing.need in wanted_needs] + [
        PartnerNeed(need=n.value)
        for n in wanted_needs
        if n.value not in {x.need for x in partner.needs}
    ]
    existing = {(a.kind, a.value): a for a in partner.areas}
    new_areas = []
    for kind, value, label in areas:
        area = existing.get((kind, value)) or PartnerArea(kind=kind, value=value)
        area.label = label
        new_areas.append(area)
    partner.areas = new_areas
    db.session.flush()
    return partner


def partner_data(partner: Partner) -> PartnerData:
    """The editable data of a partner (areas as stored, normalised)."""
    return PartnerData(
        name=partner.name,
        type=partner.type,
        description=partner.description,
        address=partner.address,
        commune=partner.commune,
        postcode=partner.postcode,
        phone=partner.phone,
        email=partner.email,
        website=partner.website,
        hours=partner.hours,
        is_public=partner.is_public,
        last_verified_on=partner.last_verified_on,
        needs=list(partner.need_values),
        communes=partner.area_values(AreaKind.COMMUNE),
        postcodes=partner.area_values(AreaKind.POSTCODE),
        departements=partner.area_values(AreaKind.DEPARTEMENT),
    )


def mark_verified(partner: Partner, today: date) -> None:
    partner.mark_verified(today)
    db.session.flush()


def delete_partner(partner: Partner) -> None:
    db.session.delete(partner)
    db.session.flush()


# --- CSV ------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "nom",
    "type",
    "description",
    "adresse",
    "commune",
    "code_postal",
    "telephone",
    "email",
    "site_web",
    "horaires",
    "public",
    "verifie_le",
    "besoins",
    "communes_servies",
    "codes_postaux_servis",
    "departements_servis",
]
LIST_SEPARATOR = "|"


def export_csv(partners: list[Partner]) -> str:
    """Semicolon-separated CSV with a UTF-8 BOM, readable by Excel in French."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in partners:
        writer.writerow(
            [
                p.id,
                p.name,
                p.type,
                p.description,
                p.address,
                p.commune,
                p.postcode,
                p.phone,
                p.email,
                p.website,
                p.hours,
                "oui" if p.is_public else "non",
                p.last_verified_on.strftime("%d/%m/%Y") if p.last_verified_on else "",
                LIST_SEPARATOR.join(p.need_values),
                LIST_SEPARATOR.join(p.area_values(AreaKind.COMMUNE)),
                LIST_SEPARATOR.join(p.area_values(AreaKind.POSTCODE)),
                LIST_SEPARATOR.join(p.area_values(AreaKind.DEPARTEMENT)),
            ]
        )
    return out.getvalue()


def export_partners() -> list[Partner]:
    return list(
        db.session.scalars(
            select(Partner)
            .options(selectinload(Partner.needs), selectinload(Partner.areas))
            .order_by(Partner.name, Partner.id)
        )
    )


class ImportFileError(ValueError):
    """The file cannot be read at all (message in plain French)."""


@dataclass
class ImportLine:
    number: int  # line number in the file, the header being line 1
    name: str
    data: PartnerData | None
    partner_id: int | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    lines: list[ImportLine]

    @property
    def errors(self) -> list[ImportLine]:
        return [line for line in self.lines if line.errors]

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not self.errors

    @property
    def creates(self) -> int:
        return sum(1 for line in self.lines if line.partner_id is None)

    @property
    def updates(self) -> int:
        return sum(1 for line in self.lines if line.partner_id is not None)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Le fichier n'est pas un texte lisible (CSV attendu)."))


_TYPE_BY_KEY = {place_key(str(label)): t for t, label in PARTNER_TYPE_LABELS.items()}
_NEED_BY_KEY = {place_key(str(label)): n for n, label in NEED_LABELS.items()}


def _type_of(value: str) -> PartnerType | None:
    key = place_key(value)
    if not key:
        return PartnerType.OTHER
    for t in PartnerType:
        if key == place_key(t.value):
            return t
    for label_key, t in _TYPE_BY_KEY.items():
        if key == label_key or label_key.startswith(key + " "):
            return t
    return None


def _need_of(value: str) -> Need | None:
    key = place_key(value)
    for n in Need:
        if key == place_key(n.value):
            return n
    return _NEED_BY_KEY.get(key)


def _date_of(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[|\n]+", value or "") if v.strip()]


def check_csv(data: bytes) -> ImportReport:
    """Read every line and say what is wrong with each, writing nothing."""
    text = _decode(data)
    if not text.strip():
        raise ImportFileError(_("Le fichier est vide."))
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:  # e.g. a cell longer than the csv module accepts
        raise ImportFileError(_("Ce fichier CSV est mal formé : %(e)s", e=str(error))) from error
    header = [place_key(h).replace(" ", "_") for h in rows[0]]
    if "nom" not in header:
        raise ImportFileError(
            _("La première ligne doit contenir les titres des colonnes, dont « nom ».")
        )
    known_ids = set(db.session.scalars(select(Partner.id)))
    # Name + commune of every partner: a new line that matches one is a duplicate, most
    # likely the same file imported twice.
    existing = {
        (place_key(name), place_key(commune)): partner_id
        for partner_id, name, commune in db.session.execute(
            select(Partner.id, Partner.name, Partner.commune)
        )
    }
    lines: list[ImportLine] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        line = _check_row(number, cells, known_ids)
        key = (place_key(cells.get("nom", "")), place_key(cells.get("commune", "")))
        if line.partner_id is None and key[0]:
            if key in existing and existing[key] is not None:
                line.errors.append(
                    _(
                        "« %(name)s » existe déjà dans l'annuaire (id %(id)s) : pour le mettre "
                        "à jour, indiquez cet id dans la colonne id",
                        name=line.name,
                        id=existing[key],
                    )
                )
            elif key in existing:
                line.errors.append(_("cette ligne répète une ligne précédente du fichier"))
            else:
                existing[key] = None  # seen in this file
        lines.append(line)
    if not lines:
        raise ImportFileError(_("Le fichier ne contient aucune ligne de partenaire."))
    return ImportReport(lines)


def _check_row(number: int, cells: dict[str, str], known_ids: set[int]) -> ImportLine:
    errors: list[str] = []
    name = cells.get("nom", "")
    if not name:
        errors.append(_("le nom est vide"))
    elif len(name) > 200:
        errors.append(_("le nom dépasse 200 caractères"))
    partner_id = None
    if cells.get("id"):
        try:
            partner_id = int(cells["id"])
        except ValueError:
            errors.append(_("l'identifiant « %(value)s » n'est pas un nombre", value=cells["id"]))
        else:
            if partner_id not in known_ids:
                errors.append(
                    _(
                        "aucun partenaire n'a l'identifiant %(value)s (laissez la colonne id vide pour en créer un)",
                        value=partner_id,
                    )
                )
    partner_type = _type_of(cells.get("type", ""))
    if partner_type is None:
        errors.append(_("type inconnu : « %(value)s »", value=cells.get("type", "")))
    needs = []
    for value in _split(cells.get("besoins", "")):
        need = _need_of(value)
        if need is None:
            errors.append(_("besoin inconnu : « %(value)s »", value=value))
        else:
            needs.append(need.value)
    public_text = place_key(cells.get("public", "")) or "oui"
    if public_text not in {"oui", "non", "1", "0", "o", "n", "true", "false"}:
        errors.append(_("la colonne public doit valoir « oui » ou « non »"))
    verified = None
    if cells.get("verifie_le"):
        try:
            verified = _date_of(cells["verifie_le"])
        except ValueError:
            errors.append(
                _(
                    "date de vérification illisible : « %(value)s » (format JJ/MM/AAAA)",
                    value=cells["verifie_le"],
                )
            )
    email = cells.get("email", "")
    if email and ("@" not in email or " " in email):
        errors.append(_("adresse email invalide : « %(value)s »", value=email))
    postcode = cells.get("code_postal", "")
    if postcode and not POSTCODE_RE.match(postcode.replace(" ", "")):
        errors.append(_("code postal invalide : « %(value)s »", value=postcode))
    data = PartnerData(
        name=name,
        type=partner_type or PartnerType.OTHER,
        description=cells.get("description", ""),
        address=cells.get("adresse", ""),
        commune=cells.get("commune", ""),
        postcode=postcode.replace(" ", ""),
        phone=cells.get("telephone", ""),
        email=email,
        website=cells.get("site_web", ""),
        hours=cells.get("horaires", ""),
        is_public=public_text in {"oui", "1", "o", "true"},
        last_verified_on=verified,
        needs=needs,
        communes=_split(cells.get("communes_servies", "")),
        postcodes=_split(cells.get("codes_postaux_servis", "")),
        departements=_split(cells.get("departements_servis", "")),
    )
    try:
        area_rows(data)
    except InvalidArea as error:
        errors.append(str(error))
    return ImportLine(number, name, None if errors else data, partner_id, errors)


class ImportRefused(ValueError):
    """The file still has lines in error: nothing was imported."""


def import_csv(data: bytes) -> ImportReport:
    """Import every line, or none if one is wrong; flushes."""
    report = check_csv(data)
    if not report.ok:
        raise ImportRefused(
            _("%(count)s ligne(s) à corriger : rien n'a été importé.", count=len(report.errors))
        )
    ids = [line.partner_id for line in report.lines if line.partner_id is not None]
    existing = {
        p.id: p
        for p in db.session.scalars(
            select(Partner)
            .where(Partner.id.in_(ids))
            .options(selectinload(Partner.needs), selectinload(Partner.areas))
        )
    }
    for line in report.lines:
        assert line.data is not None
        save_partner(existing.get(line.partner_id), line.data)
    return report


# --- the uploaded file between the dry run and the real import -----------------------


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "directory_imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(data: bytes, *, user_id: int) -> str:
    """Keep the uploaded file server-side under a random token; old files are removed."""
    folder = _folder()
    now = time.time()
    for old in folder.glob("*"):
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.csv").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"user_id": user_id}))
    return token


def load_upload(token: str, *, user_id: int) -> bytes | None:
    """The stored file of this user, or None (unknown, expired, or someone else's)."""
    if not TOKEN_RE.match(token or ""):
        return None
    folder = _folder()
    data_path, meta_path = folder / f"{token}.csv", folder / f"{token}.json"
    if not data_path.exists() or not meta_path.exists():
        return None
    if json.loads(meta_path.read_text()).get("user_id") != user_id:
        return None
    return data_path.read_bytes()


def discard_upload(token: str) -> None:
    if TOKEN_RE.match(token or ""):
        folder = _folder()
        (folder / f"{token}.csv").unlink(missing_ok=True)
        (folder / f"{token}.json").unlink(missing_ok=True)
