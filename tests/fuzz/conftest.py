"""One app for the whole fuzz module: templates compile once, tables are emptied per test."""

import pytest

from ressourcerie import create_app
from ressourcerie.extensions import db as _db
from ressourcerie.extensions import limiter
from ressourcerie.security import services
from tests.conftest import _empty_tables


@pytest.fixture(scope="module")
def shared_app(database_url, tmp_path_factory):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    # Uploaded files accepted by the fuzzer land in a throwaway folder.
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    app.config["IMPORT_FOLDER"] = app.instance_path
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def app(shared_app):
    """Overrides the suite's `app`: same database and settings, without a new app per test."""
    with shared_app.app_context():
        limiter.reset()
        services.ensure_default_site()
        _db.session.commit()
    yield shared_app
    with shared_app.app_context():
        _db.session.remove()
        _empty_tables()
