"""The workshops blueprint, shared by the view modules of this package."""

from datetime import datetime

from flask import Blueprint

from ressourcerie.columns import LOCAL_TZ

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


@bp.app_template_filter("local_time")
def local_time(value: datetime) -> str:
    """HH:MM in Europe/Paris, the same in every language: the planning shows two per session,
    and Babel's format_datetime cost 18 % of the planning week's time (docs/performance.md)."""
    return value.astimezone(LOCAL_TZ).strftime("%H:%M")
