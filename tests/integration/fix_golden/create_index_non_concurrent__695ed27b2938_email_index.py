"""email index

Revision ID: 695ed27b2938
Revises: 
Create Date: 2024-06-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "695ed27b2938"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_users_email", "users", ["email"], postgresql_concurrently=True)  # expect: create-index-non-concurrent


def downgrade():
    pass
