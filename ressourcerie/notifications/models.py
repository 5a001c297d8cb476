"""The outbox table."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # password_reset, booking_confirmed, ...
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        String(12), default="pending", index=True
    )  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optional HTML alternative (newsletters) and extra headers as JSON (List-Unsubscribe).
    body_html: Mapped[str | None] = mapped_column(Text)
    headers_json: Mapped[str | None] = mapped_column(Text)


class Newsletter(db.Model):
    """A newsletter: drafted, previewed, then sent once through the outbox."""

    __tablename__ = "newsletter"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The site whose opted-in people receive it (and people not tied to any site).
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recipients_count: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
