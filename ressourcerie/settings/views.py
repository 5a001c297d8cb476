"""The coordinators' settings screen (prices, membership, deadlines)."""

from flask import Blueprint

from ressourcerie.settings import models  # noqa: F401 - registers the table

bp = Blueprint("settings", __name__, url_prefix="/settings")
