"""Where a form may send the browser next: local paths only."""

from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app, url_for


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path of this site, else None (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def with_params(path: str, **params) -> str:
    """`path` with `params` added to (or replacing those of) its query string."""
    parts = urlsplit(path)
    kept = [
        pair
        for pair in (p.split("=", 1) for p in parts.query.split("&") if p)
        if pair[0] not in params
    ]
    query = "&".join("=".join(pair) for pair in kept)
    added = urlencode({key: value for key, value in params.items() if value is not None})
    query = "&".join(part for part in (query, added) if part)
    return urlunsplit(("", "", parts.path, query, ""))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built on the BASE_URL setting and never on the Host
    header of the request (a forged Host would otherwise put an attacker's address in a
    password-reset link)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
