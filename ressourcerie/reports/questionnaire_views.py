"""Impact questionnaire pages: members answer online, reception enters paper forms and
prints blank ones, coordinators see how many answers came in each year."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from ressourcerie.columns import local_today, utcnow
from ressourcerie.extensions import db
from ressourcerie.members import queries as members_queries
from ressourcerie.members.models import Person
from ressourcerie.members.services.accounts import person_of
from ressourcerie.pdf import pdf_response
from ressourcerie.reports import impact
from ressourcerie.reports.questionnaire import (
    CAREGIVER_CHOICES,
    CAREGIVER_HELP,
    CAREGIVER_QUESTION,
    CHANNEL_LABELS,
    QUESTIONS,
    Channel,
    ImpactAnswer,
)
from ressourcerie.reports.questionnaire_forms import (
    OnlineQuestionnaireForm,
    PaperQuestionnaireForm,
)
from ressourcerie.reports.views import bp
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.security.models import Site
from ressourcerie.security.permissions import can_see_site


def _visible_person(person_id: int) -> Person:
    """A person of the signed-in staff member's sites, else 404 (as on the person page)."""
    person = db.session.get(Person, person_id)
    if person is None or person.anonymised_at is not None:
        abort(404)
    visible = db.session.execute(
        select(Person.id).where(
            Person.id == person.id, members_queries.visible_to(current_user.site_ids)
        )
    ).scalar_one_or_none()
    if visible is None:
        abort(404)
    return person


def _saved_message(answer: ImpactAnswer, created: bool, *, own: bool) -> str:
    if own:
        if created:
            return _("Merci ! Vos réponses sont enregistrées.")
        return _("Merci ! Vos réponses de %(year)s sont mises à jour.", year=answer.campaign_year)
    if created:
        return _("Questionnaire papier enregistré.")
    return _(
        "Questionnaire papier enregistré : il remplace la réponse de %(year)s de cette personne "
        "(une seule réponse par personne et par an).",
        year=answer.campaign_year,
    )


def _record(person: Person, form, **kwargs) -> tuple[ImpactAnswer, bool] | None:
    """Call the service; on a refusal, put the reason on the form and return None."""
    try:
        answer, created = impact.record_answer(person, form.answers(), by=current_user, **kwargs)
    except impact.QuestionnaireError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return None
    audit.record(
        "members",
        "impact.answered",
        object_type="person",
        object_id=person.id,
        site_id=answer.site_id,
        detail={"channel": answer.channel, "year": answer.campaign_year},
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same person answered at the same moment elsewhere
        db.session.rollback()
        flash(_("Une réponse vient d'être enregistrée pour cette personne : réessayez."), "danger")
        return None
    return answer, created


# --- members, online ----------------------------------------------------------------------


@bp.route("/questionnaire", methods=["GET", "POST"])
@requires("member")
def questionnaire_mine():
    person = person_of(current_user)
    if person is None:
        abort(404)
    year = local_today().year
    existing = impact.answer_for_year(person.id, year)
    form = OnlineQuestionnaireForm(obj=existing)
    if form.validate_on_submit():
        site_id = impact.member_site_id(person)
        if site_id is None:
            abort(404)
        saved = _record(
            person, form, answered_on=local_today(), channel=Channel.ONLINE, site_id=site_id
        )
        if saved is not None:
            flash(_saved_message(*saved, own=True), "success")
            return redirect(url_for("members.my_space"))
    return render_template(
        "reports/questionnaire_member.html",
        form=form,
        existing=existing,
        year=year,
        CHANNEL_LABELS=CHANNEL_LABELS,
    )


# --- reception, from paper ----------------------------------------------------------------


@bp.get("/questionnaire/people")
@requires("reception")
def questionnaire_people():
    search = request.args.get("q", "").strip()[:100]
    page = members_queries.people_page(
        search, current_user.site_ids, request.args.get("page", 1, int)
    )
    year = local_today().year
    answered = impact.answers_of_year([person.id for person in page.items], year)
    return render_template(
        "reports/questionnaire_people.html",
        page=page,
        search=search,
        answered=answered,
        year=year,
        CHANNEL_LABELS=CHANNEL_LABELS,
    )


@bp.route("/questionnaire/people/<int:person_id>", methods=["GET", "POST"])
@requires("reception")
def questionnaire_enter(person_id: int):
    person = _visible_person(person_id)
    sites = sorted(current_user.sites, key=lambda site: site.name)
    form = PaperQuestionnaireForm()
    form.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
    if request.method == "GET":
        form.site_id.data = person.site_id if person.site_id in current_user.site_ids else None
    if form.validate_on_submit():
        if not can_see_site(current_user, form.site_id.data):
            abort(403)
        saved = _record(
            person,
            form,
            answered_on=form.answered_on.data,
            channel=Channel.PAPER,
            site_id=form.site_id.data,
        )
        if saved is not None:
            flash(_saved_message(*saved, own=False), "success")
            return redirect(url_for("members.person", person_id=person.id))
    year = (form.answered_on.data or local_today()).year
    return render_template(
        "reports/questionnaire_enter.html",
        form=form,
        person=person,
        existing=impact.answer_for_year(person.id, year),
        year=year,
        CHANNEL_LABELS=CHANNEL_LABELS,
    )


@bp.get("/questionnaire/paper.pdf")
@requires("front_desk")
def questionnaire_paper():
    """The blank paper form; with ?person_id= the person's name is printed on it."""
    person = None
    person_id = request.args.get("person_id", type=int)
    if person_id is not None:
        person = _visible_person(person_id)
    site_ids = sorted(current_user.site_ids)
    site_id = person.site_id if person is not None and person.site_id in site_ids else None
    site = db.session.get(Site, site_id or site_ids[0]) if site_ids else None
    return pdf_response(
        "print/questionnaire_paper.html",
        "questionnaire-impact.pdf",
        person=person,
        site=site,
        year=local_today().year,
        printed_at=utcnow(),
        QUESTIONS=QUESTIONS,
        CAREGIVER_QUESTION=CAREGIVER_QUESTION,
        CAREGIVER_HELP=CAREGIVER_HELP,
        CAREGIVER_CHOICES=CAREGIVER_CHOICES,
    )


# --- coordinators -------------------------------------------------------------------------


@bp.get("/questionnaire/years")
@requires("coordinator")
def questionnaire_years():
    counts = impact.answers_by_year(current_user.site_ids)
    years = sorted({row.year for row in counts} | {local_today().year}, reverse=True)
    year = request.args.get("year", type=int)
    if year not in years:
        year = years[0]
    summary = impact.impact_summary(
        date(year, 1, 1),
        date(year, 12, 31),
        sorted(current_user.site_ids),
    )
    return render_template(
        "reports/questionnaire_years.html",
        counts=counts,
        years=years,
        year=year,
        summary=summary,
    )
