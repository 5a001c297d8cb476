"""Route × role matrix: partner directory (staff) and the public guide "Trouver de l'aide".

Who may do what:
- the public guide and its printed sheet: everyone, signed in or not;
- the directory itself (list, to-verify list, create, edit, verify, CSV import/export):
  reception, animator, coordinator and the care team ("directory"); not admins nor members.
"""

from tests.security.matrix import Route

DIRECTORY = {"reception", "animator", "coordinator", "social_worker", "psychologist"}

ROUTES = {
    "directory.guide": Route("GET", "/directory/aide?need=respite&place=Pessac", "public"),
    "directory.guide_sheet": Route(
        "GET", "/directory/aide/fiche?partner={directory_partner_id}", "public"
    ),
    "directory.index": Route("GET", "/directory/?need=respite", DIRECTORY),
    "directory.to_verify": Route("GET", "/directory/a-verifier", DIRECTORY),
    "directory.create": Route("GET", "/directory/new", DIRECTORY),
    "directory.show": Route("GET", "/directory/{directory_partner_id}", DIRECTORY),
    "directory.edit": Route("GET", "/directory/{directory_partner_id}/edit", DIRECTORY),
    "directory.verify": Route(
        "POST", "/directory/{directory_partner_id}/verify", DIRECTORY, ok=302
    ),
    "directory.export": Route("GET", "/directory/export.csv", DIRECTORY),
    "directory.import_upload": Route("GET", "/directory/import", DIRECTORY),
    # An unknown token sends back to the upload page.
    "directory.import_review": Route(
        "GET", "/directory/import/unknown-token-0123456789", DIRECTORY, ok=302
    ),
    "directory.import_confirm": Route(
        "POST", "/directory/import/unknown-token-0123456789", DIRECTORY, ok=302
    ),
}


def url_values(app, make_user):
    from ressourcerie.directory.services import PartnerData, save_partner
    from ressourcerie.extensions import db

    with app.app_context():
        partner = save_partner(
            None,
            PartnerData(
                name="Plateforme de répit Matrice",
                type="respite_platform",
                commune="Pessac",
                postcode="33600",
                needs=["respite"],
            ),
        )
        db.session.commit()
        return {"directory_partner_id": partner.id}
