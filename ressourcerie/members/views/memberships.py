"""Memberships pages: sell or renew a person's membership."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ressourcerie import dates
from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.memberships import MembershipForm
from ressourcerie.members.models import Membership
from ressourcerie.members.services import memberships as membership_services
from ressourcerie.members.services.payments import METHOD_LABELS, PaymentError
from ressourcerie.members.views.payments import (
    chosen_site,
    person_page_url,
    staff_sites,
)
from ressourcerie.members.views.people import load_visible_person
from ressourcerie.security import audit, working_site
from ressourcerie.security.access import requires
from ressourcerie.settings import services as settings


@bp.route("/people/<int:person_id>/membership", methods=["GET", "POST"])
@requires("reception")
def sell_membership(person_id: int):
    person = load_visible_person(person_id)
    sites = staff_sites()
    form = MembershipForm(sites=sites, site_id=working_site.working_site_id(sites))
    today = local_today()
    current = membership_services.current_membership(person.id, today)
    state = membership_services.state_of(current, today)
    # More than a month left: a renewal now is most likely a second click by mistake, so
    # it takes a deliberate "renew in advance" (?early=1).
    needs_advance = state == membership_services.MembershipState.ACTIVE and not request.args.get(
        "early"
    )
    if needs_advance and request.method == "POST":
        flash(_("Cette adhésion court encore : rien n'a été encaissé."), "warning")
        return redirect(url_for("members.sell_membership", person_id=person.id))
    if form.validate_on_submit():
        site = chosen_site(sites, form.site_id.data)
        try:
            membership = membership_services.sell_membership(
                person=person,
                site=site,
                method=form.method.data,
                by=current_user,
                accept_charter_today=form.charter_accepted_today.data,
                paid_on=today,
            )
        except (membership_services.MembershipError, PaymentError) as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            audit.record(
                "members",
                "membership.sold",
                object_type="membership",
                object_id=membership.id,
                site_id=site.id,
                detail={"payment_id": membership.payment_id},
            )
            db.session.commit()
            flash(
                _(
                    "Adhésion enregistrée jusqu'au %(end)s. Reçu n° %(number)s.",
                    end=dates.day(membership.ends_on, "d MMMM y"),
                    number=membership.payment.receipt_label,
                ),
                "success",
            )
            return redirect(url_for("members.sell_membership", person_id=person.id))
    memberships = list(
        db.session.scalars(
            select(Membership)
            .where(Membership.person_id == person.id)
            .options(selectinload(Membership.payment))
            .order_by(Membership.ends_on.desc())
        )
    )
    starts_on, ends_on, renewed = membership_services.next_period(person, today)
    return render_template(
        "members/membership_form.html",
        form=form,
        person=person,
        person_page_url=person_page_url(person),
        memberships=memberships,
        current=current,
        state=state,
        early=needs_advance,
        STATE_LABELS=membership_services.STATE_LABELS,
        state_of=membership_services.state_of,
        today=today,
        next_start=starts_on,
        next_end=ends_on,
        is_renewal=renewed is not None,
        fee_cents=settings.get("membership.fee", on=today),
        METHOD_LABELS=METHOD_LABELS,
    )
