"""Workshop pages (planning, sessions, bookings)."""

from flask import Blueprint

bp = Blueprint("workshops", __name__, url_prefix="/workshops")
