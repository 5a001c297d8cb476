"""Form of a setting change: a new value from a date."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class SettingChangeForm(FlaskForm):
    value = StringField(_l("Nouvelle valeur"), validators=[DataRequired(), Length(max=200)])
    effective_from = DateField(_l("À partir du"), validators=[DataRequired()])
    submit = SubmitField(_l("Enregistrer"))
