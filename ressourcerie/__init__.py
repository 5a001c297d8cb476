"""Ressourcerie: the back office of a third place that welcomes family caregivers."""

import logging
import os
import uuid

from flask import Flask, g, has_request_context, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_principal import AnonymousIdentity, Identity, RoleNeed, UserNeed, identity_loaded
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from ressourcerie import cli, dates, phones
from ressourcerie.casework.views import bp as casework_bp
from ressourcerie.config import CONFIGS, sqlite_default_url
from ressourcerie.directory.views import bp as directory_bp
from ressourcerie.extensions import (
    babel,
    bootstrap,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    principal,
)
from ressourcerie.home.views import bp as home_bp
from ressourcerie.members.views import bp as members_bp
from ressourcerie.notifications.views import bp as outbox_bp
from ressourcerie.reports.views import bp as reports_bp
from ressourcerie.security import audit, crypto, passwords, services
from ressourcerie.security.access import enforce_access_rule
from ressourcerie.security.admin_views import bp as admin_bp
from ressourcerie.security.forms import ROLE_LABELS, LanguageForm
from ressourcerie.security.permissions import can
from ressourcerie.security.views import bp as auth_bp
from ressourcerie.settings.views import bp as settings_bp
from ressourcerie.workshops.views import bp as workshops_bp

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: write-ahead log, foreign keys, and wait instead of failing when busy."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def _select_config(config):
    if config is None:
        config = os.environ.get("RESSOURCERIE_CONFIG", "development")
    if isinstance(config, str):
        return CONFIGS[config], {}
    if isinstance(config, dict):
        base = CONFIGS[config.get("CONFIG_NAME", "testing")]
        return base, config
    return config, {}


def create_app(config=None) -> Flask:
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    base, overrides = _select_config(config)
    app.config.from_object(base)
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_default_url()
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in the environment")
    if base is CONFIGS["production"] and "BASE_URL" not in os.environ:
        # Links in e-mails (password, confirmation, unsubscribe, calendar) would point to
        # the development address.
        logging.getLogger(__name__).warning(
            "BASE_URL is not set: links in e-mails will point to %s", app.config["BASE_URL"]
        )

    if app.config.get("PASSWORD_HASH_LIGHT"):
        passwords.configure(time_cost=1, memory_cost=1024)
    if app.config.get("PROXY_COUNT"):
        # Behind nginx: the client's address and scheme from X-Forwarded-*, trusted for
        # exactly the configured number of proxies (never more, or anyone could spoof it).
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_error_handlers(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, compare_type=True, render_as_batch=True)
    crypto.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    dates.init_app(app)
    phones.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our login sessions do this job, and more
    login_manager.user_loader(_load_user)
    principal.init_app(app)
    principal.identity_loader(_identity_from_user)
    identity_loaded.connect_via(app)(_add_needs)


def _load_user(session_id: str):
    user = services.load_login_session(session_id)
    if db.session.dirty:
        # Only the session's last-seen time or its end: committed before any view work.
        db.session.commit()
    return user


def _select_locale() -> str:
    languages = ("fr", "en")
    if not has_request_context():
        return "fr"
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "fr"


def _identity_from_user():
    if current_user.is_authenticated:
        return Identity(current_user.id, auth_type="session")
    return AnonymousIdentity()


def _add_needs(sender, identity):
    if current_user.is_authenticated:
        identity.provides.add(UserNeed(current_user.id))
        for role in current_user.roles:
            identity.provides.add(RoleNeed(role.value))


def _register_blueprints(app: Flask) -> None:
    for blueprint in (
        home_bp,
        auth_bp,
        admin_bp,
        outbox_bp,
        members_bp,
        workshops_bp,
        casework_bp,
        directory_bp,
        reports_bp,
        settings_bp,
    ):
        app.register_blueprint(blueprint)


