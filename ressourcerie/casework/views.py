"""Casework pages: open to the care team of the case's site only, every access logged.

Each view loads its object, checks it against the user's sites (404 otherwise, so ids
cannot be probed), writes one access-log event, then acts and commits once.
"""

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from ressourcerie import dates
from ressourcerie.casework import forms, labels, queries, services
from ressourcerie.casework.models import Case, DifficultySheet, Mandate, Orientation
from ressourcerie.casework.permissions import (
    authoring_profession,
    can_access_case,
    can_read_entry,
    effective_visibility,
    is_caseworker,
    visible_entries,
)
from ressourcerie.casework.wording import MANDATE_WORDINGS
from ressourcerie.columns import LOCAL_TZ, local_today
from ressourcerie.directory import queries as directory_queries
from ressourcerie.directory.models import Partner
from ressourcerie.extensions import db
from ressourcerie.members import queries as members_queries
from ressourcerie.members.models import Person, Referral, ReferralStatus, search_key
from ressourcerie.pdf import pdf_response
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.security.models import User
from ressourcerie.security.permissions import can_see_site
from ressourcerie.settings import services as settings

bp = Blueprint("casework", __name__, url_prefix="/casework")


@bp.before_request
def care_team_only():
    """Second lock on the whole blueprint: nobody outside the care team gets in."""
    if current_user.is_authenticated and not is_caseworker(current_user):
        abort(403)


@bp.context_processor
def casework_labels():
    return labels.ALL_LABELS


# --- loading and authorising -------------------------------------------------------------


def _my_site_ids() -> set[int]:
    return current_user.site_ids


def _load_case(case_id: int, *, for_page: bool = False) -> Case:
    case = queries.case_for_page(case_id) if for_page else db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not can_access_case(current_user, case):
        # Someone of another site tried this id: logged, and answered as if it did not exist.
        _log_refusal("case", case.id, case.site_id)
        abort(404)
    return case


def _log_refusal(object_type: str, object_id: int, site_id: int | None) -> None:
    db.session.rollback()
    audit.record(
        "casework",
        "access.denied",
        outcome="denied",
        object_type=object_type,
        object_id=object_id,
        site_id=site_id,
    )
    db.session.commit()


def _load_referral(referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        abort(404)
    if not can_see_site(current_user, referral.site_id):
        _log_refusal("referral", referral.id, referral.site_id)
        abort(404)
    return referral


def _load_mandate(mandate_id: int) -> Mandate:
    mandate = db.session.get(Mandate, mandate_id)
    if mandate is None:
        abort(404)
    _load_case(mandate.case_id)
    return mandate


def _form_page(form, title, *, case=None, back=None, intro=None):
    return render_template(
        "casework/form.html", form=form, title=title, case=case, back=back, intro=intro
    )


def _log_form(case: Case, form_name: str) -> None:
    services.log_case("form.read", case, form=form_name)
    db.session.commit()


# --- lists --------------------------------------------------------------------------------


@bp.get("/")
@requires("care_team")
def index():
    search = request.args.get("q", "").strip()
    page = queries.open_cases(
        _my_site_ids(), search=search, page=request.args.get("page", 1, type=int)
    )
    types = queries.support_types([case.id for case in page.items])
    queue_size = len(queries.referral_queue(_my_site_ids()))
    html = render_template(
        "casework/index.html", page=page, types=types, search=search, queue_size=queue_size
    )
    # Logged after rendering: committing first would expire the rows the page shows.
    services.log_site("case.list.read", "case_list", object_id=len(page.items))
    db.session.commit()
    return html


@bp.get("/dormant")
@requires("care_team")
def dormant():
    days = settings.get("casework.dormant_days")
    cases = queries.dormant_cases(_my_site_ids(), days)
    html = render_template("casework/dormant.html", cases=cases, days=days, today=local_today())
    services.log_site("case.dormant.read", "case_list", object_id=len(cases))
    db.session.commit()
    return html


# --- referral queue -------------------------------------------------------------------------


@bp.get("/referrals")
@requires("care_team")
def referrals():
    queue = queries.referral_queue(_my_site_ids())
    open_cases = queries.open_cases_by_person([referral.person_id for referral in queue])
    html = render_template("casework/referrals.html", queue=queue, open_cases=open_cases)
    services.log_site("referral.queue.read", "referral_queue", object_id=len(queue))
    db.session.commit()
    return html


@bp.route("/referrals/<int:referral_id>/accept", methods=["GET", "POST"])
@requires("care_team")
def accept_referral(referral_id: int):
    referral = _load_referral(referral_id)
    if referral.status != ReferralStatus.NEW:
        flash(_("Ce signalement a déjà été traité."), "info")
        return redirect(url_for(".referrals"))
    existing = services.open_case_of(referral.person_id)
    if existing is not None and not can_access_case(current_user, existing):
        flash(
            _(
                "Cette personne est déjà accompagnée sur un autre site : voyez avec l'équipe de ce site."
            ),
            "warning",
        )
        return redirect(url_for(".referrals"))
    form = forms.LinkCaseForm() if existing is not None else forms.OpenCaseForm()
    if form.validate_on_submit():
        try:
            if existing is None:
                case = services.open_case(
                    referral.person,
                    site_id=referral.site_id,
                    consent_on=form.consent_on.data,
                    consent_method=form.consent_method.data,
                    consent_sharing=form.consent_sharing.data == "yes",
                    by=current_user,
                )
                services.log_case("case.open", case)
            else:
                case = existing
            services.accept_referral(referral, case, by=current_user)
            services.log_case("case.referral.link", case, referral_id=referral.id)
            case_name = referral.person.full_name
            db.session.commit()
        except services.CaseworkError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for(".referrals"))
        except IntegrityError:
            db.session.rollback()
            flash(_("Cette personne a déjà un dossier ouvert."), "danger")
            return redirect(url_for(".referrals"))
        if existing is None:
            flash(
                _("Dossier ouvert pour %(name)s. Le signalement y est joint.", name=case_name),
                "success",
            )
        else:
            flash(_("Signalement joint au dossier : %(name)s.", name=case_name), "success")
        return redirect(url_for(".show_case", case_id=case.id))
    services.log_site("referral.read", "referral", referral.site_id, referral.id)
    db.session.commit()
    return render_template(
        "casework/accept_referral.html", referral=referral, existing=existing, form=form
    )


