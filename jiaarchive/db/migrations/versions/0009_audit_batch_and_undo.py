"""audit log: batch id of bulk changes, and the entry an undo took back

Revision ID: 0009
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('undoes', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_undoes'), ['undoes'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_undoes'))
        batch_op.drop_index(batch_op.f('ix_audit_log_batch'))
        batch_op.drop_column('undoes')
        batch_op.drop_column('batch')
