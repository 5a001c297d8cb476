"""Casework test helpers: signed-in clients of given roles and sites."""

import pytest

from ressourcerie.extensions import db as _db
from ressourcerie.security.models import User


@pytest.fixture
def signed_in(app, login_as):
    """signed_in(*roles, sites=None) -> (client, user record with .row() for the User)."""

    def factory(*roles, **kwargs):
        client = app.test_client()
        user = login_as(*roles, client=client, **kwargs)
        user.row = lambda: _db.session.get(User, user.id)
        return client, user

    return factory
