"""The person form (create and edit at the desk)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, NumberRange, Optional, ValidationError

from ressourcerie.form_fields import postcode_field
from ressourcerie.members.models import ContactChannel, phone_digits
from ressourcerie.members.services.people import (
    CAREGIVER_LABELS,
    CHANNEL_LABELS,
    CONSENT_METHOD_LABELS,
    GENDER_LABELS,
)


def _choices(labels, blank=None):
    choices = [SelectChoice(getattr(key, "value", key), label) for key, label in labels.items()]
    if blank is not None:
        choices.insert(0, SelectChoice("", blank))
    return choices


def check_phone(field) -> None:
    """A French number has 10 digits (06 12 34 56 78); an international one 6 to 15."""
    text = (field.data or "").strip()
    if not text:
        return
    digits = phone_digits(text)
    french = digits.startswith("0") and not text.startswith(("+", "00"))
    if (french and len(digits) != 10) or not 6 <= len(digits) <= 15:
        raise ValidationError(_l("Ce numéro de téléphone ne semble pas complet."))


class PersonForm(FlaskForm):
    # Ticked after the form showed people who may be the same human.
    not_a_duplicate = BooleanField(_l("Ce n'est pas la même personne : créer une nouvelle fiche"))
    first_name = StringField(_l("Prénom"), validators=[Length(max=100)])
    last_name = StringField(_l("Nom"), validators=[Length(max=100)])
    birth_year = IntegerField(
        _l("Année de naissance"),
        validators=[
            Optional(),
            NumberRange(
                min=1900,
                max=date.today().year,
                message=_l("Indiquez une année entre 1900 et l'année en cours."),
            ),
        ],
    )
    gender = SelectField(_l("Genre"), choices=_choices(GENDER_LABELS), default="not_said")
    commune = StringField(_l("Commune"), validators=[Length(max=120)])
    postcode = postcode_field()
    phone = StringField(_l("Téléphone"), validators=[Length(max=30)])
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            Optional(),
            Email(message=_l("Cette adresse e-mail n'est pas valide.")),
            Length(max=254),
        ],
    )
    preferred_contact = SelectField(
        _l("Moyen de contact préféré"), choices=_choices(CHANNEL_LABELS), default="none"
    )
    heard_from = StringField(_l("Comment a-t-elle connu le lieu ?"), validators=[Length(max=120)])
    consent_on = DateField(
        _l("Consentement au traitement des données, le"), validators=[Optional()]
    )
    consent_method = SelectField(
        _l("Consentement donné"), choices=_choices(CONSENT_METHOD_LABELS, blank=_l("—"))
    )
    charter_accepted_on = DateField(_l("Charte acceptée le"), validators=[Optional()])
    newsletter_opt_in = BooleanField(_l("Souhaite recevoir la lettre d'information"))
    caregiver_status = SelectField(
        _l("Proche aidant·e"), choices=_choices(CAREGIVER_LABELS), default="unknown"
    )
    reduced_rate_until = DateField(_l("Tarif réduit jusqu'au"), validators=[Optional()])
    reduced_rate_reason = StringField(
        _l("Motif du tarif réduit (jamais montré à la personne)"), validators=[Length(max=200)]
    )
    submit = SubmitField(_l("Enregistrer"))

    def validate_first_name(self, field):
        if not (field.data or "").strip() and not (self.last_name.data or "").strip():
            raise ValidationError(_l("Indiquez au moins un prénom ou un nom."))

    def validate_phone(self, field):
        check_phone(field)

    def validate_preferred_contact(self, field):
        if field.data == ContactChannel.EMAIL and not (self.email.data or "").strip():
            raise ValidationError(
                _l("Indiquez son adresse e-mail, ou choisissez un autre moyen de contact.")
            )
        if (
            field.data in (ContactChannel.PHONE, ContactChannel.SMS)
            and not (self.phone.data or "").strip()
        ):
            raise ValidationError(
                _l("Indiquez son numéro de téléphone, ou choisissez un autre moyen de contact.")
            )

    def validate_consent_method(self, field):
        if self.consent_on.data and not field.data:
            raise ValidationError(_l("Précisez comment le consentement a été donné."))

    def validate_reduced_rate_reason(self, field):
        if self.reduced_rate_until.data and not (field.data or "").strip():
            raise ValidationError(_l("Indiquez le motif du tarif réduit."))
