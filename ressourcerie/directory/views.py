"""Directory pages: staff management and the public resource guide."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ressourcerie.columns import local_today
from ressourcerie.directory import queries, services
from ressourcerie.directory.forms import (
    ConfirmForm,
    FilterForm,
    GuideSearchForm,
    ImportUploadForm,
    PartnerForm,
)
from ressourcerie.directory.models import PARTNER_TYPE_LABELS, Partner, PartnerType
from ressourcerie.directory.needs import NEED_LABELS, Need
from ressourcerie.extensions import db, limiter
from ressourcerie.pdf import pdf_response
from ressourcerie.security import audit
from ressourcerie.security.access import public, requires
from ressourcerie.security.models import Site

bp = Blueprint("directory", __name__, url_prefix="/directory")

PER_PAGE = 25
GUIDE_LIMIT = 50
SHEET_MAX = 8


@bp.app_context_processor
def directory_labels():
    return {"NEED_LABELS": NEED_LABELS, "PARTNER_TYPE_LABELS": PARTNER_TYPE_LABELS}


# --- the public guide ---------------------------------------------------------------


def _contact_site() -> Site | None:
    """The place to call about the guide: the staff member's own site, or the only site."""
    if current_user.is_authenticated and getattr(current_user, "sites", None):
        return current_user.sites[0]
    sites = db.session.scalars(select(Site).where(Site.active.is_(True)).limit(2)).all()
    return sites[0] if len(sites) == 1 else None


@bp.get("/aide")
@public
def guide():
    form = GuideSearchForm(request.args)
    searched = "need" in request.args or "place" in request.args
    results, more, place = [], False, None
    if searched and form.validate():
        place = queries.parse_place(form.place.data)
        results, more = queries.search(
            need=form.need.data or None, place=place, public_only=True, limit=GUIDE_LIMIT
        )
    return render_template(
        "directory/guide.html",
        form=form,
        searched=searched,
        results=results,
        more=more,
        place=place,
        need_label=NEED_LABELS.get(form.need.data or "", ""),
        sheet_max=SHEET_MAX,
        contact=_contact_site(),
        # Back from a refused sheet: the boxes stay as the visitor left them.
        checked={int(v) for v in request.args.getlist("partner") if v.isdigit()},
    )


@bp.get("/aide/fiche")
@public
@limiter.limit("60/minute")
def guide_sheet():
    ids = list(dict.fromkeys(int(v) for v in request.args.getlist("partner") if v.isdigit()))
    partners = queries.partners_by_ids(ids[: SHEET_MAX + 1], public_only=True)
    if not partners or len(partners) > SHEET_MAX:
        if partners:
            flash(
                _("Une fiche tient sur une page : cochez %(max)s adresses au plus.", max=SHEET_MAX),
                "warning",
            )
        else:
            flash(_("Cochez au moins une adresse à imprimer."), "warning")
        return redirect(
            url_for(
                "directory.guide",
                need=request.args.get("need", ""),
                place=request.args.get("place", ""),
                partner=[p.id for p in partners],
            )
        )
    return pdf_response(
        "print/resource_sheet.html",
        "fiche-ressources.pdf",
        partners=partners,
        contact=_contact_site(),
        need_label=NEED_LABELS.get(request.args.get("need", ""), ""),
        place_text=request.args.get("place", "")[:120],
        today=local_today(),
    )


# --- staff pages --------------------------------------------------------------------


def _get_partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        abort(404)
    return partner


