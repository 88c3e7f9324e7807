"""ocr pages: pages without a text layer and what text recognition read on them

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-07 18:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ocr_pages',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('text', sa.LargeBinary(), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=False),
    sa.Column('engine', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'page')
    )
    with op.batch_alter_table('ocr_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ocr_pages_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ocr_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ocr_pages_status'))
    op.drop_table('ocr_pages')
