"""The coordinators' settings screen (prices, membership, deadlines)."""

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_currency
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ressourcerie import dates
from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.settings import (
    models,  # noqa: F401 - registers the table
    services,
)
from ressourcerie.settings.forms import SettingChangeForm

bp = Blueprint("settings", __name__, url_prefix="/settings")


def shown_value(key: str, raw: str) -> str:
    """A stored value as coordinators read it (money in euros, choices by label)."""
    setting = services.SETTINGS[key]
    if key in services.MONEY_KEYS:
        return format_currency(Decimal(int(raw)) / 100, "EUR")
    for choice, label in setting.choices:
        if choice == raw:
            return str(label)
    return raw


def typed_value(key: str, raw: str) -> str:
    """A stored value as it is typed in the form ("12,00" for money)."""
    if key in services.MONEY_KEYS:
        return f"{Decimal(int(raw)) / 100:.2f}".replace(".", ",")
    return raw


def change_form(key: str, **kwargs) -> SettingChangeForm:
    setting = services.SETTINGS[key]

    class Form(SettingChangeForm):
        pass

    if setting.choices:
        Form.value = SelectField(
            SettingChangeForm.value.args[0],
            choices=[SelectChoice(c, str(label)) for c, label in setting.choices],
        )
    return Form(prefix=key.replace(".", "_"), **kwargs)


@bp.get("/")
@requires("coordinator")
def index():
    return render_index()


def render_index(failed_key: str | None = None, failed_form: SettingChangeForm | None = None):
    today = local_today()
    current = services.get_many(list(services.SETTINGS), on=today)
    rows = []
    for key, setting in services.SETTINGS.items():
        raw = str(current[key])
        rows.append(
            {
                "key": key,
                "setting": setting,
                "current": shown_value(key, raw),
                "history": [
                    (value, shown_value(key, value.value)) for value in services.history(key)
                ],
                "form": failed_form
                if key == failed_key
                else change_form(key, value=typed_value(key, raw), effective_from=today),
            }
        )
    status = 200 if failed_key is None else 422
    return (
        render_template(
            "settings/index.html", rows=rows, today=today, money_keys=services.MONEY_KEYS
        ),
        status,
    )


@bp.post("/<key>")
@requires("coordinator")
def change(key: str):
    if key not in services.SETTINGS:
        abort(404)
    form = change_form(key)
    if form.validate_on_submit():
        previous = services.get(key, on=form.effective_from.data)
        try:
            row = services.set_value(
                key, form.value.data.strip(), form.effective_from.data, by_id=current_user.id
            )
        except services.InvalidSetting as error:
            db.session.rollback()
            form.value.errors = [str(error)]
        else:
            audit.record(
                "settings",
                "setting.changed",
                object_type="setting",
                object_id=key,
                detail={
                    "value": row.value,
                    "previous": str(previous),
                    "effective_from": row.effective_from.isoformat(),
                },
            )
            db.session.commit()
            flash(
                _(
                    "« %(label)s » vaut %(value)s à partir du %(date)s.",
                    label=services.SETTINGS[key].label,
                    value=shown_value(key, row.value),
                    date=dates.day(row.effective_from, "d MMMM y"),
                ),
                "success",
            )
            return redirect(url_for("settings.index", _anchor=f"setting-{key}"))
    flash(
        _(
            "Réglage « %(label)s » non modifié : corrigez la valeur.",
            label=services.SETTINGS[key].label,
        ),
        "danger",
    )
    return render_index(key, form)
