"""Shared vocabulary of the route × role matrix.

Each feature declares its routes in a module `tests/security/matrix_<feature>.py`
holding `ROUTES` (endpoint → Route) and, when its URLs need objects,
`url_values(app, make_user) -> dict` that creates them and returns the values
the URLs are formatted with.
"""

from dataclasses import dataclass, field

from ressourcerie.security.models import Role

ANON = "anonymous"
PRINCIPALS = [ANON, *[role.value for role in Role]]
STAFF = {r.value for r in Role} - {"member"}
EVERYONE_SIGNED_IN = {r.value for r in Role}
CARE_TEAM = {"social_worker", "psychologist"}
RECEPTION = {"reception", "coordinator"}
ANIMATOR = {"animator", "coordinator"}
FRONT_DESK = {"reception", "animator", "coordinator"}
# Everyone who works with the public: all staff but the admin.
TEAM = STAFF - {"admin"}


@dataclass
class Route:
    method: str
    url: str
    allowed: set | str  # "public", or the roles that may use it
    ok: int = 200  # status for a principal who may use it
    ok_for: dict = field(default_factory=dict)  # per-principal exceptions
