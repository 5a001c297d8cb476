"""Route × role matrix: people, reception desk, referrals, member accounts, data rights.

Who may do what:
- list and read people (person page), internal referral: every staff role but the admin
  ("people"), people of their sites only;
  memberships, payments and the reduced-rate reason are shown to reception/coordinator only,
  and the care team gets a link to casework, never its content;
- create and edit people, the desk, account-claim codes: "reception" (reception, coordinator);
- erasure requests and anonymisation: coordinators;
- sign-up, confirmation and claim: public (signed-in users are sent to their dashboard).
"""

from tests.security.matrix import EVERYONE_SIGNED_IN, RECEPTION, TEAM, Route

SIGNED_IN_REDIRECT = {p: 302 for p in EVERYONE_SIGNED_IN}

ROUTES = {
    "members.people": Route("GET", "/members/people?q=mat", TEAM),
    "members.new_person": Route("GET", "/members/people/new", RECEPTION),
    "members.person": Route("GET", "/members/people/{people_person_id}", TEAM),
    "members.edit_person": Route("GET", "/members/people/{people_person_id}/edit", RECEPTION),
    "members.new_referral": Route("GET", "/members/people/{people_person_id}/referral", TEAM),
    "members.claim_code": Route("GET", "/members/people/{people_person_id}/account", RECEPTION),
    "members.desk": Route("GET", "/members/desk?q=mat", RECEPTION),
    "members.desk_search": Route("GET", "/members/desk/search?q=mat", RECEPTION),
    "members.signup": Route("GET", "/members/signup", "public", ok_for=SIGNED_IN_REDIRECT),
    # A forged token sends back to the sign-up page with a message.
    "members.confirm_email": Route("GET", "/members/signup/confirm/not-a-token", "public", ok=302),
    "members.claim": Route("GET", "/members/claim", "public", ok_for=SIGNED_IN_REDIRECT),
    "members.my_space": Route("GET", "/members/me", {"member"}),
    # The matrix member has a login but no Person record: nothing to export.
    "members.my_data_json": Route("GET", "/members/me/data.json", {"member"}, ok=404),
    "members.my_data_pdf": Route("GET", "/members/me/data.pdf", {"member"}, ok=404),
    "members.request_erasure": Route("POST", "/members/me/erasure", {"member"}, ok=404),
    "members.withdraw_erasure": Route("POST", "/members/me/erasure/withdraw", {"member"}, ok=404),
    "members.record_erasure_request": Route(
        "POST", "/members/people/{people_person_id}/erasure-request", RECEPTION, ok=302
    ),
    "members.erasure_requests": Route("GET", "/members/erasure-requests", {"coordinator"}),
    "members.anonymise_person": Route(
        "POST", "/members/people/{people_erase_id}/anonymise", {"coordinator"}, ok=302
    ),
}


def url_values(app, make_user):
    from sqlalchemy import select

    from ressourcerie.columns import utcnow
    from ressourcerie.extensions import db
    from ressourcerie.members.models import Person
    from ressourcerie.security.models import Site

    with app.app_context():
        site = db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one()
        person = Person(site_id=site.id)
        person.set_identity("Mathilde", "Matrice")
        erase = Person(site_id=site.id, erasure_requested_at=utcnow())
        erase.set_identity("Effacer", "Moi")
        db.session.add_all([person, erase])
        db.session.commit()
        return {"people_person_id": person.id, "people_erase_id": erase.id}
