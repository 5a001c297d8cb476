"""The administration screens: staff accounts, roles, sites and the security log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, or_, select
from wtforms.fields.choices import SelectChoice

from ressourcerie.extensions import db
from ressourcerie.form_fields import ConfirmedActionForm
from ressourcerie.notifications.services import queue_email
from ressourcerie.security import audit, services
from ressourcerie.security.access import requires
from ressourcerie.security.forms import ConfirmForm, SiteForm, StaffUserForm
from ressourcerie.security.models import STAFF_ROLES, AuditEvent, Role, Site, User, UserRole
from ressourcerie.urls import external_url

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _site_choices() -> list[SelectChoice]:
    sites = db.session.execute(select(Site).order_by(Site.name)).scalars()
    return [SelectChoice(site.id, site.name) for site in sites]


def _sites_by_id(ids: list[int]) -> list[Site]:
    if not ids:
        return []
    return list(db.session.execute(select(Site).where(Site.id.in_(ids))).scalars())


def _queue_welcome(user: User) -> None:
    queue_email(
        kind="account_created",
        to=user.email,
        subject=_("Votre compte Ressourcerie"),
        template="account_created",
        user=user,
        link=external_url("auth.password_reset", token=services.make_reset_token(user)),
    )


@bp.get("/")
@requires("admin")
def users():
    staff_ids = select(UserRole.user_id).where(UserRole.role.in_([r.value for r in STAFF_ROLES]))
    accounts = (
        db.session.execute(
            select(User)
            .where(User.id.in_(staff_ids))
            .order_by(User.active.desc(), User.display_name)
        )
        .scalars()
        .all()
    )
    return render_template("admin/users.html", users=accounts)


@bp.route("/users/new", methods=["GET", "POST"])
@requires("admin")
def create_user():
    form = StaffUserForm()
    form.sites.choices = _site_choices()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data,
                display_name=form.display_name.data,
                roles=[Role(value) for value in form.roles.data],
                sites=_sites_by_id(form.sites.data),
                by=current_user,
            )
        except services.SecurityError as error:
            flash(str(error), "danger")
        else:
            _queue_welcome(user)
            db.session.commit()
            flash(
                _(
                    "Compte créé pour %(name)s. Un message lui permet de choisir son mot de passe.",
                    name=user.display_name,
                ),
                "success",
            )
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


def _load_staff_user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not user.is_staff:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("admin")
def edit_user(user_id: int):
    user = _load_staff_user(user_id)
    form = StaffUserForm(obj=user if request.method == "GET" else None)
    form.sites.choices = _site_choices()
    if request.method == "GET":
        form.roles.data = sorted(role.value for role in user.roles)
        form.sites.data = sorted(user.site_ids)
    if form.validate_on_submit():
        try:
            services.update_staff_user(
                user,
                by=current_user,
                display_name=form.display_name.data,
                email=form.email.data,
                roles=[Role(value) for value in form.roles.data],
                sites=_sites_by_id(form.sites.data),
            )
        except services.SecurityError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Les modifications sont enregistrées."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user, confirm_form=ConfirmForm())


@bp.post("/users/<int:user_id>/active")
@requires("admin")
def toggle_active(user_id: int):
    user = _load_staff_user(user_id)
    form = ConfirmedActionForm() if user.active else ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Cochez la case de confirmation pour désactiver le compte."), "danger")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    try:
        services.set_account_active(user, not user.active, by=current_user)
    except services.SecurityError as error:
        flash(str(error), "danger")
    else:
        db.session.commit()
        if user.active:
            flash(_("Le compte est réactivé."), "success")
        else:
            flash(_("Le compte est désactivé : ses sessions sont fermées."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/two-factor/reset")
@requires("admin")
def reset_two_factor(user_id: int):
    user = _load_staff_user(user_id)
    if not ConfirmedActionForm().validate_on_submit():
        flash(
            _("Cochez la case de confirmation pour réinitialiser la double authentification."),
            "danger",
        )
        return redirect(url_for("admin.edit_user", user_id=user.id))
    services.disable_two_factor(user, by=current_user)
    db.session.commit()
    flash(
        _(
            "La double authentification est réinitialisée : la personne la configurera à sa prochaine connexion."
        ),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password-link")
@requires("admin")
def send_password_link(user_id: int):
    user = _load_staff_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _queue_welcome(user)
    audit.record("security", "password.link_sent", object_type="user", object_id=user.id)
    db.session.commit()
    flash(
        _("Un lien pour choisir un mot de passe a été envoyé à %(email)s.", email=user.email),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _site_fields(form) -> dict:
    """What the site form says of a site, for creating it or changing it."""
    return {
        name: getattr(form, name).data for name in ("name", "town", "address", "postcode", "phone")
    }


@bp.get("/sites")
@requires("admin")
def sites():
    rows = db.session.execute(select(Site).order_by(Site.name)).scalars().all()
    return render_template("admin/sites.html", sites=rows)


@bp.route("/sites/new", methods=["GET", "POST"])
@requires("admin")
def create_site():
    form = SiteForm()
    if form.validate_on_submit():
        if db.session.execute(select(Site).where(Site.name == form.name.data.strip())).first():
            form.name.errors = [_("Un site porte déjà ce nom.")]
        else:
            services.create_site(**_site_fields(form), by=current_user)
            db.session.commit()
            flash(_("Le site est créé."), "success")
            return redirect(url_for("admin.sites"))
    return render_template("admin/site_form.html", form=form, site=None)


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@requires("admin")
def edit_site(site_id: int):
    site = db.get_or_404(Site, site_id)
    form = SiteForm(obj=site)
    if form.validate_on_submit():
        clash = db.session.execute(
            select(Site).where(Site.name == form.name.data.strip(), Site.id != site.id)
        ).first()
        if clash:
            form.name.errors = [_("Un site porte déjà ce nom.")]
        else:
            services.update_site(
                site, **_site_fields(form), active=form.active.data, by=current_user
            )
            db.session.commit()
            flash(_("Les modifications sont enregistrées."), "success")
            return redirect(url_for("admin.sites"))
    return render_template("admin/site_form.html", form=form, site=site)


@bp.get("/security-log")
@requires("admin")
def security_log():
    """Security events, and refused attempts on casework (who, when, which object: never
    content), so that repeated probing is seen; other casework events are for the care
    team."""
    shown = or_(
        AuditEvent.category == "security",
        and_(AuditEvent.category == "casework", AuditEvent.action == "access.denied"),
    )
    page = db.paginate(
        select(AuditEvent).where(shown).order_by(AuditEvent.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=50,
    )
    actor_ids = {event.actor_id for event in page.items if event.actor_id}
    actors = {}
    if actor_ids:
        actors = {
            user.id: user
            for user in db.session.execute(select(User).where(User.id.in_(actor_ids))).scalars()
        }
    return render_template("admin/security_log.html", page=page, actors=actors)
