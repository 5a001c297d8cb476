"""phone digits reversed: find a person by the last digits of their phone number

Revision ID: 0011_phone_tail
Revises: 0010_phone_digits
Create Date: 2026-11-30 12:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_phone_tail"
down_revision = "0010_phone_digits"
branch_labels = None
depends_on = None

person = sa.table(
    "person",
    sa.column("id", sa.Integer),
    sa.column("phone_digits", sa.String),
    sa.column("phone_digits_reversed", sa.String),
)


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phone_digits_reversed", sa.String(length=20), server_default="", nullable=False
            )
        )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.execute(
            person.update()
            .where(person.c.phone_digits != "")
            .values(phone_digits_reversed=sa.func.reverse(person.c.phone_digits))
        )
    else:  # SQLite has no reverse(): in Python, a batch at a time
        rows = connection.execute(
            sa.select(person.c.id, person.c.phone_digits).where(person.c.phone_digits != "")
        ).all()
        if rows:
            connection.execute(
                person.update()
                .where(person.c.id == sa.bindparam("row_id"))
                .values(phone_digits_reversed=sa.bindparam("reversed")),
                [{"row_id": row.id, "reversed": row.phone_digits[::-1]} for row in rows],
            )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_phone_digits_reversed_prefix",
            ["phone_digits_reversed"],
            unique=False,
            postgresql_ops={"phone_digits_reversed": "varchar_pattern_ops"},
        )


def downgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_phone_digits_reversed_prefix")
        batch_op.drop_column("phone_digits_reversed")
