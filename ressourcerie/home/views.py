"""Home page for everyone, and a dashboard that sends each role to its work."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ressourcerie.columns import local_day_bounds, local_today
from ressourcerie.extensions import db
from ressourcerie.members.models import Referral, ReferralStatus, Visit
from ressourcerie.security.access import authenticated, public
from ressourcerie.security.permissions import can
from ressourcerie.workshops.models import WorkshopSession

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return render_template("home/index.html")


@bp.get("/charte")
@public
def charter():
    """The place's charter, which members accept (at sign-up or at the desk)."""
    return render_template("home/charter.html")


@bp.get("/donnees-personnelles")
@public
def privacy():
    """What is kept about people, why, who sees it, for how long, and their rights."""
    return render_template("home/privacy.html")


@bp.get("/dashboard")
@authenticated
def dashboard():
    if not current_user.is_staff:
        return redirect(url_for("members.my_space"))
    site_ids = {site.id for site in current_user.sites}
    today = local_today()
    day_start, day_end = local_day_bounds(today)
    sessions = []
    if can("staff") and site_ids:
        sessions = list(
            db.session.scalars(
                select(WorkshopSession)
                .options(joinedload(WorkshopSession.activity))
                .where(
                    WorkshopSession.site_id.in_(site_ids),
                    WorkshopSession.starts_at >= day_start,
                    WorkshopSession.starts_at < day_end,
                )
                .order_by(WorkshopSession.starts_at)
            )
        )
    visits_today = None
    if can("people") and site_ids:
        visits_today = db.session.scalar(
            select(func.count(Visit.id)).where(
                Visit.site_id.in_(site_ids),
                Visit.visited_at >= day_start,
                Visit.visited_at < day_end,
            )
        )
    new_referrals = None
    if can("care_team") and site_ids:
        # A count only: the queue itself is on the casework pages (and logged there).
        new_referrals = db.session.scalar(
            select(func.count(Referral.id)).where(
                Referral.site_id.in_(site_ids), Referral.status == ReferralStatus.NEW
            )
        )
    return render_template(
        "home/dashboard.html",
        today=today,
        today_sessions=sessions,
        visits_today=visits_today,
        new_referrals=new_referrals,
    )


@bp.get("/healthz")
@public
def health():
    return {"status": "ok"}
