"""Animators and coordinators: activities, sessions (single or weekly), opening hours."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ressourcerie import dates
from ressourcerie.columns import LOCAL_TZ, local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.security.models import STAFF_ROLES, Role, User, UserRole, user_site
from ressourcerie.security.permissions import can
from ressourcerie.workshops import queries
from ressourcerie.workshops.blueprint import bp
from ressourcerie.workshops.forms import (
    ActivityForm,
    CancelSessionForm,
    ClosureForm,
    EditSessionForm,
    EmptyForm,
    HoursForm,
    SessionForm,
)
from ressourcerie.workshops.labels import CATEGORY_LABELS, WEEKDAY_LABELS
from ressourcerie.workshops.models import Activity, Closure, OpeningHours
from ressourcerie.workshops.permissions import ensure_site
from ressourcerie.workshops.services import hours as hours_services
from ressourcerie.workshops.services import sessions as session_services
from ressourcerie.workshops.services.sessions import SessionError, Slot


def _sites():
    sites = list(current_user.sites)
    if not sites:
        abort(403)
    return sites


def _facilitator_choices(site_ids):
    staff = db.session.scalars(
        select(User)
        .join(user_site, user_site.c.user_id == User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            user_site.c.site_id.in_(list(site_ids)),
            UserRole.role.in_([role.value for role in STAFF_ROLES if role != Role.ADMIN]),
            User.active.is_(True),
        )
        .order_by(User.display_name)
    ).unique()
    return [SelectChoice(0, _("— intervenant extérieur —"))] + [
        SelectChoice(u.id, u.display_name) for u in staff
    ]


def _load_activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    ensure_site(current_user, activity)
    return activity


def _load_session(session_id: int):
    session = queries.load_session(session_id)
    if session is None:
        abort(404)
    ensure_site(current_user, session)
    return session


@bp.get("/manage")
@requires("staff")
def sessions_list():
    """Upcoming sessions of my sites, with their fill and links to the desk pages: the
    next two weeks first, more on request (a long list is hard to use on a tablet)."""
    weeks = min(max(request.args.get("weeks", 2, type=int) or 2, 1), 52)
    since = utcnow() - timedelta(hours=12)
    sessions = queries.staff_sessions(
        current_user.site_ids, since, until=since + timedelta(weeks=weeks)
    )
    return render_template(
        "workshops/manage_sessions.html",
        sessions=sessions,
        weeks=weeks,
        activities=queries.activities_of(current_user.site_ids),
        CATEGORY_LABELS=CATEGORY_LABELS,
    )


@bp.route("/activities/new", methods=["GET", "POST"])
@requires("animator")
def new_activity():
    return _activity_form(None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires("animator")
def edit_activity(activity_id: int):
    return _activity_form(_load_activity(activity_id))


def _activity_form(activity: Activity | None):
    sites = _sites()
    form = ActivityForm(obj=activity)
    form.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
    form.facilitator_id.choices = _facilitator_choices({site.id for site in sites})
    if activity is not None and request.method == "GET":
        form.facilitator_id.data = activity.facilitator_id or 0
    if form.validate_on_submit():
        if form.site_id.data not in {site.id for site in sites}:
            abort(403)
        if activity is None:
            activity = Activity()
            db.session.add(activity)
        for name in (
            "title",
            "category",
            "description",
            "easy_summary",
            "accessibility_notes",
            "mode",
            "paid",
            "site_id",
            "facilitator_name",
            "default_capacity",
            "default_duration_minutes",
            "active",
        ):
            value = getattr(form, name).data
            setattr(activity, name, value.strip() if isinstance(value, str) else value)
        activity.facilitator_id = form.facilitator_id.data or None
        if activity.facilitator_id:
            activity.facilitator_name = ""
        db.session.flush()
        audit.record(
            "workshops",
            "activity.saved",
            object_type="activity",
            object_id=activity.id,
            site_id=activity.site_id,
        )
        db.session.commit()
        flash(_("Activité enregistrée : vous pouvez programmer ses séances."), "success")
        return redirect(url_for("workshops.new_session", activity_id=activity.id))
    return render_template("workshops/activity_form.html", form=form, activity=activity)


@bp.route("/activities/<int:activity_id>/sessions/new", methods=["GET", "POST"])
@requires("animator")
def new_session(activity_id: int):
    activity = _load_activity(activity_id)
    form = SessionForm()
    if request.method == "GET":
        form.capacity.data = activity.default_capacity
        form.mode.data = activity.mode
    if form.validate_on_submit():
        override = form.override_reason.data if can("coordinator") else ""
        slot = _slot(form)
        try:
            if form.weekly.data:
                result = session_services.create_series(
                    activity, slot, form.until.data, by=current_user, override_reason=override
                )
                created = result.sessions
            else:
                created = [
                    session_services.create_session(
                        activity, slot, by=current_user, override_reason=override
                    )
                ]
                result = None
        except SessionError as error:
            db.session.rollback()
            form.day.errors.append(str(error))
        else:
            audit.record(
                "workshops",
                "session.created",
                object_type="activity",
                object_id=activity.id,
                site_id=activity.site_id,
                detail={"count": len(created)},
            )
            db.session.commit()
            flash(
                ngettext(
                    "%(num)d séance programmée.", "%(num)d séances programmées.", len(created)
                ),
                "success",
            )
            if result is not None and result.skipped:
                flash(
                    _(
                        "Pas de séance les jours de fermeture : %(days)s.",
                        days=", ".join(dates.day(day, "d MMMM") for day, _label in result.skipped),
                    ),
                    "info",
                )
            return redirect(url_for("workshops.session_page", session_id=created[0].id))
    return render_template(
        "workshops/session_form.html",
        form=form,
        activity=activity,
        session=None,
        hours=hours_services.hours_of(activity.site_id),
        WEEKDAY_LABELS=WEEKDAY_LABELS,
    )


def _slot(form) -> Slot:
    return Slot(
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        capacity=form.capacity.data,
        room=form.room.data or "",
        mode=form.mode.data,
        video_link=form.video_link.data or "",
    )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires("animator")
def edit_session(session_id: int):
    session = _load_session(session_id)
    form = EditSessionForm()
    if request.method == "GET":
        starts, ends = session.starts_at.astimezone(LOCAL_TZ), session.ends_at.astimezone(LOCAL_TZ)
        form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
        form.capacity.data, form.room.data = session.capacity, session.room
        form.mode.data, form.video_link.data = session.mode, session.video_link
    if form.validate_on_submit():
        override = form.override_reason.data if can("coordinator") else ""
        try:
            told = session_services.update_session(
                session, _slot(form), by=current_user, override_reason=override
            )
        except SessionError as error:
            db.session.rollback()
            form.day.errors.append(str(error))
        else:
            audit.record(
                "workshops",
                "session.updated",
                object_type="workshop_session",
                object_id=session.id,
                site_id=session.site_id,
            )
            db.session.commit()
            if told:
                flash(
                    ngettext(
                        "Séance modifiée. %(num)d personne inscrite est prévenue par e-mail ; "
                        "appelez celles qui n'ont pas d'adresse.",
                        "Séance modifiée. %(num)d personnes inscrites sont prévenues par e-mail ; "
                        "appelez celles qui n'ont pas d'adresse.",
                        told,
                    ),
                    "success",
                )
            else:
                flash(_("Séance modifiée."), "success")
            return redirect(url_for("workshops.session_page", session_id=session.id))
    return render_template(
        "workshops/session_form.html",
        form=form,
        activity=session.activity,
        session=session,
        cancel_form=CancelSessionForm(),
        hours=hours_services.hours_of(session.site_id),
        WEEKDAY_LABELS=WEEKDAY_LABELS,
    )


@bp.post("/sessions/<int:session_id>/cancel")
@requires("animator")
def cancel_session(session_id: int):
    session = _load_session(session_id)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        if form.reason.errors:
            flash(_("Indiquez pourquoi la séance est annulée : les personnes le liront."), "danger")
        else:
            flash(_("Cochez la case de confirmation pour annuler la séance."), "danger")
        return redirect(url_for("workshops.edit_session", session_id=session.id))
    try:
        told = session_services.cancel_session(session, reason=form.reason.data, by=current_user)
    except SessionError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("workshops.session_page", session_id=session.id))
    db.session.commit()
    flash(
        ngettext(
            "Séance annulée ; %(num)d personne prévenue.",
            "Séance annulée ; %(num)d personnes prévenues.",
            told,
        ),
        "success",
    )
    return redirect(url_for("workshops.session_page", session_id=session.id))


# --- opening hours -------------------------------------------------------------------------


def _chosen_site():
    sites = _sites()
    site_id = request.values.get("site", type=int) or sites[0].id
    for site in sites:
        if site.id == site_id:
            return site, sites
    abort(404)


@bp.get("/opening-hours")
@requires("coordinator")
def opening_hours():
    site, sites = _chosen_site()
    return _hours_page(site, sites, HoursForm(formdata=None), ClosureForm(formdata=None))


def _hours_page(site, sites, hours_form, closure_form, status=200):
    return (
        render_template(
            "workshops/opening_hours.html",
            site=site,
            sites=sites,
            hours=hours_services.hours_of(site.id),
            closures=hours_services.closures_of(site.id, since=local_today() - timedelta(days=31)),
            hours_form=hours_form,
            closure_form=closure_form,
            empty_form=EmptyForm(),
            WEEKDAY_LABELS=WEEKDAY_LABELS,
        ),
        status,
    )


@bp.post("/opening-hours/add")
@requires("coordinator")
def add_hours():
    site, sites = _chosen_site()
    form = HoursForm()
    if not form.validate_on_submit():
        return _hours_page(site, sites, form, ClosureForm(formdata=None), 422)
    try:
        hours_services.add_hours(
            site.id,
            form.weekday.data,
            form.opens_at.data,
            form.closes_at.data,
            form.week_of_month.data or None,
        )
    except hours_services.OverlappingHours as error:
        db.session.rollback()
        form.opens_at.errors.append(str(error))
        return _hours_page(site, sites, form, ClosureForm(formdata=None), 422)
    audit.record("workshops", "hours.added", object_type="site", object_id=site.id, site_id=site.id)
    db.session.commit()
    flash(_("Créneau d'ouverture ajouté."), "success")
    return redirect(url_for("workshops.opening_hours", site=site.id))


@bp.post("/opening-hours/<int:hours_id>/delete")
@requires("coordinator")
def delete_hours(hours_id: int):
    return _remove_site_row(OpeningHours, hours_id, "hours.removed", _("Créneau retiré."))


@bp.post("/opening-hours/closures/add")
@requires("coordinator")
def add_closure():
    site, sites = _chosen_site()
    form = ClosureForm()
    if not form.validate_on_submit():
        return _hours_page(site, sites, HoursForm(formdata=None), form, 422)
    hours_services.add_closure(
        site.id, form.first_day.data, form.last_day.data, form.label.data or ""
    )
    audit.record(
        "workshops", "closure.added", object_type="site", object_id=site.id, site_id=site.id
    )
    db.session.commit()
    flash(_("Fermeture enregistrée."), "success")
    return redirect(url_for("workshops.opening_hours", site=site.id))


@bp.post("/opening-hours/closures/<int:closure_id>/delete")
@requires("coordinator")
def delete_closure(closure_id: int):
    return _remove_site_row(Closure, closure_id, "closure.removed", _("Fermeture retirée."))


def _remove_site_row(model, row_id: int, action: str, message: str):
    """Delete an opening-hours interval or a closure of a site the coordinator may manage."""
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    ensure_site(current_user, row)
    if not EmptyForm().validate_on_submit():
        abort(400)
    site_id = row.site_id
    db.session.delete(row)
    audit.record("workshops", action, object_type="site", object_id=site_id, site_id=site_id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("workshops.opening_hours", site=site_id))
