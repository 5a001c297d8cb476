"""Saving partners and the CSV import / export."""

from datetime import date

import pytest
from sqlalchemy import func, select

from ressourcerie.directory import services
from ressourcerie.directory.models import Partner
from ressourcerie.directory.services import PartnerData, save_partner
from tests.directory.builders import make_partner

HEADER = (
    "nom;type;besoins;commune;code_postal;communes_servies;departements_servis;public;verifie_le"
)


def csv_bytes(*lines, header=HEADER, bom=True):
    text = "\r\n".join([header, *lines]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def count(db):
    return db.session.scalar(select(func.count(Partner.id)))


def test_save_partner_normalises_areas_and_replaces_needs(db):
    partner = make_partner(
        "Plateforme",
        needs=["respite", "isolation"],
        communes=["Mérignac", "mérignac"],
        postcodes=["33 700"],
        departements=["33"],
    )
    assert sorted((a.kind, a.value) for a in partner.areas) == [
        ("commune", "merignac"),
        ("departement", "33"),
        ("postcode", "33700"),
    ]
    data = services.partner_data(partner)
    data.needs = ["respite", "home_help"]
    data.departements = []
    save_partner(partner, data)
    db.session.commit()
    db.session.expire_all()
    partner = db.session.get(Partner, partner.id)
    assert sorted(partner.need_values) == ["home_help", "respite"]
    assert sorted(a.kind for a in partner.areas) == ["commune", "postcode"]


def test_bad_postcode_is_refused(db):
    with pytest.raises(services.InvalidArea):
        save_partner(None, PartnerData(name="X", postcodes=["3370"]))


def test_needs_verification(db):
    partner = make_partner("Vieux", last_verified_on=date(2024, 1, 10))
    assert partner.needs_verification(date(2025, 1, 11))
    assert not partner.needs_verification(date(2025, 1, 9))
    services.mark_verified(partner, date(2025, 1, 11))
    assert not partner.needs_verification(date(2025, 1, 11))


def test_export_has_bom_semicolons_and_round_trips(db):
    make_partner(
        "Répit; « Garonne »",
        type="respite_platform",
        needs=["respite", "isolation"],
        communes=["Bègles", "Talence"],
        is_public=False,
        last_verified_on=date(2026, 3, 4),
    )
    text = services.export_csv(services.export_partners())
    assert text.startswith("\ufeffid;nom;type;")
    assert "04/03/2026" in text and ";non;" in text and "Bègles|Talence" in text
    # Re-importing the export updates the same partner and changes nothing.
    report = services.import_csv(text.encode("utf-8"))
    assert (report.creates, report.updates) == (0, 1)
    db.session.commit()
    assert count(db) == 1
    partner = db.session.scalars(select(Partner)).one()
    assert partner.name == "Répit; « Garonne »"
    assert partner.is_public is False
    assert sorted(partner.need_values) == ["isolation", "respite"]
    assert partner.area_values("commune") == ["Bègles", "Talence"]


def test_import_reads_labels_and_codes(db):
    data = csv_bytes(
        "Plateforme Est;Plateforme de répit;Répit|isolement;Cenon;33150;Cenon|Floirac;33;oui;01/02/2026",
        "CCAS de Pessac;ccas;administrative_help;Pessac;33600;;;non;2026-01-15",
    )
    report = services.check_csv(data)
    assert report.ok, [line.errors for line in report.lines]
    services.import_csv(data)
    db.session.commit()
    partners = {p.name: p for p in db.session.scalars(select(Partner))}
    est = partners["Plateforme Est"]
    assert est.type == "respite_platform"
    assert sorted(est.need_values) == ["isolation", "respite"]
    assert est.last_verified_on == date(2026, 2, 1)
    assert not partners["CCAS de Pessac"].is_public
    # No area column filled in: the partner's own commune.
    assert [a.value for a in partners["CCAS de Pessac"].areas] == ["pessac"]


def test_import_with_bad_rows_imports_nothing(db):
    make_partner("Déjà là")
    data = csv_bytes(
        "Bonne ligne;ccas;respite;Pessac;33600;;;oui;",
        ";ccas;respite;Pessac;33600;;;oui;",
        "Type inconnu;boulangerie;respite;Pessac;33600;;;oui;",
        "Besoin inconnu;ccas;chocolat;Pessac;33600;;;oui;",
        "Mauvais code;ccas;respite;Pessac;3360;;;peut-être;31/02/2026",
        "Mauvais département;ccas;respite;Pessac;33600;;Gironde;oui;",
    )
    report = services.check_csv(data)
    assert not report.ok
    errors = {line.number: line.errors for line in report.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert errors[3] == ["le nom est vide"]
    assert "type inconnu : « boulangerie »" in errors[4]
    assert "besoin inconnu : « chocolat »" in errors[5]
    assert len(errors[6]) == 3  # postcode, public, date
    assert "n'est pas un numéro de département" in errors[7][0]
    with pytest.raises(services.ImportRefused):
        services.import_csv(data)
    db.session.rollback()
    assert count(db) == 1


def test_importing_the_same_file_twice_is_refused_as_duplicates(db):
    data = csv_bytes(
        "Accueil de jour Les Lilas;day_care;respite;Mérignac;33700;;;oui;",
        "Écoute Aidants;other;isolation;Pessac;33600;;;oui;",
        "ecoute aidants;other;isolation;PESSAC;33600;;;oui;",
    )
    first = services.check_csv(data)
    assert [line.number for line in first.errors] == [4]
    assert first.errors[0].errors == ["cette ligne répète une ligne précédente du fichier"]
    once = csv_bytes("Accueil de jour Les Lilas;day_care;respite;Mérignac;33700;;;oui;")
    services.import_csv(once)
    db.session.commit()
    again = services.check_csv(once)
    assert not again.ok
    assert "existe déjà dans l'annuaire" in again.errors[0].errors[0]


def test_import_refuses_unknown_id(db):
    data = csv_bytes("999;Fantôme", header="id;nom")
    report = services.check_csv(data)
    assert "aucun partenaire n'a l'identifiant 999" in report.errors[0].errors[0]


def test_import_file_errors(db):
    with pytest.raises(services.ImportFileError):
        services.check_csv(b"")
    with pytest.raises(services.ImportFileError):
        services.check_csv(b"foo;bar\r\n1;2\r\n")
    with pytest.raises(services.ImportFileError):
        services.check_csv(csv_bytes())


def test_import_reads_windows_encoding_and_commas(db):
    data = "nom,commune\r\nAccueil Bègles,Bègles\r\n".encode("cp1252")
    report = services.check_csv(data)
    assert report.ok and report.lines[0].data.commune == "Bègles"
