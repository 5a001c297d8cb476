"""Report pages for coordinators."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
