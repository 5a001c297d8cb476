"""Form of a setting change: a new value from a date."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from ressourcerie.columns import local_today


class SettingChangeForm(FlaskForm):
    value = StringField(_l("Nouvelle valeur"), validators=[DataRequired(), Length(max=200)])
    effective_from = DateField(_l("À partir du"), validators=[DataRequired()])
    submit = SubmitField(_l("Enregistrer"))

    def validate_effective_from(self, field):
        # The past stays as it was: payments and reports already made rest on it.
        if field.data and field.data < local_today():
            raise ValidationError(
                _l("Choisissez aujourd'hui ou une date à venir : le passé ne se modifie pas.")
            )
