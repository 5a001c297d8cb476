"""Member accounts: sign-up, email confirmation, account claim, the member's own space
and personal-data rights; staff side of the claim code and of erasure."""

import json
from datetime import date, datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ressourcerie import dates
from ressourcerie.columns import local_today
from ressourcerie.extensions import db, limiter
from ressourcerie.form_fields import ConfirmedActionForm
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.account import (
    ClaimCodeForm,
    ClaimForm,
    ConfirmForm,
    ProfileForm,
    SignupForm,
)
from ressourcerie.members.models import Person
from ressourcerie.members.services import accounts as account_services
from ressourcerie.members.services import memberships as membership_services
from ressourcerie.members.services import rights as rights_services
from ressourcerie.members.services.people import CHANNEL_LABELS, CONSENT_METHOD_LABELS
from ressourcerie.members.services.visits import PURPOSE_LABELS
from ressourcerie.members.views.people import load_visible_person
from ressourcerie.notifications.services import queue_email
from ressourcerie.pdf import pdf_response
from ressourcerie.security import audit, passwords
from ressourcerie.security.access import public, requires
from ressourcerie.security.services import (
    PasswordPolicyError,
    SecurityError,
    find_user_by_email,
)
from ressourcerie.urls import external_url
from ressourcerie.workshops.labels import STATUS_LABELS as BOOKING_STATUS_LABELS


def _own_person() -> Person:
    person = account_services.person_of(current_user)
    if person is None:
        abort(404)
    return person


# --- sign-up and confirmation -------------------------------------------------------------


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit("10/hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = SignupForm()
    if form.validate_on_submit():
        # An address that already has an account gets the same answer as a new one, and
        # its holder an e-mail: the page must not tell who has an account (the password
        # rule is checked first, so its message cannot tell either).
        reasons = passwords.policy_errors(form.password.data, email=form.email.data)
        existing = find_user_by_email(form.email.data) if not reasons else None
        if existing is not None:
            passwords.hash_password(form.password.data)  # the same time as a real sign-up
            queue_email(
                kind="account_exists",
                to=existing.email,
                subject=_("Vous avez déjà un compte"),
                template="account_exists",
                link=external_url("auth.password_forgot"),
                login=external_url("auth.login"),
            )
            db.session.commit()
            return render_template("members/signup_done.html", email=existing.email)
        try:
            user, person = account_services.sign_up(
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                email=form.email.data,
                password=form.password.data,
                newsletter=form.newsletter.data,
            )
        except PasswordPolicyError as error:
            db.session.rollback()
            form.password.errors.extend(error.reasons)
        except SecurityError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            queue_email(
                kind="account_confirmation",
                to=user.email,
                subject=_("Confirmez votre adresse e-mail"),
                template="member_confirm",
                person=person,
                link=external_url(
                    "members.confirm_email", token=account_services.confirmation_token(user)
                ),
            )
            db.session.commit()
            return render_template("members/signup_done.html", email=user.email)
    return render_template("members/signup.html", form=form)


@bp.get("/signup/confirm/<token>")
@public
def confirm_email(token: str):
    user = account_services.confirm_email(token)
    if user is None:
        flash(
            _(
                "Ce lien n'est pas valable ou a expiré. Inscrivez-vous à nouveau ou adressez-vous à l'accueil."
            ),
            "danger",
        )
        return redirect(url_for("members.signup"))
    db.session.commit()
    flash(_("Adresse confirmée : vous pouvez vous connecter."), "success")
    return redirect(url_for("auth.login"))


# --- account claim ------------------------------------------------------------------------


@bp.route("/claim", methods=["GET", "POST"])
@public
@limiter.limit("10/hour", methods=["POST"])
def claim():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = ClaimForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:20]
    if form.validate_on_submit():
        try:
            account_services.claim_account(
                code=form.code.data, email=form.email.data, password=form.password.data
            )
        except account_services.AccountError as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        except PasswordPolicyError as error:
            db.session.rollback()
            form.password.errors.extend(error.reasons)
        except SecurityError as error:
            db.session.rollback()
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _(
                    "Votre compte est prêt : connectez-vous avec votre adresse et votre mot de passe."
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    return render_template("members/claim.html", form=form)


@bp.route("/people/<int:person_id>/account", methods=["GET", "POST"])
@requires("reception")
def claim_code(person_id: int):
    """Staff: give a person created at the desk a way to open their online account."""
    person = load_visible_person(person_id)
    form = ClaimCodeForm()
    if form.validate_on_submit():
        try:
            code = account_services.new_claim_code(person, by=current_user)
        except account_services.AccountError as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for("members.person", person_id=person.id))
        link = external_url("members.claim", code=code)
        if form.send_email.data:
            if not person.email:
                db.session.rollback()
                flash(
                    _("Cette personne n'a pas d'adresse e-mail : imprimez plutôt un code."),
                    "danger",
                )
                return redirect(url_for("members.claim_code", person_id=person.id))
            queue_email(
                kind="account_claim",
                to=person.email,
                subject=_("Votre compte en ligne à la Ressourcerie"),
                template="member_claim",
                person=person,
                link=link,
            )
            db.session.commit()
            flash(_("Lien envoyé à %(email)s (valable 30 jours).", email=person.email), "success")
            return redirect(url_for("members.person", person_id=person.id))
        db.session.commit()
        return pdf_response(
            "print/claim_code.html",
            f"code-compte-{person.id}.pdf",
            person=person,
            code=code,
            claim_url=external_url("members.claim"),
            expires_on=person.claim_code_expires_at,
        )
    return render_template("members/claim_code.html", form=form, person=person)


