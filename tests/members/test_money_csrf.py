"""With CSRF protection on (as in production): forms carry their token, the
one-click unsubscribe works without one."""

import re

from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person
from ressourcerie.members.services import newsletter as svc
from tests.members.money_builders import new_person


def token_from(page: str) -> tuple[str, str]:
    match = re.search(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"', page)
    return match.group(1), match.group(2)


def test_forms_work_with_csrf_and_unsubscribe_needs_none(app, make_app, login_as):
    secure = make_app(WTF_CSRF_ENABLED=True)
    client = secure.test_client()
    login_as("coordinator", client=client)
    with secure.test_request_context():
        person = new_person(email="a@example.org", newsletter_opt_in=True)
        _db.session.commit()
        token = svc.unsubscribe_token(person)
        person_id = person.id

    page = client.get(f"/members/people/{person_id}/membership").text
    name, value = token_from(page)
    sold = client.post(
        f"/members/people/{person_id}/membership",
        data={name: value, "method": "cash", "charter_accepted_today": "y"},
    )
    assert sold.status_code == 302

    settings_page = client.get("/settings/").text
    name, value = token_from(settings_page.split('id="setting-membership.fee"')[1])
    changed = client.post(
        "/settings/membership.fee",
        data={
            name: value,
            "membership_fee-value": "30,00",
            "membership_fee-effective_from": "2030-01-01",
        },
    )
    assert changed.status_code == 302

    # RFC 8058 one-click: the mail client posts without any token.
    visitor = secure.test_client()
    done = visitor.post(
        f"/members/newsletter/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200
    with secure.app_context():
        assert (
            _db.session.scalar(select(Person.newsletter_opt_in).where(Person.id == person_id))
            is False
        )
