"""The coordinators' settings screen: values, history, dated changes, audit log."""

from datetime import date, timedelta

from sqlalchemy import select

from ressourcerie.columns import local_today
from ressourcerie.extensions import db as _db
from ressourcerie.security.models import AuditEvent
from ressourcerie.settings import services


def test_lists_every_setting_with_its_value(app, client, login_as):
    login_as("coordinator")
    page = client.get("/settings/")
    assert page.status_code == 200
    for setting in services.SETTINGS.values():
        assert str(setting.label) in page.text
    assert "29,00" in page.text  # membership fee shown in euros
    assert "12 mois glissants" in page.text


def test_change_money_from_a_date_is_kept_in_history_and_audited(app, client, login_as):
    login_as("coordinator")
    start = local_today() + timedelta(days=10)
    response = client.post(
        "/settings/membership.fee",
        data={
            "membership_fee-value": "32,00",
            "membership_fee-effective_from": start.isoformat(),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "32,00" in response.text and "à venir" in response.text
    with app.app_context():
        assert services.get("membership.fee") == 2900
        assert services.get("membership.fee", on=start) == 3200
        event = _db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "setting.changed")
        ).one()
        assert event.category == "settings"


def test_bad_value_is_refused_and_kept(app, client, login_as):
    login_as("coordinator")
    response = client.post(
        "/settings/membership.fee",
        data={
            "membership_fee-value": "vingt",
            "membership_fee-effective_from": local_today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Un montant en euros de 0 à 1 000, par exemple 6,00." in response.text
    assert 'value="vingt"' in response.text
    negative = client.post(
        "/settings/price.reduced",
        data={
            "price_reduced-value": "-5",
            "price_reduced-effective_from": local_today().isoformat(),
        },
    )
    assert negative.status_code == 422 and "par exemple 6,00" in negative.text
    # Values that make no sense, or written as a computer would.
    for key, value in (
        ("price.member", "1e3"),
        ("price.member", "99999"),
        ("booking.cancel_hours", "-1"),
        ("mail.max_attempts", "0"),
    ):
        prefix = key.replace(".", "_")
        refused = client.post(
            f"/settings/{key}",
            data={f"{prefix}-value": value, f"{prefix}-effective_from": local_today().isoformat()},
        )
        assert refused.status_code == 422, (key, value)
        assert "Un " in refused.text  # says what to type
    accepted = client.post(
        "/settings/price.member",
        data={
            "price_member-value": "6,50 €",
            "price_member-effective_from": local_today().isoformat(),
        },
    )
    assert accepted.status_code == 302
    past = client.post(
        "/settings/price.reduced",
        data={
            "price_reduced-value": "3",
            "price_reduced-effective_from": date(2025, 1, 1).isoformat(),
        },
    )
    assert past.status_code == 422
    assert "le passé ne se modifie pas" in past.text
    with app.app_context():
        assert services.history("membership.fee") == []
        assert services.get("price.member") == 650
        assert services.history("price.reduced") == []


def test_choice_setting(app, client, login_as):
    login_as("coordinator")
    client.post(
        "/settings/membership.period",
        data={
            "membership_period-value": "calendar",
            "membership_period-effective_from": local_today().isoformat(),
        },
    )
    with app.app_context():
        assert services.get("membership.period") == "calendar"
    refused = client.post(
        "/settings/membership.period",
        data={
            "membership_period-value": "forever",
            "membership_period-effective_from": local_today().isoformat(),
        },
    )
    assert refused.status_code == 422


def test_reception_cannot_change_settings(app, client, login_as):
    login_as("reception")
    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/membership.fee", data={}).status_code == 403
