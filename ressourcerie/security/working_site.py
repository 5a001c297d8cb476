"""The site a staff member works at today, for those attached to several.

Forms that record something at a site (a visit, a payment, a membership, an import)
offer the user's sites; the one chosen last is offered first next time, so a coordinator
attached to two places does not record at the wrong one by default.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import session

from ressourcerie.security.models import Site

SESSION_KEY = "working_site"


def working_site_id(sites: Sequence[Site]) -> int | None:
    ids = [site.id for site in sites]
    chosen = session.get(SESSION_KEY)
    if chosen in ids:
        return chosen
    # Nothing chosen yet: the oldest of the user's sites (usually the main place), not
    # the first in alphabetical order (a new antenna often sorts first).
    return min(ids) if ids else None


def remember(site_id: int | None) -> None:
    if site_id is not None:
        session[SESSION_KEY] = site_id
