"""phone digits: numbers stored as "+33 (0)6…" or "0033 6…" searchable as "06…"

The normalisation rule of `phone_digits()` now turns every French international prefix
into the leading 0; this recomputes the search column of the numbers written before.
The rule is copied here (a migration must not change when the application code does).

Revision ID: 0010_phone_digits
Revises: 0009_scale_indexes
Create Date: 2026-11-30 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_phone_digits"
down_revision = "0009_scale_indexes"
branch_labels = None
depends_on = None

person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    sa.column("phone", sa.String),
    sa.column("phone_digits", sa.String),
)


def _digits(phone):
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    for prefix in ("00330", "0033", "330", "33"):
        rest = digits[len(prefix) :]
        if digits.startswith(prefix) and len(rest) == 9 and rest[0] != "0":
            return "0" + rest
    return digits


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(person.c.id, person.c.phone, person.c.phone_digits).where(
            sa.or_(person.c.phone.like("+33%"), person.c.phone.like("0033%"))
        )
    ).all()
    changes = [
        {"row_id": row.id, "digits": _digits(row.phone)}
        for row in rows
        if _digits(row.phone) != row.phone_digits
    ]
    if changes:
        connection.execute(
            person.update()
            .where(person.c.id == sa.bindparam("row_id"))
            .values(phone_digits=sa.bindparam("digits")),
            changes,
        )


def downgrade():
    pass  # the new digits are a better search key; nothing to undo
