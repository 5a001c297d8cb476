"""site contact: postcode and phone, printed on receipts, sheets and programmes

Revision ID: 0012_site_contact
Revises: 0011_phone_tail
Create Date: 2026-11-30 13:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_site_contact"
down_revision = "0011_phone_tail"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("postcode", sa.String(length=10), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("phone", sa.String(length=30), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_column("phone")
        batch_op.drop_column("postcode")
