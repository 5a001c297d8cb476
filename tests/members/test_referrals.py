"""Internal referrals: any staff member flags, the author sees only the status."""

from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Referral, ReferralStatus


def test_animator_refers_and_sees_only_taken_into_account(app, client, login_as, make_person):
    login_as("animator")
    person_id = make_person(first_name="Rose")
    form = client.get(f"/members/people/{person_id}/referral")
    assert "Restez factuel" in form.text
    too_long = client.post(
        f"/members/people/{person_id}/referral",
        data={"category": "possible_caregiver", "comment": "x" * 501},
    )
    assert "500 caractères" in too_long.text
    no_reason = client.post(
        f"/members/people/{person_id}/referral", data={"category": "", "comment": ""}
    )
    assert "Choisissez un motif." in no_reason.text
    assert "— Choisir un motif —" in form.text
    done = client.post(
        f"/members/people/{person_id}/referral",
        data={"category": "possible_caregiver", "comment": "Parle souvent de sa mère malade."},
        follow_redirects=True,
    )
    assert "Signalement transmis" in done.text
    assert "en attente" in done.text
    with app.app_context():
        referral = _db.session.scalars(select(Referral)).one()
        assert referral.comment == "Parle souvent de sa mère malade."
        assert referral.status == "new" and referral.site_id is not None
        referral.status = ReferralStatus.ACCEPTED
        referral.closing_reason = "confidential follow-up"
        _db.session.commit()
    page = client.get(f"/members/people/{person_id}")
    assert "Signalement pris en compte" in page.text
    assert "confidential follow-up" not in page.text
    assert "Parle souvent" not in page.text  # the comment goes to the care team only


def test_other_staff_do_not_see_someone_elses_referral(app, client, login_as, make_person):
    person_id = make_person()
    author = login_as("reception")
    client.post(f"/members/people/{person_id}/referral", data={"category": "isolation"})
    other = app.test_client()
    login_as("coordinator", client=other)
    page = other.get(f"/members/people/{person_id}")
    assert "Vos signalements" not in page.text
    assert author.id
