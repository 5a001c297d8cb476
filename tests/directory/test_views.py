"""Directory pages through the test client."""

import io
import re
import subprocess
from datetime import date, timedelta

from sqlalchemy import select

from ressourcerie.columns import local_today
from ressourcerie.directory.models import Partner
from ressourcerie.extensions import db
from tests.directory.builders import make_partner


def test_guide_without_login_shows_public_results_only(client, db):
    make_partner("Répit Public", communes=["Pessac"], description="On prend le relais.")
    make_partner("Répit Interne", communes=["Pessac"], is_public=False)
    response = client.get("/directory/aide?need=respite&place=pessac")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Répit Public" in html and "On prend le relais." in html
    assert "Répit Interne" not in html
    assert "Intervient dans votre commune" in html


def test_guide_empty_result_says_what_to_do(client, db):
    html = client.get("/directory/aide?need=respite&place=Lille").get_data(as_text=True)
    assert "Aucune adresse trouvée" in html
    assert "<title>Aucune adresse trouvée · Trouver de l'aide" in html


def test_the_place_to_call_is_on_the_guide_and_the_sheet(client, db):
    from ressourcerie.security.models import Site

    site = db.session.scalars(select(Site).order_by(Site.id)).first()
    site.address, site.postcode, site.town, site.phone = (
        "3 rue des Lilas",
        "33000",
        "Bordeaux",
        "05 56 11 22 33",
    )
    db.session.commit()
    html = client.get("/directory/aide?need=respite&place=Lille").get_data(as_text=True)
    assert "3 rue des Lilas, 33000 Bordeaux — Tél. 05 56 11 22 33" in html
    partner = make_partner("Répit Public", communes=["Pessac"])
    pdf = client.get(f"/directory/aide/fiche?need=respite&place=Pessac&partner={partner.id}")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True).stdout
    assert b"05 56 11 22 33" in text


