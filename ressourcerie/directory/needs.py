"""The needs list shared by casework (caregiving situation, orientations) and the directory."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Need(StrEnum):
    RIGHTS_INFORMATION = "rights_information"
    RESPITE = "respite"
    PSYCHOLOGICAL_SUPPORT = "psychological_support"
    ADMINISTRATIVE_HELP = "administrative_help"
    ISOLATION = "isolation"
    HOME_HELP = "home_help"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    OWN_HEALTH = "own_health"
    WORK_CARE_BALANCE = "work_care_balance"


NEED_LABELS = {
    Need.RIGHTS_INFORMATION: _l("Information sur les droits"),
    Need.RESPITE: _l("Répit"),
    Need.PSYCHOLOGICAL_SUPPORT: _l("Soutien psychologique"),
    Need.ADMINISTRATIVE_HELP: _l("Aide administrative"),
    Need.ISOLATION: _l("Isolement"),
    Need.HOME_HELP: _l("Aide à domicile"),
    Need.TEMPORARY_ACCOMMODATION: _l("Hébergement temporaire"),
    Need.OWN_HEALTH: _l("Santé de l'aidant·e"),
    Need.WORK_CARE_BALANCE: _l("Conciliation travail et aide"),
}
