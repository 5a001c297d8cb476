"""Rendered HTML fragments kept in memory, keyed by everything they are made from.

A fragment's key is a digest of all the data its template reads (plus the language and
the URL prefix), so a cached fragment is never stale: when a seat is taken or a session
is cancelled the data differ, the key differs, and the fragment is rendered again. The
cache only saves the rendering of unchanged data, the costly part of the public planning.
Each worker process keeps its own small LRU (cachetools); nothing is shared or persisted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from threading import Lock

from cachetools import LRUCache
from flask import request
from flask_babel import get_locale
from markupsafe import Markup

MAX_FRAGMENTS = 128  # about 60 KB each: under 8 MB per worker

_cache: LRUCache = LRUCache(maxsize=MAX_FRAGMENTS)
_lock = Lock()


def cached_fragment(name: str, data: object, render: Callable[[], str]) -> Markup:
    """The HTML `render()` returns for `data`, rendered once per worker while it is in use.

    `data` must hold (as plain values with a stable repr) every input of the template.
    """
    material = repr((name, str(get_locale()), request.script_root, data))
    key = hashlib.blake2b(material.encode(), digest_size=20).digest()
    with _lock:
        html = _cache.get(key)
    if html is None:
        # render_template's output: already escaped by Jinja's autoescape.
        html = Markup(render())  # noqa: S704  # nosec B704
        with _lock:
            _cache[key] = html
    return html


def clear() -> None:
    with _lock:
        _cache.clear()
