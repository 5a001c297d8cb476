"""Forms of the people import: upload, then confirm."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ressourcerie.uploads import limit_mb


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Fichier CSV ou Excel (.xlsx)"),
        validators=[
            FileRequired(_l("Choisissez un fichier.")),
            FileAllowed(
                ["csv", "txt", "xlsx"], _l("Seuls les fichiers .csv et .xlsx sont acceptés.")
            ),
        ],
    )
    site_id = SelectField(_l("Site"), coerce=int, choices=[])
    submit = SubmitField(_l("Vérifier le fichier (rien n'est enregistré)"))

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
        self.file.label.text = _(
            "Fichier CSV ou Excel (.xlsx), %(size)s Mo au plus", size=limit_mb()
        )


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    include_duplicates = BooleanField(
        _l("Créer aussi les doublons probables (comme des fiches séparées)")
    )
    submit = SubmitField(_l("Importer"))
