"""The members blueprint, shared by the view modules of this package."""

from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/members")
