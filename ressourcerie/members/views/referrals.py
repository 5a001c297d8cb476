"""Internal referral (signalement) of a person to the care team, by any staff member."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ressourcerie.extensions import db
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.referrals import ReferralForm
from ressourcerie.members.services import referrals as referral_services
from ressourcerie.members.views.people import load_visible_person
from ressourcerie.security import audit
from ressourcerie.security.access import requires


@bp.route("/people/<int:person_id>/referral", methods=["GET", "POST"])
@requires("people")
def new_referral(person_id: int):
    person = load_visible_person(person_id)
    form = ReferralForm()
    if form.validate_on_submit():
        site_ids = current_user.site_ids
        site_id = person.site_id if person.site_id in site_ids else sorted(site_ids)[0]
        try:
            referral = referral_services.create_referral(
                person=person,
                site_id=site_id,
                category=form.category.data,
                comment=form.comment.data,
                by=current_user,
            )
        except referral_services.ReferralError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            audit.record(
                "members",
                "referral.created",
                object_type="referral",
                object_id=referral.id,
                site_id=site_id,
            )
            db.session.commit()
            flash(_("Signalement transmis à l'équipe d'accompagnement. Merci."), "success")
            return redirect(url_for("members.person", person_id=person.id))
    return render_template("members/referral_form.html", form=form, person=person)
