"""The member's own space: profile, contact choices, own data."""

from flask import render_template

from ressourcerie.members.blueprint import bp
from ressourcerie.security.access import requires


@bp.get("/me")
@requires("member")
def my_space():
    return render_template("members/my_space.html")
