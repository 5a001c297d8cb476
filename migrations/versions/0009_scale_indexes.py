"""scale indexes: prefix search on people (PostgreSQL pattern_ops), visitors of a site,
access history of an object

Measured on the network-scale data (docs/performance.md, "Indexes and query plans").

Revision ID: 0009_scale_indexes
Revises: 0008_impact
Create Date: 2026-11-22 21:23:13.013450

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_scale_indexes"
down_revision = "0008_impact"
branch_labels = None
depends_on = None

PREFIX_COLUMNS = ("email", "phone_digits", "postcode", "search_last_name", "search_name")


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        for column in PREFIX_COLUMNS:
            batch_op.create_index(
                f"ix_person_{column}_prefix",
                [column],
                unique=False,
                postgresql_ops={column: "varchar_pattern_ops"},
            )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_site_person", ["site_id", "person_id"], unique=False)
    op.create_index(
        "ix_audit_event_object", "audit_event", ["object_type", "object_id", "id"], unique=False
    )


def downgrade():
    op.drop_index("ix_audit_event_object", table_name="audit_event")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_site_person")
    with op.batch_alter_table("person", schema=None) as batch_op:
        for column in reversed(PREFIX_COLUMNS):
            batch_op.drop_index(f"ix_person_{column}_prefix")