@bp.route("/referrals/<int:referral_id>/close", methods=["GET", "POST"])
@requires("care_team")
def close_referral(referral_id: int):
    referral = _load_referral(referral_id)
    form = forms.CloseReferralForm()
    if form.validate_on_submit():
        try:
            services.close_referral(referral, form.reason.data, by=current_user)
        except services.CaseworkError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for(".referrals"))
        services.log_site("referral.close", "referral", referral.site_id, referral.id)
        db.session.commit()
        flash(_("Signalement clos."), "success")
        return redirect(url_for(".referrals"))
    services.log_site("referral.read", "referral", referral.site_id, referral.id)
    db.session.commit()
    return _form_page(
        form,
        _("Clore le signalement : %(name)s", name=referral.person.full_name),
        back=url_for(".referrals"),
    )


# --- opening a case without a referral ----------------------------------------------------


@bp.get("/people")
@requires("care_team")
def find_person():
    search = request.args.get("q", "").strip()
    people = queries.people_search(search, _my_site_ids())
    open_cases = queries.open_cases_by_person([person.id for person in people])
    html = render_template(
        "casework/find_person.html", search=search, people=people, open_cases=open_cases
    )
    services.log_site("person.search", "person_search", object_id=len(people))
    db.session.commit()
    return html


@bp.route("/people/<int:person_id>/open", methods=["GET", "POST"])
@requires("care_team")
def open_case(person_id: int):
    person = members_queries.visible_person(person_id, _my_site_ids())
    if person is None:
        abort(404)
    existing = services.open_case_of(person.id)
    if existing is not None:
        if can_access_case(current_user, existing):
            flash(_("Cette personne a déjà un dossier ouvert."), "info")
            return redirect(url_for(".show_case", case_id=existing.id))
        flash(_("Cette personne est déjà accompagnée sur un autre site."), "warning")
        return redirect(url_for(".find_person"))
    site_id = sorted(_my_site_ids())[0] if _my_site_ids() else abort(403)
    form = forms.OpenCaseForm()
    if form.validate_on_submit():
        try:
            case = services.open_case(
                person,
                site_id=site_id,
                consent_on=form.consent_on.data,
                consent_method=form.consent_method.data,
                consent_sharing=form.consent_sharing.data == "yes",
                by=current_user,
            )
            services.log_case("case.open", case)
            db.session.commit()
        except (services.CaseworkError, IntegrityError):
            db.session.rollback()
            flash(_("Cette personne a déjà un dossier ouvert."), "danger")
            return redirect(url_for(".find_person"))
        flash(_("Dossier ouvert."), "success")
        return redirect(url_for(".show_case", case_id=case.id))
    services.log_site("case.open.form", "person", site_id, person.id)
    db.session.commit()
    return _form_page(
        form,
        _("Ouvrir un dossier pour %(name)s", name=person.full_name),
        back=url_for(".find_person"),
        intro=_("Recueillez le consentement de la personne avant d'ouvrir son dossier."),
    )


