"""Workshop pages (planning, sessions, bookings); each module adds its routes to the one
blueprint."""

from ressourcerie.workshops import models  # noqa: F401 - registers the tables
from ressourcerie.workshops.blueprint import bp
from ressourcerie.workshops.views import (  # noqa: F401 - modules register their routes
    desk,
    manage,
    member,
    planning,
)

__all__ = ["bp"]
