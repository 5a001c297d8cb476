"""Where a form may send the browser next: local paths only."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import current_app, url_for


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path of this site, else None (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def with_params(path: str, **params) -> str:
    """`path` with `params` added to (or replacing those of) its query string."""
    parts = urlsplit(path)
    kept = [(key, value) for key, value in parse_qsl(parts.query) if key not in params]
    added = [(key, value) for key, value in params.items() if value is not None]
    return urlunsplit(("", "", parts.path, urlencode(kept + added), ""))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built on the BASE_URL setting and never on the Host
    header of the request (a forged Host would otherwise put an attacker's address in a
    password-reset link)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
