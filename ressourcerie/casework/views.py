"""Casework pages: open to the care team of the case's site only, every read logged."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ressourcerie.extensions import db
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.security.permissions import care_team_permission

bp = Blueprint("casework", __name__, url_prefix="/casework")


@bp.before_request
def care_team_only():
    """Second lock on the whole blueprint: nobody outside the care team gets in."""
    if current_user.is_authenticated and not care_team_permission.can():
        abort(403)


@bp.get("/")
@requires("care_team")
def index():
    audit.record("casework", "casework.index.read", object_type="casework_index")
    db.session.commit()
    return render_template("casework/index.html")