@bp.get("/")
@requires("directory")
def index():
    form = FilterForm(request.args)
    # Filters are read, not validated: an unknown value simply filters nothing.
    stmt = queries.staff_list(
        text=form.q.data or "",
        type=form.type.data if form.type.data in set(PartnerType) else "",
        need=form.need.data if form.need.data in set(Need) else "",
        visibility=form.visibility.data if form.visibility.data in {"public", "internal"} else "",
        place=queries.parse_place(form.place.data) if form.place.data else None,
    )
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    today = local_today()
    return render_template(
        "directory/index.html",
        form=form,
        page=page,
        today=today,
        to_verify_count=queries.count_to_verify(today),
        filter_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/a-verifier")
@requires("directory")
def to_verify():
    today = local_today()
    stmt = queries.staff_list(to_verify_before=queries.verify_cutoff(today))
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("directory/to_verify.html", page=page, today=today)


def _data_from(form: PartnerForm) -> services.PartnerData:
    return services.PartnerData(
        name=form.name.data,
        type=form.type.data,
        description=form.description.data or "",
        address=form.address.data or "",
        commune=form.commune.data or "",
        postcode=form.postcode.data or "",
        phone=form.phone.data or "",
        email=form.email.data or "",
        website=form.website.data or "",
        hours=form.hours.data or "",
        is_public=form.is_public.data,
        last_verified_on=form.last_verified_on.data,
        needs=form.needs.data or [],
        communes=services.split_lines(form.communes.data),
        postcodes=services.split_lines(form.postcodes.data),
        departements=services.split_lines(form.departements.data),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("directory")
def create():
    form = PartnerForm()
    if request.method == "GET":
        form.is_public.data = True
        form.last_verified_on.data = local_today()
    if form.validate_on_submit():
        partner = services.save_partner(None, _data_from(form))
        db.session.commit()
        flash(_("Partenaire « %(name)s » ajouté.", name=partner.name), "success")
        return redirect(url_for("directory.show", partner_id=partner.id))
    return render_template("directory/form.html", form=form, partner=None)


@bp.get("/<int:partner_id>")
@requires("directory")
def show(partner_id: int):
    partner = _get_partner(partner_id)
    return render_template(
        "directory/show.html", partner=partner, today=local_today(), verify_form=ConfirmForm()
    )


@bp.route("/<int:partner_id>/edit", methods=["GET", "POST"])
@requires("directory")
def edit(partner_id: int):
    partner = _get_partner(partner_id)
    form = PartnerForm()
    if request.method == "GET":
        data = services.partner_data(partner)
        form.process(
            data={
                **data.__dict__,
                "communes": "\n".join(data.communes),
                "postcodes": "\n".join(data.postcodes),
                "departements": ", ".join(data.departements),
            }
        )
    if form.validate_on_submit():
        services.save_partner(partner, _data_from(form))
        db.session.commit()
        flash(_("Partenaire « %(name)s » enregistré.", name=partner.name), "success")
        return redirect(url_for("directory.show", partner_id=partner.id))
    return render_template("directory/form.html", form=form, partner=partner)


@bp.post("/<int:partner_id>/verify")
@requires("directory")
def verify(partner_id: int):
    partner = _get_partner(partner_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_verified(partner, local_today())
    db.session.commit()
    flash(_("« %(name)s » marqué comme vérifié aujourd'hui.", name=partner.name), "success")
    target = request.form.get("next", "")
    if target == "to_verify":
        return redirect(url_for("directory.to_verify"))
    return redirect(url_for("directory.show", partner_id=partner.id))


@bp.get("/export.csv")
@requires("directory")
def export():
    text = services.export_csv(services.export_partners())
    filename = f"annuaire-partenaires-{local_today().isoformat()}.csv"
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/import", methods=["GET", "POST"])
@requires("directory")
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            services.check_csv(data)
        except services.ImportFileError as error:
            form.file.errors = [str(error)]
        else:
            token = services.store_upload(data, user_id=current_user.id)
            return redirect(url_for("directory.import_review", token=token))
    return render_template("directory/import_upload.html", form=form)


@bp.get("/import/<token>")
@requires("directory")
def import_review(token: str):
    data = services.load_upload(token, user_id=current_user.id)
    if data is None:
        flash(_("Ce fichier n'est plus disponible : déposez-le à nouveau."), "warning")
        return redirect(url_for("directory.import_upload"))
    report = services.check_csv(data)
    return render_template(
        "directory/import_review.html", report=report, token=token, form=ConfirmForm()
    )


@bp.post("/import/<token>")
@requires("directory")
def import_confirm(token: str):
    data = services.load_upload(token, user_id=current_user.id)
    if data is None:
        flash(_("Ce fichier n'est plus disponible : déposez-le à nouveau."), "warning")
        return redirect(url_for("directory.import_upload"))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        report = services.import_csv(data)
    except services.ImportRefused as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("directory.import_review", token=token))
    audit.record(
        "directory",
        "import",
        object_type="partner",
        detail={"created": report.creates, "updated": report.updates},
    )
    db.session.commit()
    services.discard_upload(token)
    flash(
        _(
            "Import terminé : %(created)s partenaire(s) ajouté(s), %(updated)s mis à jour.",
            created=report.creates,
            updated=report.updates,
        ),
        "success",
    )
    return redirect(url_for("directory.index"))
