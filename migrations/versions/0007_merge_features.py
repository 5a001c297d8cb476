"""merge the feature branches (money, workshops, casework) into one head

Revision ID: 0007_merge_features
Revises: 0004_money, 0005_workshops, 0006_casework
Create Date: 2026-11-22 09:00:00

"""

revision = "0007_merge_features"
down_revision = ("0004_money", "0005_workshops", "0006_casework")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
