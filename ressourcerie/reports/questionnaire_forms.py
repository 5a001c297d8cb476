"""Forms of the impact questionnaire: answered online by a member, or entered from paper."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from ressourcerie.columns import local_today
from ressourcerie.reports.questionnaire import (
    CAREGIVER_CHOICES,
    CAREGIVER_HELP,
    CAREGIVER_QUESTION,
    QUESTIONS,
)

CHOOSE_ONE = _l("Choisissez une réponse (« je ne sais pas » convient aussi).")
NO_ANSWER = SelectChoice("", _l("pas de réponse sur le papier"))
ANSWER_FIELDS = (*(question.key for question in QUESTIONS), "sees_self_as_caregiver")
_BY_KEY = {question.key: question for question in QUESTIONS}


def _question_field(key: str, *, online: bool) -> RadioField:
    choices = [SelectChoice(value.value, label) for value, label in _BY_KEY[key].choices.items()]
    return _radio(_BY_KEY[key].text, choices, online=online)


def _caregiver_field(*, online: bool) -> RadioField:
    choices = [SelectChoice(value.value, label) for value, label in CAREGIVER_CHOICES.items()]
    return _radio(CAREGIVER_QUESTION, choices, online=online, description=CAREGIVER_HELP)


def _radio(label, choices, *, online: bool, description="") -> RadioField:
    if online:
        return RadioField(
            label,
            choices=choices,
            description=description,
            validators=[InputRequired(message=CHOOSE_ONE)],
        )
    # Paper forms come back with blanks: "no answer" is a choice, and the default.
    return RadioField(
        label,
        choices=[*choices, NO_ANSWER],
        default="",
        description=description,
        validators=[Optional()],
    )


class OnlineQuestionnaireForm(FlaskForm):
    wellbeing = _question_field("wellbeing", online=True)
    social_ties = _question_field("social_ties", online=True)
    support = _question_field("support", online=True)
    isolation = _question_field("isolation", online=True)
    information = _question_field("information", online=True)
    sees_self_as_caregiver = _caregiver_field(online=True)
    submit = SubmitField(_l("Envoyer mes réponses"))

    def answers(self) -> dict[str, str | None]:
        return {name: self[name].data or None for name in ANSWER_FIELDS}


class PaperQuestionnaireForm(FlaskForm):
    answered_on = DateField(
        _l("Date écrite sur le questionnaire (ou date de remise)"),
        default=local_today,
        validators=[InputRequired(message=_l("Indiquez la date de la réponse."))],
    )
    site_id = SelectField(_l("Lieu"), coerce=int)
    wellbeing = _question_field("wellbeing", online=False)
    social_ties = _question_field("social_ties", online=False)
    support = _question_field("support", online=False)
    isolation = _question_field("isolation", online=False)
    information = _question_field("information", online=False)
    sees_self_as_caregiver = _caregiver_field(online=False)
    submit = SubmitField(_l("Enregistrer le questionnaire papier"))

    def answers(self) -> dict[str, str | None]:
        return {name: self[name].data or None for name in ANSWER_FIELDS}
