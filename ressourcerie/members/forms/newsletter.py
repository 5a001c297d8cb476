"""Forms of the newsletter: compose, send, unsubscribe."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class NewsletterForm(FlaskForm):
    subject = StringField(_l("Objet"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Texte (Markdown : **gras**, *italique*, # titre, - liste, [lien](https://…))"),
        validators=[DataRequired(), Length(max=50_000)],
    )
    submit = SubmitField(_l("Enregistrer et prévisualiser"))


class SendNewsletterForm(FlaskForm):
    confirm = BooleanField(
        _l("J'ai relu la lettre : l'envoyer maintenant (un envoi ne se rattrape pas)."),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Envoyer maintenant"))


class UnsubscribeForm(FlaskForm):
    class Meta:
        csrf = False  # the signed link is the secret; mail clients post it in one click

    submit = SubmitField(_l("Me désabonner"))
