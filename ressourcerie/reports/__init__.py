"""Activity reports for coordinators and funders."""

from ressourcerie.reports import questionnaire_views  # noqa: F401 - adds its routes to the blueprint
