"""people pages."""

from ressourcerie.members.blueprint import bp  # noqa: F401
