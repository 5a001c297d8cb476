"""Login with two factors, logout, password reset, one's own account, language switch."""

import base64
import io
from datetime import timedelta

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from ressourcerie.columns import utcnow
from ressourcerie.extensions import db, limiter
from ressourcerie.notifications.services import queue_email
from ressourcerie.security import passwords, services
from ressourcerie.security.access import authenticated, public
from ressourcerie.security.forms import (
    ConfirmForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordForgotForm,
    TotpEnrolForm,
    TwoFactorForm,
)
from ressourcerie.security.models import User
from ressourcerie.urls import external_url, safe_next

bp = Blueprint("auth", __name__)

PENDING_KEY = "pending_2fa"
PENDING_MAX_AGE = timedelta(minutes=10)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_wide_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_WIDE_RATE_LIMIT"]


def _account_key() -> str:
    """One account from one address: an attacker elsewhere cannot lock its owner out."""
    email = services.normalise_email(request.form.get("email", ""))[:254]
    return f"account:{email}:{request.remote_addr}"


def _account_wide_key() -> str:
    return "account-wide:" + services.normalise_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    """Only failed attempts count: a successful login answers with a redirect."""
    return response.status_code != 302


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not pending:
        return None
    started = pending.get("at", 0)
    if utcnow().timestamp() - started > PENDING_MAX_AGE.total_seconds():
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active:
        return None
    return user


