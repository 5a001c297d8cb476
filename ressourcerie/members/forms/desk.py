"""The walk-in form of the reception desk."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from ressourcerie.members.services.visits import PURPOSE_LABELS


class VisitForm(FlaskForm):
    person_id = HiddenField()
    anonymous = BooleanField(_l("Visite anonyme (sans fiche)"))
    purpose = RadioField(
        _l("Motif de la venue"),
        choices=[SelectChoice(key.value, label) for key, label in PURPOSE_LABELS.items()],
        default="activity",
    )
    as_caregiver = BooleanField(_l("Arrive en tant que proche aidant·e"))
    site_id = SelectField(_l("Site"), coerce=int, choices=[])
    # Shown only when the person was already noted today.
    again = BooleanField(_l("Nouvelle venue aujourd'hui : elle ou il est revenu·e"))
    submit = SubmitField(_l("Enregistrer la venue"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
