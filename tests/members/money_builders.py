"""Builders shared by the memberships, payments, newsletter and import tests."""

from sqlalchemy import select

from ressourcerie.extensions import db
from ressourcerie.members.models import Person
from ressourcerie.security.models import Site


def first_site() -> Site:
    return db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one()


def new_person(first="Élodie", last="Martin", **fields) -> Person:
    person = Person(site_id=fields.pop("site_id", None) or first_site().id, **fields)
    person.set_identity(first, last)
    if "phone" in fields:
        person.set_phone(fields["phone"])
    db.session.add(person)
    db.session.flush()
    return person