# --- the member's own space ---------------------------------------------------------------


@bp.route("/me", methods=["GET", "POST"])
@requires("member")
def my_space():
    person = account_services.person_of(current_user)
    form = ProfileForm(obj=person)
    if person is not None and form.validate_on_submit():
        person.set_identity(form.first_name.data, form.last_name.data)
        person.set_phone(form.phone.data)
        person.commune = form.commune.data.strip()
        person.postcode = (form.postcode.data or "").strip()
        person.preferred_contact = form.preferred_contact.data
        person.newsletter_opt_in = form.newsletter_opt_in.data
        audit.record("members", "profile.updated", object_type="person", object_id=person.id)
        db.session.commit()
        flash(_("Vos informations sont enregistrées."), "success")
        return redirect(url_for("members.my_space"))
    membership = None
    if person is not None:
        membership = membership_services.current_membership(person.id, local_today())
    return render_template(
        "members/my_space.html",
        person=person,
        membership=membership,
        membership_state=membership_services.state_of(membership, local_today()),
        form=form,
        erasure_form=ConfirmForm(),
        CHANNEL_LABELS=CHANNEL_LABELS,
    )


@bp.get("/me/data.json")
@requires("member")
def my_data_json():
    person = _own_person()
    data = rights_services.export_data(person)
    audit.record("members", "data.exported", object_type="person", object_id=person.id)
    db.session.commit()
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = "attachment; filename=mes-donnees.json"
    return response


@bp.get("/me/data.pdf")
@requires("member")
def my_data_pdf():
    person = _own_person()
    data = rights_services.export_data(person)
    audit.record("members", "data.exported", object_type="person", object_id=person.id)
    db.session.commit()
    return pdf_response(
        "print/my_data.html",
        "mes-donnees.pdf",
        inline=False,
        data=data,
        today=local_today(),
        when=_readable_moment,
        day=_readable_day,
        PURPOSE_LABELS=PURPOSE_LABELS,
        CONSENT_METHOD_LABELS=CONSENT_METHOD_LABELS,
        BOOKING_STATUS_LABELS=BOOKING_STATUS_LABELS,
    )


def _readable_moment(value: str | None) -> str:
    return dates.moment(datetime.fromisoformat(value), "short") if value else "—"


def _readable_day(value: str | None) -> str:
    return dates.day(date.fromisoformat(value), "long") if value else "—"


@bp.post("/me/erasure")
@requires("member")
def request_erasure():
    person = _own_person()
    form = ConfirmedActionForm()
    if not form.validate_on_submit():
        flash(_("Cochez la case de confirmation pour demander l'effacement."), "danger")
        return redirect(url_for("members.my_space"))
    rights_services.request_erasure(person, by=current_user)
    db.session.commit()
    flash(
        _(
            "Votre demande d'effacement est enregistrée : l'équipe la traitera sous un mois. "
            "Vous pouvez l'annuler d'ici là."
        ),
        "success",
    )
    return redirect(url_for("members.my_space"))


@bp.post("/me/erasure/withdraw")
@requires("member")
def withdraw_erasure():
    person = _own_person()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db.session.execute(select(Person.id).where(Person.id == person.id).with_for_update())
    db.session.refresh(person)
    if rights_services.withdraw_erasure(person, by=current_user):
        db.session.commit()
        flash(_("Votre demande d'effacement est annulée : vos données sont conservées."), "success")
    return redirect(url_for("members.my_space"))


# --- staff: erasure requests --------------------------------------------------------------


@bp.get("/erasure-requests")
@requires("coordinator")
def erasure_requests():
    return render_template(
        "members/erasure_requests.html",
        people=rights_services.erasure_requests(current_user.site_ids),
        form=ConfirmForm(),
    )


@bp.post("/people/<int:person_id>/anonymise")
@requires("coordinator")
def anonymise_person(person_id: int):
    person = load_visible_person(person_id)
    form = ConfirmedActionForm()
    if not form.validate_on_submit():
        flash(_("Cochez la case de confirmation pour anonymiser la fiche."), "danger")
        return redirect(url_for("members.erasure_requests"))
    # Read again under a row lock: the person may have withdrawn the request meanwhile.
    pending = db.session.execute(
        select(Person.erasure_requested_at).where(Person.id == person.id).with_for_update()
    ).scalar_one()
    if pending is None:
        flash(_("Rien n'a été effacé : la personne a retiré sa demande d'effacement."), "warning")
        return redirect(url_for("members.erasure_requests"))
    rights_services.anonymise(person, by=current_user)
    db.session.commit()
    flash(
        _("Fiche anonymisée : l'identité est effacée, les statistiques et la caisse restent."),
        "success",
    )
    return redirect(url_for("members.erasure_requests"))
