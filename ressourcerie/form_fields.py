"""Form fields and validators shared by the feature packages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ressourcerie.members.models import phone_digits


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne(DataRequired):
    """At least one box ticked. Without DataRequired's HTML `required` flag, which would make
    every checkbox of the list required (and screen readers announce each one so)."""

    field_flags = {}


def check_phone(field) -> None:
    """A French number has 10 digits (06 12 34 56 78); an international one 6 to 15."""
    text = (field.data or "").strip()
    if not text:
        return
    digits = phone_digits(text)
    french = digits.startswith("0") and not text.startswith(("+", "00"))
    if (french and len(digits) != 10) or not 6 <= len(digits) <= 15:
        raise ValidationError(_l("Ce numéro de téléphone ne semble pas complet."))


class ConfirmedActionForm(FlaskForm):
    """A disruptive or irreversible action (disable an account, anonymise a person...): the
    confirmation box next to its button must be ticked."""

    confirm = BooleanField(validators=[DataRequired()])
