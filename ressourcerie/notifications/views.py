"""Admins read the stored mails (by default mails are only stored, not sent)."""

from flask import Blueprint, render_template, request
from sqlalchemy import select

from ressourcerie.extensions import db
from ressourcerie.notifications.models import OutboxMessage
from ressourcerie.security.access import requires

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("/")
@requires("admin")
def index():
    page = db.paginate(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=50,
    )
    return render_template("admin/outbox.html", page=page)


@bp.get("/<int:message_id>")
@requires("admin")
def show(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message)
