"""Dated setting values: a value applies from its effective date until the next one."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ressourcerie.columns import UTCDateTime, utcnow
from ressourcerie.extensions import db


class SettingValue(db.Model):
    """One value of a setting from `effective_from` on; past values are kept, so past
    bookings and reports stay true."""

    __tablename__ = "setting_value"
    __table_args__ = (
        UniqueConstraint("key", "effective_from", name="key_effective_from"),
        Index("ix_setting_value_key_effective_from", "key", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(200))  # as text; the registry knows the type
    effective_from: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