# --- the case file ------------------------------------------------------------------------

HISTORY_ON_CASE_PAGE = 20


@bp.get("/cases/<int:case_id>")
@requires("care_team")
def show_case(case_id: int):
    case = _load_case(case_id, for_page=True)
    services.log_case("case.read", case)
    entries = visible_entries(current_user, case)
    history = queries.access_history(case, limit=HISTORY_ON_CASE_PAGE)
    page = render_template(
        "casework/case.html",
        case=case,
        entries=entries,
        effective_visibility=effective_visibility,
        history=history[:HISTORY_ON_CASE_PAGE],
        more_history=len(history) > HISTORY_ON_CASE_PAGE,
        today=local_today(),
    )
    # Committed after rendering, so the page reads nothing expired; the read is logged
    # in the same transaction, and a failed commit sends no content.
    db.session.commit()
    return page


@bp.get("/cases/<int:case_id>/history")
@requires("care_team")
def case_history(case_id: int):
    """The whole access log of a case, 50 events a page; reading it is logged too."""
    case = _load_case(case_id)
    services.log_case("case.history.read", case)
    events, rows = queries.access_history_page(case, request.args.get("page", 1, type=int))
    page = render_template("casework/history.html", case=case, events=events, rows=rows)
    db.session.commit()
    return page


def _case_form(case_id: int, form_class, form_name: str, title: str, act, *, obj=None, intro=None):
    """GET shows the form (logged as a read); a valid POST runs `act(case, form)`."""
    case = _load_case(case_id)
    form = form_class(obj=obj) if obj is not None else form_class()
    if form.validate_on_submit():
        try:
            message = act(case, form)
            db.session.commit()
        except services.CaseworkError as error:
            db.session.rollback()
            case = _load_case(case_id)
            services.log_case(f"{form_name}.refused", case)
            db.session.commit()
            flash(str(error), "danger")
            return _form_page(form, title, case=case, back=url_for(".show_case", case_id=case.id))
        flash(message, "success")
        return redirect(url_for(".show_case", case_id=case.id))
    _log_form(case, form_name)
    return _form_page(
        form, title, case=case, back=url_for(".show_case", case_id=case.id), intro=intro
    )


@bp.route("/cases/<int:case_id>/consent", methods=["GET", "POST"])
@requires("care_team")
def edit_consent(case_id: int):
    case = _load_case(case_id)

    def act(case, form):
        services.update_consent(
            case,
            consent_on=form.consent_on.data,
            consent_method=form.consent_method.data,
            consent_sharing=form.consent_sharing.data == "yes",
        )
        services.log_case("case.consent", case)
        return _("Consentement mis à jour.")

    if request.method == "GET":
        form = forms.ConsentForm(
            consent_on=case.consent_on,
            consent_method=case.consent_method,
            consent_sharing="yes" if case.consent_sharing else "no",
        )
        _log_form(case, "consent")
        return _form_page(
            form, _("Consentement"), case=case, back=url_for(".show_case", case_id=case.id)
        )
    return _case_form(case_id, forms.ConsentForm, "consent", _("Consentement"), act)


@bp.route("/cases/<int:case_id>/situation", methods=["GET", "POST"])
@requires("care_team")
def new_situation(case_id: int):
    def act(case, form):
        situation = services.add_situation(
            case,
            by=current_user,
            assessed_on=form.assessed_on.data,
            relation=form.relation.data,
            reason=form.reason.data,
            living_together=form.living_together.data,
            hours_per_week=form.hours_per_week.data,
            work_situation=form.work_situation.data,
            caring_since=form.caring_since.data,
            exhaustion_level=form.exhaustion_level.data,
            needs=form.needs.data,
        )
        services.log_case("situation.create", case, situation_id=situation.id)
        return _("Situation enregistrée.")

    return _case_form(case_id, forms.SituationForm, "situation", _("Situation d'aide"), act)


