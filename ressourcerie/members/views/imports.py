"""Import pages: upload a people list, read the dry run, import all or nothing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict

from ressourcerie import uploads
from ressourcerie.extensions import db
from ressourcerie.members.blueprint import bp
from ressourcerie.members.forms.imports import ImportConfirmForm, ImportUploadForm
from ressourcerie.members.services import imports as import_services
from ressourcerie.members.views.payments import chosen_site, staff_sites
from ressourcerie.security import audit, working_site
from ressourcerie.security.access import requires


@bp.app_errorhandler(413)
def upload_too_large(error):
    """A file above MAX_CONTENT_LENGTH: a calm page instead of a bare 413."""
    # The page's own forms read request.form, which would raise 413 again: the body
    # was refused, so the request has no form data.
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    return (
        render_template(
            "errors/error.html",
            code=413,
            title=_("Fichier trop volumineux"),
            message=_(
                "Le fichier dépasse %(size)s Mo. Enregistrez seulement les colonnes utiles, ou "
                "découpez-le en plusieurs fichiers.",
                size=uploads.limit_mb(),
            ),
        ),
        413,
    )


@bp.route("/import", methods=["GET", "POST"])
@requires("reception")
def import_upload():
    sites = staff_sites()
    form = ImportUploadForm(sites=sites, site_id=working_site.working_site_id(sites))
    if form.validate_on_submit():
        site = chosen_site(sites, form.site_id.data)
        upload = form.file.data
        data = upload.read()
        filename = upload.filename or "fichier.csv"
        try:
            import_services.read_table(data, filename)
        except import_services.ImportFileError as error:
            form.file.errors = [str(error)]
        else:
            token = import_services.store_upload(
                data, filename, user_id=current_user.id, site_id=site.id
            )
            return redirect(url_for("members.import_review", token=token))
    return render_template("members/import_upload.html", form=form)


def _load(token: str):
    stored = import_services.load_upload(token, user_id=current_user.id)
    if stored is None:
        flash(_("Ce fichier n'est plus disponible : déposez-le à nouveau."), "warning")
        return None
    data, meta = stored
    sites = staff_sites()
    site = chosen_site(sites, meta["site_id"])
    return data, meta, site


@bp.get("/import/<token>")
@requires("reception")
def import_review(token: str):
    loaded = _load(token)
    if loaded is None:
        return redirect(url_for("members.import_upload"))
    data, meta, site = loaded
    try:
        report = import_services.check(data, meta["filename"], current_user.site_ids)
    except import_services.ImportFileError as error:
        import_services.discard_upload(token)
        return render_template(
            "members/import_review.html", error=str(error), meta=meta, report=None, site=site
        )
    form = ImportConfirmForm(token=token)
    return render_template(
        "members/import_review.html", error=None, meta=meta, report=report, site=site, form=form
    )


@bp.post("/import/<token>")
@requires("reception")
def import_run(token: str):
    form = ImportConfirmForm()
    if not form.validate_on_submit() or form.token.data != token:
        abort(400)
    loaded = _load(token)
    if loaded is None:
        return redirect(url_for("members.import_upload"))
    data, meta, site = loaded
    try:
        created, skipped = import_services.run_import(
            data,
            meta["filename"],
            site=site,
            by=current_user,
            include_duplicates=form.include_duplicates.data,
            site_ids=current_user.site_ids,
        )
    except import_services.ImportFileError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("members.import_review", token=token))
    audit.record(
        "members",
        "people.imported",
        object_type="site",
        object_id=site.id,
        site_id=site.id,
        detail={"created": created, "skipped_duplicates": skipped},
    )
    db.session.commit()
    import_services.discard_upload(token)
    if skipped:
        flash(
            ngettext("%(num)d personne importée", "%(num)d personnes importées", created)
            + " ; "
            + ngettext(
                "%(num)d doublon probable non créé.",
                "%(num)d doublons probables non créés.",
                skipped,
            ),
            "success",
        )
    else:
        flash(
            ngettext("%(num)d personne importée.", "%(num)d personnes importées.", created),
            "success",
        )
    return redirect(url_for("members.import_upload"))
