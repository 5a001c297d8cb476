"""The workshops blueprint, shared by the view modules of this package."""

from flask import Blueprint

bp = Blueprint("workshops", __name__, url_prefix="/workshops")
