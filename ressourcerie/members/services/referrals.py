"""Internal referrals (signalements): any staff member flags a person for the care team."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ressourcerie.extensions import db
from ressourcerie.members.models import Person, Referral, ReferralCategory, ReferralStatus
from ressourcerie.security.models import User

COMMENT_MAX = 500
CATEGORY_LABELS = {
    ReferralCategory.POSSIBLE_CAREGIVER: _l("Peut-être proche aidant·e"),
    ReferralCategory.SOCIAL_SUPPORT: _l("Besoin d'accompagnement social"),
    ReferralCategory.PSYCHOLOGICAL_SUPPORT: _l("Besoin de soutien psychologique"),
    ReferralCategory.RIGHTS: _l("Accès aux droits"),
    ReferralCategory.ISOLATION: _l("Isolement"),
    ReferralCategory.OTHER: _l("Autre"),
}


class ReferralError(Exception):
    """A referral that cannot be recorded; the message is shown to staff."""


def create_referral(
    *, person: Person, site_id: int, category: str, comment: str, by: User | None
) -> Referral:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ReferralError(_l("Le commentaire doit tenir en 500 caractères."))
    if person.anonymised_at is not None:
        raise ReferralError(_l("Cette fiche a été anonymisée."))
    referral = Referral(
        site_id=site_id,
        person_id=person.id,
        category=ReferralCategory(category),
        comment=comment or None,
        status=ReferralStatus.NEW,
        created_by_id=by.id if by else None,
    )
    db.session.add(referral)
    db.session.flush()
    return referral
