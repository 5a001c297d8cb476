"""People pages: list and search, a person's page, create and edit."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie.casework import queries as casework_queries
from ressourcerie.casework.permissions import can_access_case
from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.form_fields import ConfirmedActionForm
from ressourcerie.members import queries
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.people import PersonForm
from ressourcerie.members.models import Person
from ressourcerie.members.services import memberships as membership_services
from ressourcerie.members.services import people as people_services
from ressourcerie.members.services import rights as rights_services
from ressourcerie.members.services.payments import KIND_LABELS, METHOD_LABELS
from ressourcerie.members.services.referrals import CATEGORY_LABELS
from ressourcerie.members.services.visits import PURPOSE_LABELS
from ressourcerie.security import audit, working_site
from ressourcerie.security.access import requires
from ressourcerie.security.permissions import can
from ressourcerie.urls import safe_next, with_params
from ressourcerie.workshops import queries as workshop_queries


def load_visible_person(person_id: int) -> Person:
    """A person the signed-in staff member may see (their sites), else 404."""
    person = queries.visible_person(person_id, current_user.site_ids)
    if person is None:
        abort(404)
    return person


def _data_from(form: PersonForm) -> people_services.PersonData:
    return people_services.PersonData(
        **{
            name: getattr(form, name).data
            for name in people_services.PersonData.__dataclass_fields__
        }
    )


@bp.get("/people")
@requires("people")
def people():
    search = request.args.get("q", "").strip()[:100]
    page = queries.people_page(search, current_user.site_ids, request.args.get("page", 1, int))
    ids = [person.id for person in page.items]
    today = local_today()
    current = membership_services.current_memberships(ids, today)
    counts = queries.visit_counts(ids)
    return render_template(
        "members/people.html",
        page=page,
        search=search,
        current=current,
        counts=counts,
        state_of=membership_services.state_of,
        today=today,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@requires("reception")
def new_person():
    form = PersonForm()
    if request.method == "GET":
        form.first_name.data = request.args.get("first_name", "")[:100]
        form.last_name.data = request.args.get("last_name", "")[:100]
    duplicates: list[tuple[Person, bool]] = []
    valid = form.validate_on_submit()
    if valid:
        data = _data_from(form)
        if not form.not_a_duplicate.data:
            duplicates = people_services.likely_duplicates(data, current_user.site_ids)
    if valid and not duplicates:
        site_id = working_site.working_site_id(sorted(current_user.sites, key=lambda s: s.id))
        person = people_services.create_person(data, site_id=site_id, by=current_user)
        audit.record("members", "person.created", object_type="person", object_id=person.id)
        db.session.commit()
        flash(_("Fiche créée : %(name)s.", name=person.full_name), "success")
        # Back where the search failed (the desk, a session's bookings, a check-in), with
        # the new person chosen or found there.
        back = safe_next(request.args.get("next"))
        if back:
            return redirect(with_params(back, person_id=person.id, q=person.full_name))
        return redirect(url_for("members.person", person_id=person.id))
    return render_template(
        "members/person_form.html",
        form=form,
        person=None,
        duplicates=[p for p, visible in duplicates if visible],
        # Someone of another site: said to exist, never who or where.
        elsewhere=any(not visible for _p, visible in duplicates),
        continue_urls={
            p.id: with_params(back, person_id=p.id, q=p.full_name)
            for p, visible in duplicates
            if visible and (back := safe_next(request.args.get("next")))
        },
    )


@bp.get("/people/<int:person_id>")
@requires("people")
def person(person_id: int):
    person = load_visible_person(person_id)
    today = local_today()
    summary = queries.visit_summary(person.id)
    memberships = queries.person_memberships(person.id) if can("reception") else []
    payments = queries.person_payments(person.id) if can("reception") else []
    if can("reception"):
        current = membership_services.current_of(memberships, today)
    else:
        current = membership_services.current_membership(person.id, today)
    open_case = None
    if can("care_team"):
        # Only the existence of a case, never its content, and only for the care team.
        open_case = casework_queries.open_cases_by_person([person.id]).get(person.id)
        if open_case is not None and not can_access_case(current_user, open_case):
            open_case = None
    return render_template(
        "members/person.html",
        person_bookings=workshop_queries.bookings_for_person(person.id),
        open_case=open_case,
        person=person,
        summary=summary,
        visits=queries.recent_visits(person.id),
        memberships=memberships,
        payments=payments,
        current=current,
        state=membership_services.state_of(current, today),
        state_of=membership_services.state_of,
        my_referrals=queries.referrals_by(person.id, current_user.id),
        today=today,
        GENDER_LABELS=people_services.GENDER_LABELS,
        CHANNEL_LABELS=people_services.CHANNEL_LABELS,
        CAREGIVER_LABELS=people_services.CAREGIVER_LABELS,
        CONSENT_METHOD_LABELS=people_services.CONSENT_METHOD_LABELS,
        PURPOSE_LABELS=PURPOSE_LABELS,
        CATEGORY_LABELS=CATEGORY_LABELS,
        KIND_LABELS=KIND_LABELS,
        METHOD_LABELS=METHOD_LABELS,
    )


@bp.post("/people/<int:person_id>/erasure-request")
@requires("reception")
def record_erasure_request(person_id: int):
    """Someone without an online account asks at the desk for their data to be erased:
    reception records the request, coordination carries it out like an online one."""
    person = load_visible_person(person_id)
    if not ConfirmedActionForm().validate_on_submit():
        flash(_("Cochez la case de confirmation pour enregistrer la demande."), "danger")
        return redirect(url_for("members.person", person_id=person.id))
    if rights_services.request_erasure(person, by=current_user):
        db.session.commit()
        flash(
            _(
                "Demande d'effacement enregistrée : la coordination la traitera sous un mois "
                "(Gestion, Demandes d'effacement)."
            ),
            "success",
        )
    return redirect(url_for("members.person", person_id=person.id))


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@requires("reception")
def edit_person(person_id: int):
    person = load_visible_person(person_id)
    form = PersonForm(obj=people_services.data_of(person))
    if form.validate_on_submit():
        people_services.update_person(person, _data_from(form), by=current_user)
        audit.record("members", "person.updated", object_type="person", object_id=person.id)
        db.session.commit()
        flash(_("Fiche enregistrée."), "success")
        return redirect(url_for("members.person", person_id=person.id))
    return render_template("members/person_form.html", form=form, person=person)