def _complete_login(user: User):
    """Open a fresh session (new id) for a user who passed every factor."""
    next_url = safe_next(session.get("next"))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    services.start_login_session(user, ip=request.remote_addr, user_agent=request.user_agent.string)
    login_user(user)
    db.session.commit()
    flash(_("Bonjour %(name)s, vous êtes connecté·e.", name=user.display_name), "success")
    return redirect(next_url or url_for("home.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(
    _account_wide_limit, key_func=_account_wide_key, methods=["POST"], deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if request.method == "GET" and safe_next(request.args.get("next")):
        session["next"] = request.args["next"]
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()  # keeps the failure in the security log
            flash(_("Adresse e-mail ou mot de passe incorrect."), "danger")
            return render_template("security/login.html", form=form), 200
        if user.requires_two_factor or user.two_factor_enabled:
            session[PENDING_KEY] = {"user": user.id, "at": utcnow().timestamp()}
            db.session.commit()
            if user.two_factor_enabled:
                return redirect(url_for("auth.two_factor"))
            return redirect(url_for("auth.two_factor_setup"))
        return _complete_login(user)
    return render_template("security/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def two_factor():
    user = _pending_user()
    if user is None or not user.two_factor_enabled:
        flash(
            _("Votre connexion a expiré : saisissez à nouveau votre e-mail et mot de passe."),
            "warning",
        )
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        if services.verify_second_factor(user, form.code.data):
            return _complete_login(user)
        db.session.commit()
        flash(
            _(
                "Ce code n'est pas valable ou a déjà servi. Attendez le code suivant et réessayez ; si cela continue, vérifiez l'heure de votre téléphone."
            ),
            "danger",
        )
    return render_template("security/two_factor.html", form=form)


def _qr_code_svg(uri: str) -> Markup:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Markup(f"data:image/svg+xml;base64,{encoded}")  # noqa: S704 - base64 only  # nosec B704


def _render_enrolment(user: User, form, template: str):
    secret = session.get("totp_enrolment_secret")
    if not secret:
        secret = services.new_totp_secret()
        session["totp_enrolment_secret"] = secret
    uri = services.totp_uri(user, secret)
    return secret, render_template(
        template,
        form=form,
        secret=secret,
        qr_code=_qr_code_svg(uri),
        user=user,
    )


@bp.route("/login/setup", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def two_factor_setup():
    """Enrolment during login, for roles where two factors are mandatory."""
    user = _pending_user()
    if user is None or user.two_factor_enabled:
        return redirect(url_for("auth.login"))
    form = TotpEnrolForm()
    secret, page = _render_enrolment(user, form, "security/two_factor_setup.html")
    if form.validate_on_submit():
        codes = services.confirm_totp_enrolment(user, secret, form.code.data)
        if codes is not None:
            session.pop("totp_enrolment_secret", None)
            _complete_login(user)
            session["fresh_recovery_codes"] = codes
            return redirect(url_for("auth.recovery_codes"))
        db.session.commit()
        flash(
            _(
                "Ce code n'est pas valable ou a déjà servi. Attendez le code suivant et réessayez ; si cela continue, vérifiez l'heure de votre téléphone."
            ),
            "danger",
        )
        secret, page = _render_enrolment(user, form, "security/two_factor_setup.html")
    return page


@bp.get("/account/recovery-codes")
@authenticated
def recovery_codes():
    codes = session.pop("fresh_recovery_codes", None)
    if not codes:
        return redirect(url_for("auth.account"))
    return render_template("security/recovery_codes.html", codes=codes)


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        services.end_login_session(current_user.current_login_session)
        services.audit.record("security", "logout", object_type="user", object_id=current_user.id)
        db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Vous êtes déconnecté·e. À bientôt !"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def password_forgot():
    form = PasswordForgotForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            token = services.make_reset_token(user)
            queue_email(
                kind="password_reset",
                to=user.email,
                subject=_("Choisir un nouveau mot de passe"),
                template="password_reset",
                user=user,
                link=external_url("auth.password_reset", token=token),
            )
            services.audit.record(
                "security",
                "password.reset_requested",
                actor=user,
                object_type="user",
                object_id=user.id,
            )
            db.session.commit()
        # Same answer whether or not the account exists.
        flash(
            _(
                "Si un compte existe avec cette adresse, un message vient d'y être envoyé avec "
                "un lien valable une heure. Pensez à regarder dans les courriels indésirables."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("security/password_forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def password_reset(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        flash(_("Ce lien n'est plus valable. Demandez-en un nouveau."), "warning")
        return redirect(url_for("auth.password_forgot"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data)
        except services.PasswordPolicyError as error:
            form.password.errors = list(form.password.errors) + error.reasons
        else:
            db.session.commit()
            flash(_("Votre mot de passe a été changé. Vous pouvez vous connecter."), "success")
            return redirect(url_for("auth.login"))
    return render_template("security/password_reset.html", form=form)


@bp.get("/account")
@authenticated
def account():
    return render_template(
        "security/account.html",
        recovery_left=services.remaining_recovery_codes(current_user)
        if current_user.two_factor_enabled
        else 0,
        confirm_form=ConfirmForm(),
    )


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not passwords.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("Le mot de passe actuel n'est pas le bon.")]
        else:
            try:
                services.set_password(current_user, form.password.data)
            except services.PasswordPolicyError as error:
                form.password.errors = list(form.password.errors) + error.reasons
            else:
                # Other browsers are signed out; this one goes on with a fresh session.
                user = current_user._get_current_object()
                return _complete_login(user)
    return render_template("security/change_password.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@authenticated
def account_two_factor_setup():
    user = current_user._get_current_object()
    if user.two_factor_enabled:
        return redirect(url_for("auth.account"))
    form = TotpEnrolForm()
    secret, page = _render_enrolment(user, form, "security/two_factor_setup.html")
    if form.validate_on_submit():
        codes = services.confirm_totp_enrolment(user, secret, form.code.data)
        if codes is not None:
            session.pop("totp_enrolment_secret", None)
            db.session.commit()
            session["fresh_recovery_codes"] = codes
            flash(_("La double authentification est activée."), "success")
            return redirect(url_for("auth.recovery_codes"))
        db.session.commit()
        flash(
            _(
                "Ce code n'est pas valable ou a déjà servi. Attendez le code suivant et réessayez ; si cela continue, vérifiez l'heure de votre téléphone."
            ),
            "danger",
        )
        secret, page = _render_enrolment(user, form, "security/two_factor_setup.html")
    return page


@bp.post("/account/recovery-codes/new")
@authenticated
def regenerate_recovery_codes():
    if not ConfirmForm().validate_on_submit() or not current_user.two_factor_enabled:
        abort(400)
    codes = services.regenerate_recovery_codes(current_user)
    services.audit.record("security", "2fa.recovery_codes_regenerated")
    db.session.commit()
    session["fresh_recovery_codes"] = codes
    return redirect(url_for("auth.recovery_codes"))


@bp.post("/account/two-factor/disable")
@authenticated
def disable_two_factor():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if current_user.requires_two_factor:
        flash(_("La double authentification est obligatoire pour votre rôle."), "warning")
        return redirect(url_for("auth.account"))
    services.disable_two_factor(current_user, by=current_user)
    db.session.commit()
    flash(_("La double authentification est désactivée."), "info")
    return redirect(url_for("auth.account"))


@bp.post("/language")
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
            db.session.commit()
    target = safe_next(request.form.get("next")) or url_for("home.index")
    return redirect(target)
