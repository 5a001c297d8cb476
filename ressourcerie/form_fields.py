"""Form fields and validators shared by the feature packages."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne(DataRequired):
    """At least one box ticked. Without DataRequired's HTML `required` flag, which would make
    every checkbox of the list required (and screen readers announce each one so)."""

    field_flags = {}


class ConfirmedActionForm(FlaskForm):
    """A disruptive or irreversible action (disable an account, anonymise a person...): the
    confirmation box next to its button must be ticked."""

    confirm = BooleanField(validators=[DataRequired()])
