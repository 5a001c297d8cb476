"""The report form: a preset period or custom dates, and a site or all of them."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ressourcerie.reports.periods import PRESETS, Period

PRESET_CHOICES = [
    SelectChoice("last_month", _l("Mois dernier")),
    SelectChoice("last_quarter", _l("Trimestre dernier")),
    SelectChoice("last_year", _l("Année dernière")),
    SelectChoice("custom", _l("Dates choisies")),
]
MAX_DAYS = 366 * 3


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads: the URL can be bookmarked and shared

    preset = SelectField(_l("Période"), choices=PRESET_CHOICES, default="last_quarter")
    start = DateField(_l("Du"), validators=[Optional()])
    end = DateField(_l("Au (inclus)"), validators=[Optional()])
    site = SelectField(_l("Lieu"), choices=[], validate_choice=True, default="")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.preset.data != "custom":
            return True
        if self.start.data is None:
            self.start.errors.append(_l("Indiquez la date de début."))
        if self.end.data is None:
            self.end.errors.append(_l("Indiquez la date de fin."))
        if self.start.errors or self.end.errors:
            return False
        if self.end.data < self.start.data:
            self.end.errors.append(_l("La date de fin doit être après la date de début."))
            return False
        if (self.end.data - self.start.data).days >= MAX_DAYS:
            self.end.errors.append(_l("La période ne peut pas dépasser trois ans."))
            return False
        return True

    def period(self, today: date) -> Period:
        if self.preset.data == "custom":
            return Period(self.start.data, self.end.data)
        return PRESETS[self.preset.data](today)
