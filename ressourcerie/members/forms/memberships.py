"""Form of a membership sale or renewal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from ressourcerie.members.forms.payments import method_choices


class MembershipForm(FlaskForm):
    charter_accepted_today = BooleanField(_l("Charte acceptée aujourd'hui"))
    method = SelectField(_l("Moyen de paiement"), choices=[])
    site_id = SelectField(_l("Site"), coerce=int, choices=[])
    submit = SubmitField(_l("Encaisser l'adhésion"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = method_choices()
        self.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
