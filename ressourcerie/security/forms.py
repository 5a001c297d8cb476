"""Forms of login, two factors, passwords, staff accounts and sites."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    ValidationError,
)

from ressourcerie.form_fields import MultiCheckboxField, postcode_field
from ressourcerie.security.models import STAFF_ROLES, Role

ROLE_LABELS = {
    Role.MEMBER: _l("Adhérent·e"),
    Role.RECEPTION: _l("Accueil"),
    Role.ANIMATOR: _l("Animation"),
    Role.SOCIAL_WORKER: _l("Travailleur·se social·e"),
    Role.PSYCHOLOGIST: _l("Psychologue"),
    Role.COORDINATOR: _l("Coordination"),
    Role.ADMIN: _l("Administration technique"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=256)])
    submit = SubmitField(_l("Se connecter"))


class TwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres de votre application, ou un code de secours"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )
    submit = SubmitField(_l("Valider"))


class TotpEnrolForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres affiché par l'application"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Activer la double authentification"))


class PasswordForgotForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Recevoir un lien"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        description=_l("Au moins 12 caractères. Une phrase de plusieurs mots est idéale."),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Confirmer le mot de passe"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Enregistrer le mot de passe"))


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmForm(FlaskForm):
    """A button-only form (CSRF-protected POST)."""

    submit = SubmitField(_l("Confirmer"))


class StaffUserForm(FlaskForm):
    display_name = StringField(_l("Nom affiché"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(), Email(message=_l("Adresse e-mail invalide.")), Length(max=254)],
    )
    roles = MultiCheckboxField(
        _l("Rôles"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in STAFF_ROLES],
    )
    sites = MultiCheckboxField(_l("Sites"), coerce=int)
    submit = SubmitField(_l("Enregistrer"))

    def validate_roles(self, field):
        if not field.data:
            raise ValidationError(_l("Choisissez au moins un rôle."))

    def validate_sites(self, field):
        if not field.data:
            raise ValidationError(_l("Rattachez le compte à au moins un site."))


class SiteForm(FlaskForm):
    name = StringField(_l("Nom du site"), validators=[DataRequired(), Length(max=120)])
    town = StringField(_l("Commune"), validators=[Length(max=120)])
    address = StringField(_l("Adresse"), validators=[Length(max=255)])
    postcode = postcode_field()
    phone = StringField(
        _l("Téléphone (imprimé sur les reçus, fiches et programmes)"), validators=[Length(max=30)]
    )
    active = BooleanField(_l("Site actif"), default=True)
    submit = SubmitField(_l("Enregistrer"))


class LanguageForm(FlaskForm):
    lang = SelectField(
        _l("Langue"), choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")]
    )
    submit = SubmitField(_l("Changer"))