def _register_hooks(app: Flask) -> None:
    @app.before_request
    def assign_request_id():
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if incoming.isalnum() and len(incoming) <= 40 else uuid.uuid4().hex

    app.before_request(enforce_access_rule)
    app.before_request(_refuse_nul_characters)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers["X-Request-Id"] = g.get("request_id", "")
        # g._login_user, not current_user.is_authenticated: after a commit the latter would
        # reload the expired user row just to set a header.
        signed_in = g.get("_login_user")
        if signed_in is not None and not signed_in.is_anonymous:
            headers["Cache-Control"] = "no-store"
        # The session cookie must not be shared between users of one desk computer.
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    @app.context_processor
    def template_helpers():
        helpers = {"can": can, "ROLE_LABELS": ROLE_LABELS, "request_id": g.get("request_id")}
        if has_request_context():
            # E-mails are also rendered from the command line, without a request.
            helpers["language_form"] = LanguageForm(lang=_select_locale())
            helpers["current_locale"] = _select_locale()
        return helpers


def _refuse_nul_characters():
    """PostgreSQL cannot store the NUL character: refuse it in any submitted value, calmly."""
    submitted = [*request.args.lists(), *request.form.lists()]
    texts = [name for name, _values in submitted]
    texts += [value for _name, values in submitted for value in values]
    texts += [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    texts += [upload.filename or "" for _name, upload in request.files.items(multi=True)]
    if any("\x00" in text for text in texts):
        return _error_page(
            400,
            _("Caractère non autorisé"),
            _(
                "Le texte envoyé contient un caractère invisible qui ne peut pas être enregistré. Revenez en arrière, retapez le texte au lieu de le coller, puis réessayez."
            ),
        )
    return None


def _error_page(code: int, title: str, message: str, links=()):
    return (
        render_template("errors/error.html", code=code, title=title, message=message, links=links),
        code,
    )


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return _error_page(
            400,
            _("Demande incomplète"),
            _("La demande n'a pas pu être comprise. Revenez en arrière et réessayez."),
        )

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error_page(
            400,
            _("Le formulaire a expiré"),
            _(
                "Par sécurité, ce formulaire n'est plus valable. Revenez en arrière, rechargez la page et réessayez."
            ),
        )

    @app.errorhandler(403)
    def forbidden(error):
        db.session.rollback()
        category = "casework" if request.blueprint == "casework" else "security"
        audit.record(
            category,
            "access.denied",
            outcome="denied",
            object_type="endpoint",
            object_id=(request.endpoint or "")[:40],
        )
        db.session.commit()
        if category == "casework":
            message = _(
                "Les dossiers d'accompagnement sont confidentiels : seules la ou le travailleur "
                "social et la ou le psychologue du site y ont accès. Les chiffres d'ensemble, "
                "sans aucun nom, sont dans les rapports d'activité."
            )
        else:
            message = _(
                "Cette page n'est pas accessible avec votre compte. Si vous pensez que c'est "
                "une erreur, adressez-vous à la personne qui gère les comptes de votre lieu."
            )
        return _error_page(403, _("Accès réservé"), message)

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(
            404,
            _("Page introuvable"),
            _(
                "Cette page n'existe pas ou n'existe plus. Vérifiez l'adresse, ou repartez de la page d'accueil du site."
            ),
        )

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _error_page(
            405,
            _("Action impossible"),
            _("Cette action n'est pas possible ici. Revenez à la page précédente."),
        )

    @app.errorhandler(429)
    def too_many_requests(error):
        audit.record(
            "security",
            "request.throttled",
            outcome="denied",
            object_type="endpoint",
            object_id=(request.endpoint or "")[:40],
        )
        db.session.commit()
        return _error_page(
            429,
            _("Trop de tentatives"),
            _(
                "Par sécurité, après plusieurs essais manqués, attendez un quart d'heure avant "
                "de réessayer. Mot de passe oublié ? Vous pouvez en choisir un nouveau."
            ),
            links=[
                (url_for("auth.password_forgot"), _("Choisir un nouveau mot de passe")),
                (url_for("auth.login"), _("Page de connexion")),
            ],
        )

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        app.logger.exception("request %s failed", g.get("request_id"))
        return _error_page(
            500,
            _("Un problème est survenu"),
            _(
                "Ce n'est pas de votre faute. L'équipe technique peut retrouver l'incident grâce au numéro ci-dessous."
            ),
        )

    logging.getLogger("ressourcerie").setLevel(logging.INFO)