@bp.route("/cases/<int:case_id>/entries/new", methods=["GET", "POST"])
@requires("care_team")
def new_entry(case_id: int):
    def act(case, form):
        entry = services.add_entry(
            case,
            by=current_user,
            occurred_on=form.occurred_on.data,
            duration_minutes=form.duration_minutes.data,
            kind=form.kind.data,
            visibility=form.visibility.data,
            note=form.note.data,
        )
        services.log_case("entry.create", case, entry_id=entry.id)
        return _("Note enregistrée.")

    case = _load_case(case_id)
    intro = None
    if not case.consent_sharing:
        intro = _(
            "La personne n'a pas accepté le partage entre professions : une note « Équipe » ne sera lue que par votre profession."
        )
    return _case_form(
        case_id, forms.EntryForm, "entry", _("Nouvel entretien ou action"), act, intro=intro
    )


# How close a partner's area is to the person, said after its name in the list.
_RANK_HINTS = {
    directory_queries.RANK_COMMUNE: _l("sa commune"),
    directory_queries.RANK_POSTCODE: _l("son code postal"),
    directory_queries.RANK_DEPARTEMENT: _l("son département"),
}


def _partner_choices(form, *, need: str | None = None, person: Person | None = None) -> bool:
    """Partners grouped by type, each group in French alphabetical order (accents and
    capitals ignored: "CCAS de Bègles" before "CCAS de Bordeaux").

    With a need, the partners covering it come first, those serving the person's commune,
    then postcode, then département before the others (the ranking of "Trouver de l'aide").
    """
    groups: dict[str, list] = {}
    near: list[SelectChoice] = []
    elsewhere: list[SelectChoice] = []
    if need:
        place = directory_queries.parse_place(
            " ".join(filter(None, [person.commune, person.postcode])) if person else ""
        )
        if not place.empty:
            results, _more = directory_queries.search(
                need=need, place=place, public_only=False, limit=200
            )
            for result in results:
                hint = _RANK_HINTS.get(result.rank)
                label = f"{result.partner.name} — {hint}" if hint else result.partner.name
                near.append(SelectChoice(result.partner.id, label))
        shown = {choice.value for choice in near}
        results, _more = directory_queries.search(
            need=need, place=directory_queries.parse_place(""), public_only=False, limit=200
        )
        elsewhere = [
            SelectChoice(r.partner.id, r.partner.name) for r in results if r.partner.id not in shown
        ]
    listed = {choice.value for choice in near + elsewhere}
    for partner in sorted(queries.partners(), key=lambda p: search_key(p.name)):
        if partner.id not in listed:
            groups.setdefault(partner.type_label, []).append(SelectChoice(partner.id, partner.name))
    need_label = labels.NEED_LABELS.get(need, need)
    choices = {}
    if near:
        choices[_("« %(need)s », près de chez la personne", need=need_label)] = near
    if elsewhere:
        title = (
            _("« %(need)s », autres secteurs", need=need_label)
            if near
            else _("« %(need)s »", need=need_label)
        )
        choices[title] = elsewhere
    if need and not listed:
        form.partner_id.description = _(
            "Aucun partenaire de l'annuaire ne couvre ce besoin : choisissez parmi tous les partenaires."
        )
    for label in sorted(groups, key=search_key):
        choices[label if not listed else _("Autres : %(type)s", type=label)] = groups[label]
    # Nothing chosen in advance: saving without looking must not orient to a random partner.
    form.partner_id.choices = {"—": [SelectChoice("", _("Choisir un partenaire"))], **choices}
    return bool(choices)


@bp.route("/cases/<int:case_id>/orientations/new", methods=["GET", "POST"])
@requires("care_team")
def new_orientation(case_id: int):
    case = _load_case(case_id)
    form = forms.OrientationForm()
    if request.method == "GET" and request.args.get("need") in labels.NEED_LABELS:
        form.need.data = request.args["need"]
    refresh = form.is_submitted() and form.show_partners.data
    need = form.need.data if form.need.data in labels.NEED_LABELS else None
    any_partner = _partner_choices(form, need=need, person=case.person)
    back = url_for(".show_case", case_id=case.id)
    if not any_partner:
        flash(_("L'annuaire ne contient encore aucun partenaire."), "warning")
    if not refresh and form.validate_on_submit():
        partner = db.session.get(Partner, form.partner_id.data)
        try:
            orientation = services.add_orientation(
                case,
                partner=partner,
                need=form.need.data,
                oriented_on=form.oriented_on.data,
                status=form.status.data,
                outcome=form.outcome.data,
                by=current_user,
            )
        except services.CaseworkError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(back)
        services.log_case("orientation.create", case, orientation_id=orientation.id)
        db.session.commit()
        flash(_("Orientation enregistrée."), "success")
        return redirect(back)
    _log_form(case, "orientation")
    return _form_page(form, _("Nouvelle orientation"), case=case, back=back)


