"""Role needs and permissions, declared once and used by views and templates."""

from flask import g
from flask_principal import Permission, RoleNeed

from ressourcerie.security.models import STAFF_ROLES, Role

NEEDS = {role: RoleNeed(role.value) for role in Role}

member_permission = Permission(NEEDS[Role.MEMBER])
staff_permission = Permission(*(NEEDS[role] for role in STAFF_ROLES))
# The desk: people, visits, memberships, payments, newsletter.
reception_permission = Permission(NEEDS[Role.RECEPTION], NEEDS[Role.COORDINATOR])
# Activities and sessions.
animator_permission = Permission(NEEDS[Role.ANIMATOR], NEEDS[Role.COORDINATOR])
# Check-in and booking for someone.
front_desk_permission = Permission(
    NEEDS[Role.RECEPTION], NEEDS[Role.ANIMATOR], NEEDS[Role.COORDINATOR]
)
# Casework: the social worker and the psychologist, never coordinators nor admins.
care_team_permission = Permission(NEEDS[Role.SOCIAL_WORKER], NEEDS[Role.PSYCHOLOGIST])
coordinator_permission = Permission(NEEDS[Role.COORDINATOR])
team_permission = Permission(
    *(NEEDS[role] for role in STAFF_ROLES if role != Role.ADMIN),
)
admin_permission = Permission(NEEDS[Role.ADMIN])

PERMISSIONS = {
    "member": member_permission,
    "staff": staff_permission,
    "reception": reception_permission,
    "animator": animator_permission,
    "front_desk": front_desk_permission,
    "care_team": care_team_permission,
    "coordinator": coordinator_permission,
    "admin": admin_permission,
    # People records and the partner directory (staff side): everyone who works with the
    # public — the desk, animators, coordinators and the care team; never the admin.
    "people": team_permission,
    "directory": team_permission,
}


def can(name: str) -> bool:
    """Template helper: may the current identity do `name`? (The server checks again.)

    False before the identity is loaded (an error page raised by an earlier hook, such as
    a refused CSRF token).
    """
    if not hasattr(g, "identity"):
        return False
    return PERMISSIONS[name].can()


def can_see_site(user, site_id: int | None) -> bool:
    """Staff see the data of their own sites only."""
    return site_id is not None and site_id in user.site_ids
