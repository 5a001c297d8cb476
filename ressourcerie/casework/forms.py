"""Casework forms: consent, situation, entries, orientations, mandates, procedures, sheets."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ressourcerie.casework import labels
from ressourcerie.columns import local_today
from ressourcerie.form_fields import AtLeastOne, MultiCheckboxField

REQUIRED = _l("Ce champ est obligatoire.")


def choices(label_map: dict) -> list[SelectChoice]:
    return [SelectChoice(str(code), label) for code, label in label_map.items() if code is not None]


class ConsentForm(FlaskForm):
    consent_on = DateField(
        _l("Date du consentement"), default=local_today, validators=[InputRequired(REQUIRED)]
    )
    consent_method = RadioField(
        _l("Consentement recueilli"),
        choices=choices(labels.CONSENT_METHOD_LABELS),
        validators=[InputRequired(REQUIRED)],
    )
    consent_sharing = RadioField(
        _l(
            "La personne accepte que la travailleuse sociale et la psychologue partagent des informations"
        ),
        choices=[SelectChoice("yes", _l("Oui")), SelectChoice("no", _l("Non"))],
        validators=[InputRequired(REQUIRED)],
    )
    submit = SubmitField(_l("Enregistrer"))


class OpenCaseForm(ConsentForm):
    submit = SubmitField(_l("Ouvrir le dossier"))


class LinkCaseForm(FlaskForm):
    submit = SubmitField(_l("Rattacher au dossier ouvert"))


class CloseReferralForm(FlaskForm):
    reason = StringField(
        _l("Raison de la clôture"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("Courte et neutre, par exemple « déjà accompagnée ailleurs »."),
    )
    submit = SubmitField(_l("Clore le signalement"))


class SituationForm(FlaskForm):
    assessed_on = DateField(
        _l("Date de l'évaluation"), default=local_today, validators=[InputRequired(REQUIRED)]
    )
    relation = SelectField(
        _l("Lien avec la personne aidée"), choices=choices(labels.RELATION_LABELS)
    )
    reason = SelectField(_l("Raison de l'aide"), choices=choices(labels.CARE_REASON_LABELS))
    living_together = BooleanField(_l("Vit avec la personne aidée"))
    hours_per_week = IntegerField(
        _l("Heures d'aide par semaine"),
        validators=[Optional(), NumberRange(min=0, max=168, message=_l("Entre 0 et 168."))],
    )
    work_situation = SelectField(
        _l("Situation professionnelle"), choices=choices(labels.WORK_LABELS)
    )
    caring_since = DateField(_l("Aidant·e depuis"), validators=[Optional()])
    exhaustion_level = IntegerField(
        _l("Niveau d'épuisement (0 à 10)"),
        validators=[Optional(), NumberRange(min=0, max=10, message=_l("Entre 0 et 10."))],
    )
    needs = MultiCheckboxField(_l("Besoins"), choices=choices(labels.NEED_LABELS))
    submit = SubmitField(_l("Enregistrer l'évaluation"))


class EntryForm(FlaskForm):
    occurred_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(REQUIRED)])
    # No default: the hours of support in the reports add these up, and a default of
    # 45 min went unnoticed on a 5-minute phone call.
    duration_minutes = IntegerField(
        _l("Durée (minutes)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=0, max=600, message=_l("Entre 0 et 600.")),
        ],
    )
    kind = SelectField(_l("Type"), choices=choices(labels.ENTRY_KIND_LABELS))
    visibility = RadioField(
        _l("Qui peut lire cette note"),
        choices=choices(labels.VISIBILITY_LABELS),
        default="team",
        validators=[InputRequired(REQUIRED)],
    )
    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(REQUIRED), Length(max=20000)],
        render_kw={"rows": 8},
    )
    submit = SubmitField(_l("Enregistrer la note"))


def optional_int(value) -> int | None:
    """A select's value, "" (the "— choose —" line) being no choice."""
    return None if value in ("", None) else int(value)


class OrientationForm(FlaskForm):
    need = SelectField(_l("Besoin"), choices=choices(labels.NEED_LABELS))
    # Without JavaScript: re-shows the page with the partners covering the chosen need first.
    show_partners = SubmitField(_l("Proposer les partenaires pour ce besoin"))
    partner_id = SelectField(
        _l("Partenaire"), coerce=optional_int, validators=[InputRequired(REQUIRED)]
    )
    oriented_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(REQUIRED)])
    status = SelectField(_l("Statut"), choices=choices(labels.ORIENTATION_STATUS_LABELS))
    outcome = TextAreaField(_l("Résultat"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Enregistrer l'orientation"))


class OrientationUpdateForm(FlaskForm):
    status = SelectField(_l("Statut"), choices=choices(labels.ORIENTATION_STATUS_LABELS))
    outcome = TextAreaField(_l("Résultat"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Mettre à jour"))


class MandateForm(FlaskForm):
    scope = MultiCheckboxField(
        _l("Démarches couvertes"),
        choices=choices(labels.PROCEDURE_LABELS),
        validators=[AtLeastOne(_l("Choisissez au moins un type de démarche."))],
    )
    duration = RadioField(
        _l("Durée"), choices=choices(labels.DURATION_LABELS), validators=[InputRequired(REQUIRED)]
    )
    starts_on = DateField(_l("Début"), default=local_today, validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Enregistrer le mandat"))


class RevokeForm(FlaskForm):
    revoked_on = DateField(
        _l("Date de la révocation"),
        description=_l("Le jour où la personne a retiré son accord, à l'oral ou par écrit."),
        default=local_today,
        validators=[InputRequired(REQUIRED)],
    )
    submit = SubmitField(_l("Révoquer le mandat"))


class ProcedureForm(FlaskForm):
    mandate_id = SelectField(_l("Mandat"), coerce=int, validators=[InputRequired(REQUIRED)])
    procedure_type = SelectField(_l("Démarche"), choices=choices(labels.PROCEDURE_LABELS))
    done_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(REQUIRED)])
    description = TextAreaField(_l("Ce qui a été fait"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Enregistrer la démarche"))


class AppointmentForm(FlaskForm):
    next_appointment_at = DateTimeLocalField(
        _l("Prochain rendez-vous"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    submit = SubmitField(_l("Enregistrer"))


class CloseCaseForm(FlaskForm):
    reason = SelectField(_l("Motif de clôture"), choices=choices(labels.CLOSING_REASON_LABELS))
    closed_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Clôturer le dossier"))


class DifficultyForm(FlaskForm):
    reported_on = DateField(_l("Date"), default=local_today, validators=[InputRequired(REQUIRED)])
    category = SelectField(_l("Catégorie"), choices=choices(labels.DIFFICULTY_LABELS))
    institution = SelectField(_l("Organisme"), choices=choices(labels.INSTITUTION_LABELS))
    description = TextAreaField(
        _l("Description anonymisée"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        description=_l("Sans nom, adresse ni détail permettant de reconnaître la personne."),
        render_kw={"rows": 5},
    )
    submit = SubmitField(_l("Enregistrer la fiche"))
