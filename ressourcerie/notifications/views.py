"""Admins read the stored mails (by default mails are only stored, not sent) and ask
for a failed one to be tried again."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ressourcerie.extensions import db
from ressourcerie.notifications import services
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security import audit
from ressourcerie.security.access import requires

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("/")
@requires("admin")
def index():
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in (services.PENDING, services.SENT, services.FAILED):
        query = query.where(OutboxMessage.status == status)
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=50)
    failed = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.status == services.FAILED)
    )
    return render_template(
        "admin/outbox.html",
        page=page,
        status=status,
        failed_count=failed,
        sending_enabled=services.sending_enabled(),
    )


@bp.get("/<int:message_id>")
@requires("admin")
def show(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template(
        "admin/outbox_message.html", message=message, body=services.mask_secrets(message.body_text)
    )


@bp.post("/<int:message_id>/retry")
@requires("admin")
def retry(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if message.status != services.SENT:
        services.retry_now(message)
        audit.record("security", "outbox.retry", object_type="outbox_message", object_id=message.id)
        db.session.commit()
        flash(_("Le message sera renvoyé au prochain passage de l'envoi."), "success")
    return redirect(url_for("outbox.show", message_id=message.id))
