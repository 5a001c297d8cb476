"""Forms of workshops: activities, sessions, bookings, check-in, opening hours."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from ressourcerie.members.forms.payments import MoneyField, method_choices
from ressourcerie.workshops.labels import (
    CANCEL_REASON_LABELS,
    CATEGORY_LABELS,
    MODE_LABELS,
    WEEKDAY_LABELS,
)
from ressourcerie.workshops.models import CancelReason, Channel


def _choices(labels):
    return [SelectChoice(key.value, label) for key, label in labels.items()]


class ActivityForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=160)])
    category = SelectField(_l("Catégorie"), choices=_choices(CATEGORY_LABELS))
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    easy_summary = TextAreaField(
        _l("Résumé facile à lire (phrases courtes, mots simples)"), validators=[Length(max=1000)]
    )
    accessibility_notes = TextAreaField(_l("Accessibilité"), validators=[Length(max=1000)])
    mode = SelectField(_l("Modalité"), choices=_choices(MODE_LABELS))
    paid = BooleanField(_l("Atelier payant (tarif plein, adhérent·e ou réduit)"))
    site_id = SelectField(_l("Site"), coerce=int, choices=[])
    facilitator_id = SelectField(_l("Animé par un membre de l'équipe"), coerce=int, choices=[])
    facilitator_name = StringField(
        _l("ou par un intervenant extérieur (nom, structure)"), validators=[Length(max=160)]
    )
    default_capacity = IntegerField(
        _l("Nombre de places habituel"),
        default=10,
        validators=[DataRequired(), NumberRange(1, 500)],
    )
    default_duration_minutes = IntegerField(
        _l("Durée habituelle (minutes)"),
        default=90,
        validators=[DataRequired(), NumberRange(15, 600)],
    )
    active = BooleanField(_l("Proposée au planning"), default=True)
    submit = SubmitField(_l("Enregistrer"))


class SessionForm(FlaskForm):
    day = DateField(_l("Date (première séance pour une série)"), validators=[DataRequired()])
    start = TimeField(_l("Début"), validators=[DataRequired()])
    end = TimeField(_l("Fin"), validators=[DataRequired()])
    capacity = IntegerField(_l("Places"), validators=[DataRequired(), NumberRange(1, 500)])
    room = StringField(_l("Salle"), validators=[Length(max=120)])
    mode = SelectField(_l("Modalité"), choices=_choices(MODE_LABELS))
    video_link = StringField(
        _l("Lien de visioconférence (envoyé aux seules personnes confirmées)"),
        validators=[Optional(), URL(require_tld=False), Length(max=500)],
    )
    weekly = BooleanField(_l("Répéter chaque semaine"))
    until = DateField(_l("Jusqu'au (inclus)"), validators=[Optional()])
    override_reason = StringField(
        _l("Hors horaires d'ouverture : raison (coordination seulement)"),
        validators=[Length(max=300)],
    )
    submit = SubmitField(_l("Enregistrer"))

    def validate_until(self, field):
        if self.weekly.data and not field.data:
            raise ValidationError(_l("Indiquez jusqu'à quand répéter la séance."))

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("L'heure de fin doit être après l'heure de début."))


class EditSessionForm(SessionForm):
    weekly = None
    until = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.day.label.text = _l("Date")  # one session: no series here


class CancelSessionForm(FlaskForm):
    reason = StringField(
        _l("Raison (elle est envoyée aux personnes inscrites)"),
        validators=[DataRequired(), Length(max=300)],
    )
    confirm = BooleanField(
        _l("Je confirme l'annulation : elle ne pourra pas être défaite."),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Annuler la séance et prévenir les inscrit·es"))


class BookForm(FlaskForm):
    with_companion = BooleanField(
        _l("Je viens avec la personne que j'aide (une place de plus, sans supplément)")
    )
    companion_name = StringField(_l("Son prénom"), validators=[Length(max=120)])
    companion_notes = TextAreaField(
        _l("Informations pratiques pour l'équipe (mobilité, régime…), non publiées"),
        validators=[Length(max=1000)],
    )
    submit = SubmitField(_l("Réserver"))


class StaffBookForm(BookForm):
    with_companion = BooleanField(
        _l("Vient avec la personne qu'il ou elle aide (une place de plus, sans supplément)")
    )
    companion_name = StringField(_l("Prénom de la personne aidée"), validators=[Length(max=120)])
    companion_notes = TextAreaField(
        _l("Notes pratiques (visibles par l'équipe seulement)"), validators=[Length(max=1000)]
    )
    person_id = HiddenField(validators=[DataRequired(_l("Choisissez la personne."))])
    channel = SelectField(
        _l("Demande reçue"),
        choices=[
            SelectChoice(Channel.PHONE.value, _l("Par téléphone")),
            SelectChoice(Channel.DESK.value, _l("À l'accueil")),
        ],
    )
    amount = MoneyField(_l("Autre montant (laisser vide pour le tarif normal)"))
    override_reason = StringField(_l("Raison du changement de prix"), validators=[Length(max=300)])
    method = SelectField(_l("Payé maintenant"), choices=[])
    submit = SubmitField(_l("Inscrire"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = [SelectChoice("", _l("Non, plus tard")), *method_choices()]


class CancelBookingForm(FlaskForm):
    reason = SelectField(
        _l("Raison"),
        choices=[
            SelectChoice(key.value, label)
            for key, label in CANCEL_REASON_LABELS.items()
            if key != CancelReason.SESSION_CANCELLED
        ],
    )
    submit = SubmitField(_l("Annuler ma réservation"))


class MarkForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])


class WalkInForm(FlaskForm):
    person_id = HiddenField(validators=[DataRequired(_l("Choisissez la personne."))])
    with_companion = BooleanField(_l("Avec la personne aidée"))
    submit = SubmitField(_l("Ajouter et marquer présent·e"))


class PriceForm(FlaskForm):
    amount = MoneyField(_l("Nouveau montant en euros"), validators=[DataRequired()])
    reason = StringField(_l("Raison"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Changer le prix"))


class PayForm(FlaskForm):
    method = SelectField(_l("Moyen de paiement"), choices=[])
    submit = SubmitField(_l("Encaisser"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.method.choices = method_choices()


WEEK_CHOICES = [
    SelectChoice(0, _l("Toutes les semaines")),
    SelectChoice(1, _l("Le 1er du mois seulement")),
    SelectChoice(2, _l("Le 2e du mois seulement")),
    SelectChoice(3, _l("Le 3e du mois seulement")),
    SelectChoice(4, _l("Le 4e du mois seulement")),
]


class HoursForm(FlaskForm):
    weekday = SelectField(
        _l("Jour"),
        coerce=int,
        choices=[SelectChoice(i, label) for i, label in enumerate(WEEKDAY_LABELS)],
    )
    opens_at = TimeField(_l("Ouverture"), validators=[DataRequired()])
    closes_at = TimeField(_l("Fermeture"), validators=[DataRequired()])
    week_of_month = SelectField(_l("Fréquence"), coerce=int, choices=WEEK_CHOICES, default=0)
    submit = SubmitField(_l("Ajouter ce créneau"))

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("La fermeture doit suivre l'ouverture."))


class ClosureForm(FlaskForm):
    first_day = DateField(_l("Du"), validators=[DataRequired()])
    last_day = DateField(_l("Au (inclus)"), validators=[DataRequired()])
    label = StringField(_l("Motif (affiché au planning)"), validators=[Length(max=120)])
    submit = SubmitField(_l("Ajouter la fermeture"))

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("La fin doit suivre le début."))


class EmptyForm(FlaskForm):
    """CSRF only, for one-button actions."""
