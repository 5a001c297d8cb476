"""Member-facing pages (the member's own space)."""

from flask import Blueprint, render_template

from ressourcerie.security.access import requires

bp = Blueprint("members", __name__, url_prefix="/members")


@bp.get("/me")
@requires("member")
def my_space():
    return render_template("members/my_space.html")
