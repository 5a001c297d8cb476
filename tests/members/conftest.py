"""Builders of the members tests: `make_person(**overrides)`."""

import pytest
from sqlalchemy import select

from ressourcerie.extensions import db as _db
from ressourcerie.members.models import Person
from ressourcerie.security.models import Site


@pytest.fixture
def make_person(app):
    """Create and commit a Person; returns its id (reload it in your own session).

    Accepts any Person column, plus `first_name`, `last_name` and `phone` which go
    through set_identity()/set_phone() so the search columns stay in step.
    """
    counter = {"n": 0}

    def factory(**overrides):
        counter["n"] += 1
        with app.app_context():
            first = overrides.pop("first_name", "Élodie")
            last = overrides.pop("last_name", f"Martin{counter['n']}")
            phone = overrides.pop("phone", "")
            site_id = overrides.pop("site_id", None)
            if site_id is None:
                site_id = _db.session.execute(
                    select(Site.id).order_by(Site.id).limit(1)
                ).scalar_one()
            person = Person(site_id=site_id, **overrides)
            person.set_identity(first, last)
            person.set_phone(phone)
            _db.session.add(person)
            _db.session.commit()
            return person.id

    return factory
