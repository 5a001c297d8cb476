"""Newsletter pages: list, compose, preview, send, CSV export, public unsubscribe."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from ressourcerie.columns import local_today
from ressourcerie.extensions import csrf, db
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.newsletter import (
    NewsletterForm,
    SendNewsletterForm,
    UnsubscribeForm,
)
from ressourcerie.members.models import Person
from ressourcerie.members.services import newsletter as newsletter_services
from ressourcerie.members.views.payments import chosen_site, staff_sites
from ressourcerie.notifications.models import Newsletter
from ressourcerie.security import audit, working_site
from ressourcerie.security.access import public, requires
from ressourcerie.security.permissions import can_see_site


def load_newsletter(newsletter_id: int) -> Newsletter:
    newsletter = db.session.get(Newsletter, newsletter_id)
    if newsletter is None or not can_see_site(current_user, newsletter.site_id):
        abort(404)
    return newsletter


def recipients_count(site_id: int) -> int:
    """Distinct addresses: what `send` will write to."""
    query = newsletter_services.recipients_query(site_id).order_by(None)
    emails = query.with_only_columns(func.lower(Person.email)).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(emails))


@bp.get("/newsletter")
@requires("reception")
def newsletter_index():
    sites = staff_sites()
    site = chosen_site(
        sites, request.args.get("site_id", working_site.working_site_id(sites), type=int)
    )
    newsletters = list(
        db.session.scalars(
            select(Newsletter)
            .where(Newsletter.site_id == site.id)
            .order_by(Newsletter.sent_at.is_(None).desc(), Newsletter.created_at.desc())
            .limit(100)
        )
    )
    return render_template(
        "members/newsletter_index.html",
        site=site,
        sites=sites,
        newsletters=newsletters,
        count=recipients_count(site.id),
    )


@bp.route("/newsletter/new", methods=["GET", "POST"])
@requires("reception")
def newsletter_new():
    sites = staff_sites()
    site = chosen_site(
        sites, request.args.get("site_id", working_site.working_site_id(sites), type=int)
    )
    form = NewsletterForm()
    if form.validate_on_submit():
        newsletter = newsletter_services.save_draft(
            None, site_id=site.id, subject=form.subject.data, body=form.body.data, by=current_user
        )
        db.session.commit()
        flash(_("Brouillon enregistré. Relisez l'aperçu avant d'envoyer."), "success")
        return redirect(url_for("members.newsletter_show", newsletter_id=newsletter.id))
    return render_template("members/newsletter_form.html", form=form, site=site, newsletter=None)


@bp.route("/newsletter/<int:newsletter_id>/edit", methods=["GET", "POST"])
@requires("reception")
def newsletter_edit(newsletter_id: int):
    newsletter = load_newsletter(newsletter_id)
    if newsletter.is_sent:
        flash(_("Cette lettre est déjà partie : elle ne peut plus être modifiée."), "warning")
        return redirect(url_for("members.newsletter_show", newsletter_id=newsletter.id))
    form = NewsletterForm(subject=newsletter.subject, body=newsletter.body_markdown)
    if form.validate_on_submit():
        newsletter_services.save_draft(
            newsletter,
            site_id=newsletter.site_id,
            subject=form.subject.data,
            body=form.body.data,
            by=current_user,
        )
        db.session.commit()
        flash(_("Brouillon enregistré."), "success")
        return redirect(url_for("members.newsletter_show", newsletter_id=newsletter.id))
    return render_template(
        "members/newsletter_form.html", form=form, site=None, newsletter=newsletter
    )


@bp.get("/newsletter/<int:newsletter_id>")
@requires("reception")
def newsletter_show(newsletter_id: int):
    newsletter = load_newsletter(newsletter_id)
    return render_template(
        "members/newsletter_show.html",
        newsletter=newsletter,
        html=newsletter_services.render_markdown(newsletter.body_markdown),
        count=recipients_count(newsletter.site_id),
        form=SendNewsletterForm(),
    )


@bp.post("/newsletter/<int:newsletter_id>/send")
@requires("reception")
def newsletter_send(newsletter_id: int):
    newsletter = load_newsletter(newsletter_id)
    form = SendNewsletterForm()
    if not form.validate_on_submit():
        flash(_("Cochez la case de confirmation pour envoyer la lettre."), "danger")
        return redirect(url_for("members.newsletter_show", newsletter_id=newsletter_id))
    try:
        count = newsletter_services.send(newsletter, by=current_user)
    except newsletter_services.AlreadySent:
        db.session.rollback()
        flash(_("Cette lettre a déjà été envoyée."), "warning")
        return redirect(url_for("members.newsletter_show", newsletter_id=newsletter_id))
    except newsletter_services.NoRecipients:
        db.session.rollback()
        flash(
            _("Personne n'est inscrit à la lettre avec une adresse e-mail : rien n'a été envoyé."),
            "warning",
        )
        return redirect(url_for("members.newsletter_show", newsletter_id=newsletter_id))
    audit.record(
        "members",
        "newsletter.sent",
        object_type="newsletter",
        object_id=newsletter.id,
        site_id=newsletter.site_id,
        detail={"recipients": count},
    )
    db.session.commit()
    flash(
        ngettext(
            "Lettre envoyée à %(num)d adresse (message placé dans la file d'envoi).",
            "Lettre envoyée à %(num)d adresses (messages placés dans la file d'envoi).",
            count,
        ),
        "success",
    )
    return redirect(url_for("members.newsletter_index", site_id=newsletter.site_id))


@bp.get("/newsletter/subscribers.csv")
@requires("reception")
def newsletter_export():
    sites = staff_sites()
    site = chosen_site(
        sites, request.args.get("site_id", working_site.working_site_id(sites), type=int)
    )
    data = newsletter_services.subscribers_csv(site.id)
    audit.record(
        "members", "newsletter.exported", object_type="site", object_id=site.id, site_id=site.id
    )
    db.session.commit()
    filename = f"abonnes-lettre-{local_today().isoformat()}.csv"
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/newsletter/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def newsletter_unsubscribe(token: str):
    person = newsletter_services.person_from_token(token)
    if person is None:
        return render_template("members/newsletter_unsubscribe.html", invalid=True, done=False), 404
    form = UnsubscribeForm()
    if request.method == "GET" and not newsletter_services.still_subscribed(person):
        return render_template(
            "members/newsletter_unsubscribe.html", invalid=False, done=True, already=True
        )
    if request.method == "POST":
        newsletter_services.unsubscribe(person)
        db.session.commit()
        return render_template("members/newsletter_unsubscribe.html", invalid=False, done=True)
    return render_template(
        "members/newsletter_unsubscribe.html", invalid=False, done=False, form=form, person=person
    )
