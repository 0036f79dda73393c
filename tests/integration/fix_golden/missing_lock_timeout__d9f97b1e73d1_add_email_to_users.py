"""add email to users

Revision ID: d9f97b1e73d1
Revises: 
Create Date: 2024-05-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = 'd9f97b1e73d1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.add_column("users", sa.Column("email", sa.Text(), nullable=True))  # expect: missing-lock-timeout
    op.create_index("ix_users_email", "users", ["email"])


def downgrade():
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index("ix_users_email", table_name="users")  # expect: missing-lock-timeout
    op.drop_column("users", "email")
