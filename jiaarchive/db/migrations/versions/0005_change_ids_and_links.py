"""change ids on audit entries, link targets of filed files

Revision ID: 0005
Revises: 0009
Create Date: 2026-12-02 10:00:00

``audit_log.change`` names the change (storage.Change) an entry was written by, so recovery can
ask the database whether an interrupted change committed; ``files.link_target`` keeps where a
filed symbolic link pointed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change', sa.String(length=40), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_audit_log_change'), ['change'], unique=False)
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_target', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.drop_column('link_target')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_change'))
        batch_op.drop_column('change')
