"""Form fields and validators shared by the feature packages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne(DataRequired):
    """At least one box ticked. Without DataRequired's HTML `required` flag, which would make
    every checkbox of the list required (and screen readers announce each one so)."""

    field_flags = {}


def postcode_field(label=_l("Code postal")) -> StringField:
    """A French postcode, optional: five digits."""
    return StringField(
        label,
        validators=[
            Optional(),
            Regexp(r"^\d{5}$", message=_l("Le code postal compte 5 chiffres, par exemple 33000.")),
        ],
    )


class ConfirmedActionForm(FlaskForm):
    """A disruptive or irreversible action (disable an account, anonymise a person...): the
    confirmation box next to its button must be ticked."""

    confirm = BooleanField(validators=[DataRequired()])
