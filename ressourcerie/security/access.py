"""Deny by default: every view declares who may reach it, or nobody can.

`public`, `authenticated` and `requires(permission_name)` mark views; a
before-request hook refuses any endpoint that carries no mark.
"""

from collections.abc import Callable

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie.security.permissions import PERMISSIONS

TIMEOUT_REASONS = frozenset({"idle_timeout", "absolute_timeout"})

ACCESS_ATTRIBUTE = "access_rule"
PUBLIC = "public"
AUTHENTICATED = "authenticated"


def public(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def authenticated(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTRIBUTE, AUTHENTICATED)
    return view


def requires(permission_name: str) -> Callable[[Callable], Callable]:
    if permission_name not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission_name!r}")

    def decorator(view: Callable) -> Callable:
        setattr(view, ACCESS_ATTRIBUTE, permission_name)
        return view

    return decorator


def rule_for(endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def enforce_access_rule():
    """Before every request: check the endpoint's rule; unmarked endpoints are refused."""
    if request.endpoint is None:  # 404 and 405 are handled by Flask itself
        return None
    rule = rule_for(request.endpoint)
    if rule == PUBLIC:
        return None
    if rule is None:
        current_app.logger.error("endpoint %s has no access rule: refused", request.endpoint)
        abort(403)
    if not current_user.is_authenticated:
        if g.get("session_end_reason") in TIMEOUT_REASONS:  # say plainly why, not the generic
            flash(_("Votre session a expiré, merci de vous reconnecter."), "warning")
            return redirect(
                url_for(current_app.login_manager.login_view, next=request.full_path.rstrip("?"))
            )
        return current_app.login_manager.unauthorized()
    if rule == AUTHENTICATED:
        return None
    if not PERMISSIONS[rule].can():
        abort(403)
    return None
