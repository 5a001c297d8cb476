"""Directory pages: staff management and the public resource guide."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")
