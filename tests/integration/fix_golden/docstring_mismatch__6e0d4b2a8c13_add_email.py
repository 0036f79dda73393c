"""add email to accounts

Revision ID: 6e0d4b2a8c13
Revises: 1975ea83b712
Create Date: 2019-06-12 08:02:11.402117

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6e0d4b2a8c13'
down_revision = '1975ea83b712'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('accounts', sa.Column('email', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('accounts', 'email')
