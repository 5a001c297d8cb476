"""Report pages for coordinators: the dashboard and its PDF, CSV and XLSX files."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ressourcerie.columns import local_today
from ressourcerie.extensions import db
from ressourcerie.pdf import pdf_response
from ressourcerie.reports import charts, exports
from ressourcerie.reports.figures import Report, build_report
from ressourcerie.reports.formatting import cell_text
from ressourcerie.reports.forms import ReportForm
from ressourcerie.security import audit
from ressourcerie.security.access import requires
from ressourcerie.security.permissions import can_see_site

bp = Blueprint("reports", __name__, url_prefix="/reports")


def site_scope(user, site_value: str | None) -> tuple[list[int], str]:
    """The sites a report covers and their label; a site the user may not see → 403."""
    sites = sorted(user.sites, key=lambda site: site.name)
    if site_value:
        try:
            site_id = int(site_value)
        except ValueError:
            abort(404)
        if not can_see_site(user, site_id):
            abort(403)
        site = next(site for site in sites if site.id == site_id)
        return [site.id], site.name
    if len(sites) == 1:
        return [sites[0].id], sites[0].name
    return [site.id for site in sites], _(
        "Tous les lieux (%(names)s)", names=", ".join(s.name for s in sites)
    )


def _form() -> ReportForm:
    # A site of someone else is refused before the form would call it an invalid choice.
    site_scope(current_user, request.args.get("site"))
    form = ReportForm(request.args)
    sites = sorted(current_user.sites, key=lambda site: site.name)
    form.site.choices = [SelectChoice("", _("Tous mes lieux"))] + [
        SelectChoice(str(site.id), site.name) for site in sites
    ]
    return form


def _report(form: ReportForm) -> Report:
    site_ids, label = site_scope(current_user, form.site.data)
    return build_report(form.period(local_today()), site_ids, label)


def view_context(report: Report) -> dict:
    return {
        "report": report,
        "chart_for": charts.chart_for,
        "cell_text": cell_text,
        "period_text": exports.period_text(report),
        "edition_text": exports.edition_text(report),
    }


@bp.get("/")
@requires("coordinator")
def index():
    form = _form()
    if not request.args:
        form.preset.data = "last_quarter"
    report = _report(form) if not request.args or form.validate() else None
    context = view_context(report) if report else {}
    if report:
        # The files of exactly this report (a preset is recomputed on the day of download).
        context["download_args"] = {
            "preset": form.preset.data,
            "site": form.site.data or "",
            **(
                {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()}
                if form.preset.data == "custom"
                else {}
            ),
        }
    return render_template("reports/index.html", form=form, **context)


@bp.get("/rapport.<any(pdf, csv, xlsx):file_format>")
@requires("coordinator")
def download(file_format: str):
    form = _form()
    if not form.validate():
        abort(400)
    report = _report(form)
    audit.record(
        "reports",
        "report.exported",
        object_type="report",
        detail={
            "format": file_format,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "sites": report.site_ids,
        },
    )
    db.session.commit()
    if file_format == "pdf":
        return pdf_response(
            "print/report.html",
            exports.file_name(report, "pdf"),
            inline=False,
            **view_context(report),
        )
    if file_format == "csv":
        data, mimetype = exports.to_csv(report), exports.CSV_MIME
    else:
        data, mimetype = exports.to_xlsx(report), exports.XLSX_MIME
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(report, file_format)}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
