"""Route × role matrix: casework, open to the social worker and the psychologist only."""

from tests.security.matrix import CARE_TEAM, Route

CASE = "/casework/cases/{cw_case_id}"

ROUTES = {
    "casework.index": Route("GET", "/casework/", CARE_TEAM),
    "casework.dormant": Route("GET", "/casework/dormant", CARE_TEAM),
    "casework.referrals": Route("GET", "/casework/referrals", CARE_TEAM),
    "casework.accept_referral": Route(
        "GET", "/casework/referrals/{cw_referral_id}/accept", CARE_TEAM
    ),
    "casework.close_referral": Route(
        "GET", "/casework/referrals/{cw_referral_id}/close", CARE_TEAM
    ),
    "casework.find_person": Route("GET", "/casework/people?q=matrice", CARE_TEAM),
    "casework.open_case": Route("GET", "/casework/people/{cw_free_person_id}/open", CARE_TEAM),
    "casework.show_case": Route("GET", CASE, CARE_TEAM),
    "casework.case_history": Route("GET", CASE + "/history", CARE_TEAM),
    "casework.edit_consent": Route("GET", CASE + "/consent", CARE_TEAM),
    "casework.new_situation": Route("GET", CASE + "/situation", CARE_TEAM),
    "casework.new_entry": Route("GET", CASE + "/entries/new", CARE_TEAM),
    "casework.new_orientation": Route("GET", CASE + "/orientations/new", CARE_TEAM),
    "casework.edit_orientation": Route(
        "GET", "/casework/orientations/{cw_orientation_id}", CARE_TEAM
    ),
    "casework.new_mandate": Route("GET", CASE + "/mandates/new", CARE_TEAM),
    "casework.mandate_pdf": Route(
        "GET", "/casework/mandates/{cw_mandate_id}/mandate.pdf", CARE_TEAM
    ),
    "casework.revoke_mandate": Route("GET", "/casework/mandates/{cw_mandate_id}/revoke", CARE_TEAM),
    "casework.new_procedure": Route("GET", CASE + "/procedures/new", CARE_TEAM),
    "casework.appointment": Route("GET", CASE + "/appointment", CARE_TEAM),
    "casework.close_case": Route("GET", CASE + "/close", CARE_TEAM),
    "casework.access_file": Route("GET", CASE + "/access-file.pdf", CARE_TEAM),
    "casework.difficulties": Route("GET", "/casework/difficulties", CARE_TEAM),
    "casework.new_difficulty": Route("GET", "/casework/difficulties/new", CARE_TEAM),
}


def url_values(app, make_user):
    from tests.casework.builders import build_casework_fixture

    with app.test_request_context():
        return build_casework_fixture()
