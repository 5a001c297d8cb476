"""Command-line tools: demo data, first administrator, key rotation."""

import sqlalchemy as sa
from cryptography.fernet import Fernet

from ressourcerie.extensions import db
from ressourcerie.security.models import Role, User


def test_demo_creates_one_account_per_role_and_is_idempotent(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    with app.app_context():
        users = db.session.execute(sa.select(User)).scalars().all()
        assert {role for user in users for role in user.roles} == set(Role)
        assert len(users) == 7
        for user in users:
            assert user.two_factor_enabled == user.requires_two_factor
    assert "ressourcerie-demo" in first.output


def test_demo_code_prints_a_valid_code_for_demo_accounts_only(app, runner, make_user):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo-code", "psy@demo.ressourcerie.example"])
    assert result.exit_code == 0 and result.output.strip().isdigit()
    client = app.test_client()
    client.post(
        "/login", data={"email": "psy@demo.ressourcerie.example", "password": "ressourcerie-demo"}
    )
    assert client.post("/login/code", data={"code": result.output.strip()}).location == "/dashboard"
    real = make_user("psychologist", email="real@example.org")
    assert runner.invoke(args=["demo-code", real.email]).exit_code != 0


def test_create_admin(app, runner):
    result = runner.invoke(
        args=["create-admin", "--email", "boss@example.org", "--name", "Chef"],
        input="un mot de passe solide\nun mot de passe solide\n",
    )
    assert result.exit_code == 0, result.output
    weak = runner.invoke(
        args=["create-admin", "--email", "weak@example.org", "--name", "W"],
        input="password\npassword\n",
    )
    assert weak.exit_code != 0 and "au moins 12" in weak.output
    with app.app_context():
        user = db.session.execute(
            sa.select(User).where(User.email == "boss@example.org")
        ).scalar_one()
        assert user.roles == {Role.ADMIN} and user.sites


def test_key_rotation_keeps_secrets_readable_after_old_key_is_gone(make_app, app, make_user):
    user = make_user("psychologist")
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    both = make_app(ENCRYPTION_KEYS=f"{new_key},{old_key}")
    result = both.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0 and "re-encrypted" in result.output
    only_new = make_app(ENCRYPTION_KEYS=new_key)
    with only_new.app_context():
        assert db.session.get(User, user.id).totp_secret == user.totp_secret
    with app.app_context():  # the old key alone no longer opens it
        raw = db.session.execute(
            sa.text("SELECT totp_secret FROM user_account WHERE id = :id"), {"id": user.id}
        ).scalar_one()
        assert user.totp_secret not in raw
