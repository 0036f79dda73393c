"""add coupons

Revision ID: 9f8e7d6c5b4a
Revises: 3d4e5f6a7b8c
Create Date: 2024-01-15 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "9f8e7d6c5b4a"
down_revision = "3d4e5f6a7b8c"  # expect: multiple-heads
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
