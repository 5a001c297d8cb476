"""Where a form may send the browser next: local paths only."""

from urllib.parse import urlencode, urlsplit, urlunsplit


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
