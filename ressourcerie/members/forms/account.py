"""Forms of member accounts: sign-up, claim, profile, data rights."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Regexp

from ressourcerie.form_fields import postcode_field
from ressourcerie.members.forms.people import check_phone
from ressourcerie.members.services.people import CHANNEL_LABELS

EMAIL_MESSAGE = _l("Indiquez une adresse e-mail valide, par exemple prenom@exemple.fr.")


class _PasswordFields:
    password = PasswordField(
        _l("Mot de passe"),
        description=_l("Au moins 12 caractères ; une phrase de plusieurs mots convient bien."),
        validators=[InputRequired(message=_l("Choisissez un mot de passe."))],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("Mot de passe, une seconde fois"),
        validators=[EqualTo("password", message=_l("Les deux mots de passe sont différents."))],
        render_kw={"autocomplete": "new-password"},
    )


class SignupForm(_PasswordFields, FlaskForm):
    first_name = StringField(
        _l("Prénom"),
        validators=[InputRequired(message=_l("Indiquez votre prénom.")), Length(max=100)],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Nom (facultatif)"),
        validators=[Length(max=100)],
        render_kw={"autocomplete": "family-name"},
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            InputRequired(message=EMAIL_MESSAGE),
            Email(message=EMAIL_MESSAGE),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    consent = BooleanField(
        _l("J'accepte que la Ressourcerie conserve ces informations pour m'accueillir."),
        validators=[
            InputRequired(message=_l("Ce consentement est nécessaire pour créer un compte."))
        ],
    )
    charter = BooleanField(
        _l("J'ai lu et j'accepte la charte du lieu."),
        validators=[
            InputRequired(message=_l("La charte doit être acceptée pour créer un compte."))
        ],
    )
    newsletter = BooleanField(_l("Je souhaite recevoir la lettre d'information."))
    submit = SubmitField(_l("Créer mon compte"))


class ClaimForm(_PasswordFields, FlaskForm):
    code = StringField(
        _l("Code remis à l'accueil"),
        description=_l("Par exemple ABCD-EFGH-JKMN."),
        validators=[
            InputRequired(message=_l("Indiquez le code reçu.")),
            Regexp(r"^[A-Za-z0-9 -]{12,20}$", message=_l("Ce code n'a pas la bonne forme.")),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            InputRequired(message=EMAIL_MESSAGE),
            Email(message=EMAIL_MESSAGE),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Activer mon compte"))


class ProfileForm(FlaskForm):
    first_name = StringField(_l("Prénom"), validators=[Length(max=100)])
    last_name = StringField(_l("Nom"), validators=[Length(max=100)])
    phone = StringField(_l("Téléphone"), validators=[Length(max=30)])
    commune = StringField(_l("Commune"), validators=[Length(max=120)])
    postcode = postcode_field()
    preferred_contact = SelectField(
        _l("Comment préférez-vous être contacté·e ?"),
        choices=[SelectChoice(key.value, label) for key, label in CHANNEL_LABELS.items()],
    )
    newsletter_opt_in = BooleanField(_l("Recevoir la lettre d'information"))
    submit = SubmitField(_l("Enregistrer"))

    def validate_phone(self, field):
        check_phone(field)


class ClaimCodeForm(FlaskForm):
    send_email = SubmitField(_l("Envoyer le lien par courriel"))
    print_code = SubmitField(_l("Créer un code à imprimer"))


class ConfirmForm(FlaskForm):
    """A bare form: the CSRF token of a one-button action."""

    submit = SubmitField(_l("Confirmer"))
