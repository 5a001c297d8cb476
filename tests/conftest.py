"""Fixtures: app, db, client, runner, login_as(role), and builders.

The schema is made once per test session by the Alembic migrations (SQLite by default,
PostgreSQL when TEST_DATABASE_URL is set); each test starts from empty tables.
"""

import os
import uuid
from types import SimpleNamespace

import pyotp
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from ressourcerie import create_app
from ressourcerie.columns import utcnow
from ressourcerie.extensions import db as _db
from ressourcerie.security import services
from ressourcerie.security.models import TWO_FACTOR_ROLES, LoginSession, Role, Site

PASSWORD = "correct horse battery staple"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres_only" in item.keywords and not TEST_DATABASE_URL:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (TEST_DATABASE_URL)"))


def _postgres_database(worker: str):
    """Create a fresh database for this test worker; return its URL and a cleanup."""
    base = sa.engine.make_url(TEST_DATABASE_URL)
    name = f"{base.database}_{worker}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if TEST_DATABASE_URL:
        url, cleanup = _postgres_database(worker_id)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        cleanup = None
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        _db.engine.dispose()
    yield url
    if cleanup:
        cleanup()


def _empty_tables():
    tables = [
        table for table in reversed(_db.metadata.sorted_tables) if table.name != "alembic_version"
    ]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def make_app(database_url):
    """Build an app on the test database with extra settings (e.g. CSRF on)."""
    apps = []

    def factory(**overrides):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        services.ensure_default_site()
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _empty_tables()


@pytest.fixture
def db(app):
    """The database, inside an app context, for service tests."""
    with app.app_context():
        yield _db
        _db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def default_site() -> Site:
    return _db.session.execute(sa.select(Site).order_by(Site.id).limit(1)).scalar_one()


@pytest.fixture
def make_user(app):
    """Create an account; returns a plain record (id, email, password, totp_secret)."""
    counter = {"n": 0}

    def factory(*roles, email=None, sites=None, two_factor=None, active=True, password=PASSWORD):
        counter["n"] += 1
        roles = [Role(role) for role in roles] or [Role.MEMBER]
        with app.app_context():
            site_rows = sites
            if site_rows is None:
                site_rows = [] if roles == [Role.MEMBER] else [default_site()]
            else:
                site_rows = [_db.session.get(Site, getattr(s, "id", s)) for s in site_rows]
            email = email or f"{roles[0].value}{counter['n']}@example.org"
            user = services.create_user(
                email=email,
                display_name=f"Test {roles[0].value} {counter['n']}",
                roles=roles,
                sites=site_rows,
                password=password,
            )
            secret = None
            if two_factor if two_factor is not None else any(r in TWO_FACTOR_ROLES for r in roles):
                secret = pyotp.random_base32()
                user.totp_secret = secret
                user.totp_enabled_at = utcnow()
            user.active = active
            _db.session.commit()
            return SimpleNamespace(
                id=user.id, email=user.email, password=password, totp_secret=secret, roles=roles
            )

    return factory


@pytest.fixture
def login_as(app, client, make_user):
    """Sign `client` in as a new user holding `roles` (all factors considered passed)."""

    def login(*roles, client=client, **kwargs):
        user = make_user(*roles, **kwargs)
        with app.app_context():
            login_session = LoginSession(id=uuid.uuid4().hex, user_id=user.id)
            _db.session.add(login_session)
            _db.session.commit()
            user.session_id = login_session.id
        with client.session_transaction() as session:
            session["_user_id"] = user.session_id
            session["_fresh"] = True
        return user

    return login


def totp_code(secret: str, step_offset: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(utcnow()) + step_offset)