def pdf_pages(data: bytes) -> int:
    """Page count read by poppler's pdfinfo (WeasyPrint compresses its page objects)."""
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return int(re.search(rb"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_sheet_is_a_one_page_pdf_of_public_partners_only(client, db):
    public = make_partner("Répit Public", communes=["Pessac"], phone="05 56 00 00 00")
    internal = make_partner("Répit Interne", communes=["Pessac"], is_public=False)
    response = client.get(
        f"/directory/aide/fiche?need=respite&place=Pessac&partner={public.id}&partner={internal.id}"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert pdf_pages(response.data) == 1
    # Only the internal partner chosen: nothing to print, back to the search.
    response = client.get(f"/directory/aide/fiche?partner={internal.id}&place=Pessac")
    assert response.status_code == 302
    assert "place=Pessac" in response.location


def test_sheet_of_eight_long_partners_fits_one_page(client, db):
    ids = [
        make_partner(
            f"Plateforme de répit et d'accompagnement des aidants numéro {i}",
            description="Pour souffler quelques heures : une personne vient prendre le relais "
            "à la maison, ou votre proche est accueilli. Des groupes de parole pour les aidants. "
            * 2,
            address="12 avenue de la Libération, bâtiment B, 2e étage",
            commune="Villenave-d'Ornon",
            postcode="33140",
            phone="05 56 12 34 56",
            email=f"contact{i}@plateforme-repit.example.org",
            website=f"https://plateforme-repit-{i}.example.org",
            hours="Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h",
        ).id
        for i in range(9)
    ]
    query = "&".join(f"partner={i}" for i in ids[:8])
    response = client.get(f"/directory/aide/fiche?{query}")
    assert response.status_code == 200
    assert pdf_pages(response.data) == 1
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    assert "numéro 7" in text and "contact7@plateforme-repit.example.org" in text

    # Nine chosen: back to the results with the nine boxes still ticked, and a plain reason.
    query = "&".join(f"partner={i}" for i in ids)
    response = client.get(f"/directory/aide/fiche?place=33140&{query}")
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "cochez 8 adresses au plus" in html
    assert html.count("checked") == 9


def test_create_partner_keeps_typing_after_error(client, db, login_as):
    login_as("reception")
    response = client.post(
        "/directory/new",
        data={
            "name": "Accueil de jour Les Pins",
            "type": "day_care",
            "needs": ["respite", "isolation"],
            "postcode": "3340",
            "commune": "Talence",
            "communes": "Talence\nGradignan",
            "postcodes": "33400",
            "departements": "Gironde",
            "is_public": "y",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "n&#39;est pas un code postal" in html or "n'est pas un code postal" in html
    assert "numéro de département" in html
    assert "Accueil de jour Les Pins" in html and "Gradignan" in html
    assert db.session.scalar(select(Partner.id)) is None

    response = client.post(
        "/directory/new",
        data={
            "name": "Accueil de jour Les Pins",
            "type": "day_care",
            "needs": ["respite", "isolation"],
            "postcode": "33400",
            "commune": "Talence",
            "communes": "Talence\nGradignan",
            "postcodes": "33400",
            "departements": "33",
            "is_public": "y",
            "last_verified_on": "2026-05-01",
            "website": "www.les-pins.example.org",
        },
    )
    assert response.status_code == 302
    partner = db.session.scalars(select(Partner)).one()
    assert partner.website == "https://www.les-pins.example.org"  # typed without https://
    assert sorted(partner.need_values) == ["isolation", "respite"]
    assert sorted(a.value for a in partner.areas) == ["33", "33400", "gradignan", "talence"]
    assert partner.last_verified_on == date(2026, 5, 1)


def test_edit_form_shows_areas_one_per_line(client, db, login_as):
    login_as("animator")
    partner = make_partner("CLIC", communes=["Cenon", "Lormont"], departements=["33"])
    html = client.get(f"/directory/{partner.id}/edit").get_data(as_text=True)
    assert "Cenon\nLormont" in html
    response = client.post(
        f"/directory/{partner.id}/edit",
        data={"name": "CLIC Rive droite", "type": "clic", "communes": "Cenon", "needs": []},
    )
    assert response.status_code == 302
    db.session.expire_all()
    partner = db.session.get(Partner, partner.id)
    assert partner.name == "CLIC Rive droite"
    assert [a.value for a in partner.areas] == ["cenon"]
    assert partner.needs == [] and partner.is_public is False


def test_to_verify_list_and_mark_verified(client, db, login_as):
    login_as("coordinator")
    old = make_partner("Ancien", last_verified_on=local_today() - timedelta(days=400))
    make_partner("Frais", last_verified_on=local_today())
    html = client.get("/directory/a-verifier").get_data(as_text=True)
    assert "Ancien" in html and "Frais" not in html
    assert "1 fiche à vérifier" in client.get("/directory/").get_data(as_text=True)
    response = client.post(f"/directory/{old.id}/verify", data={"next": "to_verify"})
    assert response.location.endswith("/directory/a-verifier")
    db.session.expire_all()
    assert db.session.get(Partner, old.id).last_verified_on == local_today()


def test_staff_list_filters_by_need(client, db, login_as):
    login_as("social_worker")
    make_partner("Plateforme Répit", needs=["respite"])
    make_partner("Point Droits", needs=["rights_information"])
    html = client.get("/directory/?need=rights_information").get_data(as_text=True)
    assert "Point Droits" in html and "Plateforme Répit" not in html


def test_staff_list_filters_by_place_and_keeps_the_filter_typed(client, db, login_as):
    login_as("reception")
    make_partner("Répit Cenon interne", communes=["Cenon"], is_public=False)
    make_partner("Répit Libourne", communes=["Libourne"])
    html = client.get("/directory/?place=C%C3%A9non").get_data(as_text=True)
    assert "Répit Cenon interne" in html and "Répit Libourne" not in html
    assert 'value="Cénon"' in html


def test_export_csv(client, db, login_as):
    login_as("reception")
    make_partner("Export")
    response = client.get("/directory/export.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeffid;nom".encode())


def test_import_dry_run_then_all_or_nothing(client, db, login_as):
    login_as("reception")
    good = b"nom;type;besoins\r\nUn;ccas;respite\r\nDeux;clic;isolation\r\n"
    bad = b"nom;type;besoins\r\nUn;ccas;respite\r\nDeux;clic;chocolat\r\n"

    response = client.post("/directory/import", data={"file": (io.BytesIO(bad), "partenaires.csv")})
    assert response.status_code == 302
    review = response.location
    html = client.get(review).get_data(as_text=True)
    assert "besoin inconnu : « chocolat »" in html
    assert "Importer les" not in html
    response = client.post(review)
    assert response.status_code == 302
    assert db.session.scalar(select(Partner.id)) is None

    response = client.post(
        "/directory/import", data={"file": (io.BytesIO(good), "partenaires.csv")}
    )
    review = response.location
    assert "2 partenaire(s) à ajouter" in client.get(review).get_data(as_text=True)
    response = client.post(review)
    assert response.location.endswith("/directory/")
    assert sorted(db.session.scalars(select(Partner.name))) == ["Deux", "Un"]
    # The stored file is gone once imported.
    assert client.get(review).status_code == 302


def test_import_token_of_someone_else_is_refused(app, client, login_as):
    # No `db` fixture here: its app context would be shared by both clients' requests,
    # and with it the signed-in user cached by Flask-Login.
    login_as("reception")
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(b"nom\r\nUn\r\n"), "p.csv")},
    )
    review = response.location
    other = app.test_client()
    login_as("reception", client=other)
    assert other.get(review).status_code == 302
    assert other.post(review).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Partner.id)) is None
