"""Members pages; each module adds its routes to the one blueprint."""

from ressourcerie.members import models  # noqa: F401 - registers the tables
from ressourcerie.members.blueprint import bp
from ressourcerie.members.views import (  # noqa: F401 - modules register their routes
    account,
    desk,
    imports,
    memberships,
    newsletter,
    payments,
    people,
    referrals,
)
from ressourcerie.settings import models as settings_models  # noqa: F401

__all__ = ["bp"]
