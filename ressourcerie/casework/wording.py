"""Versions of the mandate wording: a printed mandate records the version it used.

Never change a published version: add a new one and point CURRENT_MANDATE_WORDING at it.
"""

from flask_babel import lazy_gettext as _l

MANDATE_WORDINGS = {
    "2026-1": (
        _l(
            "Je soussigné·e donne mandat à la Ressourcerie, représentée par le ou la "
            "professionnel·le nommé·e ci-dessous, pour accomplir en mon nom les démarches "
            "administratives listées dans ce document, pendant la durée indiquée."
        ),
        _l(
            "Ce mandat ne donne aucun pouvoir de signature d'engagement financier. Je peux le "
            "révoquer à tout moment, par oral ou par écrit ; il prend alors fin immédiatement."
        ),
        _l(
            "Les informations échangées avec les organismes pour ces démarches restent "
            "confidentielles et ne sont utilisées que pour mon accompagnement."
        ),
    ),
}
CURRENT_MANDATE_WORDING = "2026-1"
