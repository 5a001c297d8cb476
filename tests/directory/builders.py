"""Builders for directory tests."""

from ressourcerie.directory.services import PartnerData, save_partner
from ressourcerie.extensions import db


def make_partner(name="Partenaire", *, commit=True, **fields):
    fields.setdefault("needs", ["respite"])
    partner = save_partner(None, PartnerData(name=name, **fields))
    if commit:
        db.session.commit()
    return partner
