"""The reception desk: record a walk-in in one search and one submit."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie.columns import LOCAL_TZ
from ressourcerie.extensions import db
from ressourcerie.members import queries
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.desk import VisitForm
from ressourcerie.members.models import Person
from ressourcerie.members.services import visits as visit_services
from ressourcerie.members.views.payments import chosen_site, staff_sites
from ressourcerie.phones import readable_phone
from ressourcerie.security import working_site
from ressourcerie.security.access import requires


def _describe(person: Person, seen_today: dict | None = None) -> str:
    """One line per person: name, birth year, phone, commune, and a visit already recorded
    today (so the same walk-in is not counted twice)."""
    parts = [person.full_name or _("(sans nom)")]
    if person.birth_year:
        parts.append(
            _("née en %(year)s", year=person.birth_year)
            if person.gender == "woman"
            else _("né·e en %(year)s", year=person.birth_year)
        )
    if person.phone:
        parts.append(readable_phone(person.phone))
    if person.commune:
        parts.append(person.commune)
    if seen_today and person.id in seen_today:
        parts.append(
            _(
                "venue déjà notée aujourd'hui à %(time)s",
                time=seen_today[person.id].astimezone(LOCAL_TZ).strftime("%H:%M"),
            )
        )
    return " · ".join(parts)


@bp.route("/desk", methods=["GET", "POST"])
@requires("reception")
def desk():
    sites = staff_sites()
    form = VisitForm(sites=sites, site_id=working_site.working_site_id(sites))
    search = request.args.get("q", "").strip()[:100]
    matches = queries.desk_matches(search, current_user.site_ids, limit=20) if search else []
    # Only someone of the user's sites (recorded there or visiting), like the search;
    # type=int turns garbage into None.
    chosen = queries.visible_person(
        request.values.get("person_id", type=int), current_user.site_ids
    )
    ask_again = False
    if form.validate_on_submit():
        site = chosen_site(sites, form.site_id.data)
        seen_today = (
            queries.last_visits_today([chosen.id], current_user.site_ids)
            if chosen is not None and not form.anonymous.data
            else {}
        )
        if chosen is None and not form.anonymous.data:
            flash(
                _("Choisissez une personne dans la recherche, ou cochez « visite anonyme »."),
                "danger",
            )
        elif chosen is not None and chosen.id in seen_today and not form.again.data:
            # Pressing Entrée twice must not count someone twice.
            ask_again = True
            flash(
                _(
                    "%(who)s est déjà noté·e aujourd'hui à %(time)s. Rien n'a été enregistré : "
                    "cochez « Nouvelle venue aujourd'hui » si elle ou il est revenu·e.",
                    who=chosen.full_name,
                    time=seen_today[chosen.id].astimezone(LOCAL_TZ).strftime("%H:%M"),
                ),
                "warning",
            )
        else:
            person = None if form.anonymous.data else chosen
            try:
                visit_services.record_visit(
                    site=site,
                    person=person,
                    purpose=form.purpose.data,
                    as_caregiver=form.as_caregiver.data,
                    by=current_user,
                )
            except visit_services.VisitError as error:
                db.session.rollback()
                flash(str(error), "danger")
            else:
                db.session.commit()
                who = person.full_name if person else _("visite anonyme")
                if len(sites) > 1:
                    flash(
                        _("Venue enregistrée à %(site)s : %(who)s.", site=site.name, who=who),
                        "success",
                    )
                else:
                    flash(_("Venue enregistrée : %(who)s.", who=who), "success")
                return redirect(url_for("members.desk"))
    visits = queries.todays_visits(current_user.site_ids)  # newest first
    seen_today: dict = {}
    for visit in visits:
        if visit.person_id is not None:
            seen_today.setdefault(visit.person_id, visit.visited_at)
    return render_template(
        "members/desk.html",
        form=form,
        search=search,
        matches=matches,
        chosen=chosen,
        describe=_describe,
        seen_today=seen_today,
        visits=visits,
        ask_again=ask_again,
        PURPOSE_LABELS=visit_services.PURPOSE_LABELS,
        LOCAL_TZ=LOCAL_TZ,
    )


@bp.get("/desk/search")
@requires("reception")
def desk_search():
    """Type-ahead of the desk: JSON list of matching people (name or phone)."""
    search = request.args.get("q", "").strip()[:100]
    people = queries.desk_matches(search, current_user.site_ids)
    seen = queries.last_visits_today((person.id for person in people), current_user.site_ids)
    return jsonify([{"id": person.id, "label": _describe(person, seen)} for person in people])
