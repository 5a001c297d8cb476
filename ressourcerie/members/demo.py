"""Demo data of this feature, loaded by `flask --app ressourcerie demo`."""

from faker import Faker

from ressourcerie.security.models import Site


def seed(site: Site, fake: Faker) -> list[str]:
    """Create this feature's demo rows at `site` (idempotent); return lines to print."""
    return []
