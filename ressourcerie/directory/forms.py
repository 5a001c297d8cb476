"""Forms of the directory: a partner, the filters, the public search, the CSV import."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError
from wtforms.validators import Email as EmailValidator

from ressourcerie.directory.models import PARTNER_TYPE_LABELS
from ressourcerie.directory.needs import NEED_LABELS
from ressourcerie.directory.services import (
    InvalidArea,
    normalise_departement,
    normalise_postcode,
    split_lines,
)
from ressourcerie.form_fields import MultiCheckboxField
from ressourcerie.uploads import limit_mb


def type_choices():
    return [SelectChoice(t.value, label) for t, label in PARTNER_TYPE_LABELS.items()]


def need_choices():
    return [SelectChoice(n.value, label) for n, label in NEED_LABELS.items()]


class PartnerForm(FlaskForm):
    name = StringField(
        _l("Nom"), validators=[DataRequired(_l("Indiquez le nom.")), Length(max=200)]
    )
    type = SelectField(_l("Type"), choices=type_choices)
    description = TextAreaField(
        _l("Ce qu'ils font pour les aidant·es (en mots simples)"),
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
    )
    needs = MultiCheckboxField(_l("Besoins couverts"), choices=need_choices)
    address = StringField(_l("Adresse"), validators=[Length(max=300)])
    postcode = StringField(_l("Code postal"), validators=[Optional(), Length(max=10)])
    commune = StringField(_l("Commune"), validators=[Length(max=120)])
    phone = StringField(_l("Téléphone"), validators=[Length(max=30)])
    email = EmailField(
        _l("Email"),
        validators=[Optional(), EmailValidator(_l("Adresse email invalide.")), Length(max=254)],
    )
    website = StringField(
        _l("Site web"),
        # "www.example.org" as people type it: the https:// is added for them.
        filters=[lambda text: f"https://{text.strip()}" if text and "://" not in text else text],
        validators=[
            Optional(),
            URL(message=_l("Adresse de site invalide (commencez par https://).")),
            Length(max=300),
        ],
    )
    hours = StringField(_l("Horaires"), validators=[Length(max=300)])
    communes = TextAreaField(_l("Communes desservies (une par ligne)"), render_kw={"rows": 3})
    postcodes = TextAreaField(_l("Codes postaux desservis"), render_kw={"rows": 2})
    departements = StringField(_l("Départements desservis"))
    is_public = BooleanField(_l("Visible sur la page publique « Trouver de l'aide »"))
    last_verified_on = DateField(_l("Informations vérifiées le"), validators=[Optional()])
    submit = SubmitField(_l("Enregistrer"))

    def validate_postcode(self, field):
        try:
            field.data = normalise_postcode(field.data)
        except InvalidArea as error:
            raise ValidationError(str(error)) from error

    def validate_postcodes(self, field):
        errors = []
        for value in split_lines(field.data):
            try:
                normalise_postcode(value)
            except InvalidArea as error:
                errors.append(str(error))
        if errors:
            raise ValidationError(" ".join(errors))

    def validate_departements(self, field):
        errors = []
        for value in split_lines(field.data):
            try:
                normalise_departement(value)
            except InvalidArea as error:
                errors.append(str(error))
        if errors:
            raise ValidationError(" ".join(errors))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Nom"))
    place = StringField(_l("Commune ou code postal"))
    type = SelectField(
        _l("Type"), choices=lambda: [SelectChoice("", _l("Tous les types")), *type_choices()]
    )
    need = SelectField(
        _l("Besoin"), choices=lambda: [SelectChoice("", _l("Tous les besoins")), *need_choices()]
    )
    visibility = SelectField(
        _l("Visibilité"),
        choices=[
            SelectChoice("", _l("Tous")),
            SelectChoice("public", _l("Publics")),
            SelectChoice("internal", _l("Internes")),
        ],
    )


class GuideSearchForm(FlaskForm):
    """The public search: a need and a place. GET, no CSRF (nothing is written)."""

    class Meta:
        csrf = False

    need = SelectField(
        _l("De quoi avez-vous besoin ?"),
        choices=lambda: [SelectChoice("", _l("Toutes les aides")), *need_choices()],
    )
    place = StringField(
        _l("Votre commune ou code postal"),
        validators=[Length(max=120)],
        render_kw={"autocomplete": "address-level2", "placeholder": _l("ex. : Mérignac ou 33700")},
    )


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Fichier CSV"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(["csv", "txt"], _l("Choisissez un fichier .csv.")),
        ],
    )
    submit = SubmitField(_l("Vérifier le fichier"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file.label.text = _("Fichier CSV, %(size)s Mo au plus", size=limit_mb())


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Importer"))
