"""Object checks of workshops, reused by views and templates."""

from flask import abort

from ressourcerie.security.permissions import can_see_site
from ressourcerie.workshops.models import Activity, Booking, WorkshopSession


def can_manage(user, obj: Activity | WorkshopSession) -> bool:
    """Staff act on the activities and sessions of their own sites only."""
    return user.is_authenticated and can_see_site(user, obj.site_id)


def ensure_site(user, obj: Activity | WorkshopSession | Booking) -> None:
    site_id = obj.session.site_id if isinstance(obj, Booking) else obj.site_id
    if not can_see_site(user, site_id):
        abort(404)
