"""Forms of the payments ledger: a payment, a reversal, the ledger filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ressourcerie.members.models import PaymentKind
from ressourcerie.members.services.payments import KIND_LABELS, METHOD_LABELS
from ressourcerie.money import parse_money


class MoneyField(StringField):
    """An amount typed the French way ("12,00"); `cents` holds the parsed value."""

    cents: int | None = None

    def pre_validate(self, form):
        self.cents = None
        if not (self.data or "").strip():
            return
        try:
            self.cents = parse_money(self.data)
        except ValueError as error:
            raise ValidationError(_l("Montant invalide : écrivez par exemple 12,00.")) from error


def method_choices():
    return [SelectChoice(method.value, label) for method, label in METHOD_LABELS.items()]


def kind_choices():
    return [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]


class PaymentForm(FlaskForm):
    kind = SelectField(_l("Nature"), choices=[], default=PaymentKind.OTHER.value)
    label = StringField(
        _l("Libellé (apparaît sur le reçu)"), validators=[DataRequired(), Length(max=200)]
    )
    amount = MoneyField(_l("Montant en euros"), validators=[DataRequired()])
    method = SelectField(_l("Moyen de paiement"), choices=[])
    site_id = SelectField(_l("Site"), coerce=int, choices=[])
    submit = SubmitField(_l("Enregistrer le paiement"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Memberships are sold on their own page, which sets the period and the fee.
        self.kind.choices = [c for c in kind_choices() if c.value != PaymentKind.MEMBERSHIP]
        self.method.choices = method_choices()
        self.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]

    def validate_amount(self, field):
        if field.cents is not None and field.cents <= 0:
            raise ValidationError(_l("Le montant doit être supérieur à zéro."))


class ReversalForm(FlaskForm):
    reason = TextAreaField(
        _l("Raison de l'annulation"), validators=[DataRequired(), Length(min=3, max=500)]
    )
    submit = SubmitField(_l("Annuler ce paiement par une écriture inverse"))


class LedgerFilterForm(FlaskForm):
    """Filters read from the query string (no CSRF on a GET)."""

    class Meta:
        csrf = False

    first = DateField(_l("Du"), validators=[Optional()])
    last = DateField(_l("Au"), validators=[Optional()])
    method = SelectField(_l("Moyen de paiement"), choices=[], validators=[Optional()])
    kind = SelectField(_l("Nature"), choices=[], validators=[Optional()])
    site_id = SelectField(_l("Site"), coerce=int, choices=[], validators=[Optional()])
    submit = SubmitField(_l("Afficher"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = [SelectChoice("", _l("Tous"))] + method_choices()
        self.kind.choices = [SelectChoice("", _l("Toutes"))] + kind_choices()
        self.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