@bp.route("/orientations/<int:orientation_id>", methods=["GET", "POST"])
@requires("care_team")
def edit_orientation(orientation_id: int):
    orientation = db.session.get(Orientation, orientation_id)
    if orientation is None:
        abort(404)
    case = _load_case(orientation.case_id)
    form = forms.OrientationUpdateForm(obj=orientation)
    back = url_for(".show_case", case_id=case.id)
    if form.validate_on_submit():
        try:
            services.update_orientation(
                orientation, status=form.status.data, outcome=form.outcome.data
            )
        except services.CaseworkError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(back)
        services.log_case("orientation.update", case, orientation_id=orientation.id)
        db.session.commit()
        flash(_("Orientation mise à jour."), "success")
        return redirect(back)
    _log_form(case, "orientation")
    return _form_page(
        form, _("Orientation vers %(name)s", name=orientation.partner.name), case=case, back=back
    )


@bp.route("/cases/<int:case_id>/mandates/new", methods=["GET", "POST"])
@requires("care_team")
def new_mandate(case_id: int):
    def act(case, form):
        mandate = services.create_mandate(
            case,
            scope=form.scope.data,
            duration=form.duration.data,
            starts_on=form.starts_on.data,
            by=current_user,
        )
        services.log_case("mandate.create", case, mandate_id=mandate.id)
        return _("Mandat enregistré : imprimez-le et faites-le signer.")

    return _case_form(
        case_id,
        forms.MandateForm,
        "mandate",
        _("Nouveau mandat"),
        act,
        intro=_(
            "Le mandat permet d'agir au nom de la personne pour les démarches cochées, pendant la durée choisie."
        ),
    )


@bp.get("/mandates/<int:mandate_id>/mandate.pdf")
@requires("care_team")
def mandate_pdf(mandate_id: int):
    mandate = _load_mandate(mandate_id)
    case = mandate.case
    services.log_case("mandate.print", case, mandate_id=mandate.id)
    # The professional who received the mandate is named on it, with their profession.
    professional = db.session.get(User, mandate.created_by_id) if mandate.created_by_id else None
    db.session.commit()
    return pdf_response(
        "print/casework_mandate.html",
        f"mandat-{mandate.id}.pdf",
        mandate=mandate,
        case=case,
        professional=professional,
        profession=authoring_profession(professional) if professional else None,
        wording=MANDATE_WORDINGS[mandate.wording_version],
        **labels.ALL_LABELS,
    )


@bp.route("/mandates/<int:mandate_id>/revoke", methods=["GET", "POST"])
@requires("care_team")
def revoke_mandate(mandate_id: int):
    """A confirmation page first: the date the person revoked it (not always today), and
    a plain warning that it cannot be undone."""
    mandate = _load_mandate(mandate_id)

    def act(case, form):
        services.revoke_mandate(mandate, on=form.revoked_on.data, by=current_user)
        services.log_case("mandate.revoke", case, mandate_id=mandate.id)
        return _("Mandat révoqué : plus aucune démarche n'est possible sous ce mandat.")

    return _case_form(
        mandate.case_id,
        forms.RevokeForm,
        "mandate.revoke",
        _("Révoquer le mandat"),
        act,
        intro=_(
            "Mandat du %(start)s au %(end)s. À partir de la date de révocation, plus aucune "
            "démarche ne pourra être faite sous ce mandat. Cela ne s'annule pas : il faudrait "
            "faire signer un nouveau mandat.",
            start=dates.day(mandate.starts_on, "long"),
            end=dates.day(mandate.expires_on, "long"),
        ),
    )


