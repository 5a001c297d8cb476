"""The internal referral (signalement) form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ressourcerie.members.services.referrals import CATEGORY_LABELS, COMMENT_MAX


class ReferralForm(FlaskForm):
    category = SelectField(
        _l("Motif"),
        # An empty first choice: nothing is sent until someone chose a reason.
        choices=[
            SelectChoice("", _l("— Choisir un motif —")),
            *(SelectChoice(key.value, label) for key, label in CATEGORY_LABELS.items()),
        ],
        validators=[InputRequired(message=_l("Choisissez un motif."))],
    )
    comment = TextAreaField(
        _l("Commentaire court"),
        description=_l(
            "Restez factuel·le et neutre : ce que vous avez vu ou entendu, sans interprétation "
            "ni diagnostic (500 caractères au plus)."
        ),
        validators=[
            Length(max=COMMENT_MAX, message=_l("Le commentaire doit tenir en 500 caractères."))
        ],
        render_kw={"maxlength": COMMENT_MAX, "rows": 4},
    )
    submit = SubmitField(_l("Transmettre à l'équipe d'accompagnement"))
