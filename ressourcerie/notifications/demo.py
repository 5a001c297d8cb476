"""A sample newsletter draft for the demo (called by the members demo seed)."""

from sqlalchemy import select

from ressourcerie.extensions import db
from ressourcerie.notifications.models import Newsletter
from ressourcerie.security.models import Site

SAMPLE_BODY = """Bonjour,

Voici le programme du mois à la **Ressourcerie** :

- **Mardi** : yoga doux, 10 h (places limitées, pensez à réserver) ;
- **Jeudi** : café des aidants, 14 h 30, entrée libre ;
- **Samedi** : atelier d'écriture, 10 h.

La permanence d'accueil est ouverte du lundi au vendredi, de 9 h 30 à 17 h.

À très bientôt !
"""


def seed_newsletter_draft(site: Site) -> list[str]:
    """Add one draft newsletter at `site` unless the site already has one (idempotent)."""
    exists = db.session.execute(
        select(Newsletter.id).where(Newsletter.site_id == site.id).limit(1)
    ).scalar_one_or_none()
    if exists is not None:
        return []
    db.session.add(
        Newsletter(
            site_id=site.id,
            subject="Le programme du mois à la Ressourcerie",
            body_markdown=SAMPLE_BODY,
        )
    )
    db.session.flush()
    return ["1 brouillon de lettre d'information"]
