"""Route × role matrix: the impact questionnaire.

Who may do what:
- answer online: members, from their own space (the matrix member has a login but no
  Person record: not found);
- find people and enter a paper questionnaire: "reception" (reception, coordinator), for
  people of their sites;
- print the blank paper questionnaire: the front desk (reception, animator, coordinator);
- answers counted by year: coordinators.
"""

from tests.security.matrix import FRONT_DESK, RECEPTION, Route

ROUTES = {
    "reports.questionnaire_mine": Route("GET", "/reports/questionnaire", {"member"}, ok=404),
    "reports.questionnaire_people": Route("GET", "/reports/questionnaire/people?q=que", RECEPTION),
    "reports.questionnaire_enter": Route(
        "GET", "/reports/questionnaire/people/{questionnaire_person_id}", RECEPTION
    ),
    "reports.questionnaire_paper": Route("GET", "/reports/questionnaire/paper.pdf", FRONT_DESK),
    "reports.questionnaire_years": Route("GET", "/reports/questionnaire/years", {"coordinator"}),
}


def url_values(app, make_user):
    from sqlalchemy import select

    from ressourcerie.extensions import db
    from ressourcerie.members.models import Person
    from ressourcerie.security.models import Site

    with app.app_context():
        site = db.session.execute(select(Site).order_by(Site.id).limit(1)).scalar_one()
        person = Person(site_id=site.id)
        person.set_identity("Quentin", "Questionnaire")
        db.session.add(person)
        db.session.commit()
        return {"questionnaire_person_id": person.id}
