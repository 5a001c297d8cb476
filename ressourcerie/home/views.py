"""Home page for everyone, and a dashboard that sends each role to its work."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from ressourcerie.security.access import authenticated, public

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return render_template("home/index.html")


@bp.get("/dashboard")
@authenticated
def dashboard():
    if not current_user.is_staff:
        return redirect(url_for("members.my_space"))
    return render_template("home/dashboard.html")


@bp.get("/healthz")
@public
def health():
    return {"status": "ok"}