@bp.route("/cases/<int:case_id>/procedures/new", methods=["GET", "POST"])
@requires("care_team")
def new_procedure(case_id: int):
    case = _load_case(case_id)
    form = forms.ProcedureForm()
    mandates = queries.mandates_for_select(case)
    form.mandate_id.choices = [
        SelectChoice(
            m.id,
            _(
                "Mandat du %(date)s (%(version)s)",
                date=dates.day(m.starts_on, "d MMMM y"),
                version=m.wording_version,
            ),
        )
        for m in mandates
    ]
    back = url_for(".show_case", case_id=case.id)
    if not mandates:
        flash(_("Aucun mandat : enregistrez d'abord un mandat signé par la personne."), "warning")
        services.log_case("procedure.refused", case)
        db.session.commit()
        return redirect(back)
    if form.validate_on_submit():
        mandate = next((m for m in mandates if m.id == form.mandate_id.data), None)
        try:
            procedure = services.log_procedure(
                case,
                mandate=mandate,
                procedure_type=form.procedure_type.data,
                done_on=form.done_on.data,
                description=form.description.data,
                by=current_user,
            )
        except services.CaseworkError as error:
            db.session.rollback()
            case = _load_case(case_id)
            services.log_case("procedure.refused", case)
            db.session.commit()
            flash(str(error), "danger")
            return _form_page(form, _("Nouvelle démarche"), case=case, back=back), 422
        services.log_case("procedure.create", case, procedure_id=procedure.id)
        db.session.commit()
        flash(_("Démarche enregistrée."), "success")
        return redirect(back)
    _log_form(case, "procedure")
    return _form_page(form, _("Nouvelle démarche"), case=case, back=back)


@bp.route("/cases/<int:case_id>/appointment", methods=["GET", "POST"])
@requires("care_team")
def appointment(case_id: int):
    def act(case, form):
        when = form.next_appointment_at.data
        if when is not None:
            when = when.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
        services.set_next_appointment(case, when)
        services.log_case("case.appointment", case)
        return _("Rendez-vous enregistré.")

    case = _load_case(case_id)
    if request.method == "GET" and case.next_appointment_at:
        form = forms.AppointmentForm(
            next_appointment_at=case.next_appointment_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
        )
        _log_form(case, "appointment")
        return _form_page(
            form, _("Prochain rendez-vous"), case=case, back=url_for(".show_case", case_id=case.id)
        )
    return _case_form(case_id, forms.AppointmentForm, "appointment", _("Prochain rendez-vous"), act)


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
@requires("care_team")
def close_case(case_id: int):
    def act(case, form):
        services.close_case(case, reason=form.reason.data, closed_on=form.closed_on.data)
        services.log_case("case.close", case, reason=form.reason.data)
        return _("Dossier clôturé.")

    return _case_form(case_id, forms.CloseCaseForm, "close", _("Clôturer le dossier"), act)


@bp.get("/cases/<int:case_id>/access-file.pdf")
@requires("care_team")
def access_file(case_id: int):
    """The person's right of access: their file, without anyone's private working notes.

    Printed by one professional, it holds only the notes that professional may read: a
    psychologist never reads a social worker's "profession" note by printing it (and the
    other way round). The document says when the other profession has notes of its own.
    """
    services.log_case("case.access_file.print", _load_case(case_id))
    db.session.commit()
    case = queries.case_for_page(case_id)
    shareable = [e for e in case.entries if effective_visibility(e, case) != "private"]
    entries = [e for e in shareable if can_read_entry(current_user, e, case)]
    return pdf_response(
        "print/casework_access_file.html",
        f"dossier-{case.id}.pdf",
        inline=False,
        case=case,
        entries=entries,
        others_left_out=len(shareable) - len(entries),
        today=local_today(),
        **labels.ALL_LABELS,
    )


# --- difficulty sheets ----------------------------------------------------------------------


@bp.get("/difficulties")
@requires("care_team")
def difficulties():
    sheets = queries.difficulty_sheets(_my_site_ids())
    html = render_template("casework/difficulties.html", sheets=sheets)
    services.log_site("difficulty.list.read", "difficulty_list", object_id=len(sheets))
    db.session.commit()
    return html


@bp.route("/difficulties/new", methods=["GET", "POST"])
@requires("care_team")
def new_difficulty():
    form = forms.DifficultyForm()
    site_ids = sorted(_my_site_ids())
    if not site_ids:
        abort(403)
    if form.validate_on_submit():
        sheet = services.add_difficulty(
            site_id=site_ids[0],
            reported_on=form.reported_on.data,
            category=form.category.data,
            institution=form.institution.data,
            description=form.description.data,
            by=current_user,
        )
        services.log_site(
            "difficulty.create", DifficultySheet.__tablename__, sheet.site_id, sheet.id
        )
        db.session.commit()
        flash(_("Fiche de remontée enregistrée."), "success")
        return redirect(url_for(".difficulties"))
    services.log_site("difficulty.form.read", "difficulty_form", site_ids[0])
    db.session.commit()
    return _form_page(
        form,
        _("Nouvelle fiche de remontée"),
        back=url_for(".difficulties"),
        intro=_(
            "Décrivez la difficulté sans aucun élément qui permette de reconnaître la personne."
        ),
    )
