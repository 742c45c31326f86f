"""The schema of the first release, exactly as create_all made it

Revision ID: 0001
Revises:
Created: 2026-12-02 01:32:25.888681
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An unversioned database holding all of these tables is this schema, made by the first
# release's create_all: innoportal.migrate stamps it as this revision instead of creating it.
TABLES = (
    "matcher_records",
    "matches",
    "outbox",
    "processed_events",
)


def upgrade() -> None:
    """The schema of the first release, exactly as create_all made it."""
    op.create_table('matcher_records',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'id')
    )
    op.create_index(op.f('ix_matcher_records_updated_at'), 'matcher_records', ['updated_at'], unique=False)
    op.create_table('matches',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('wish_id', sa.String(length=40), nullable=False),
    sa.Column('solution_id', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons_json', sa.Text(), nullable=False),
    sa.Column('wish_json', sa.Text(), nullable=False),
    sa.Column('solution_json', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('wish_id', 'solution_id', name='uq_matches_pair')
    )
    op.create_index(op.f('ix_matches_solution_id'), 'matches', ['solution_id'], unique=False)
    op.create_index(op.f('ix_matches_status'), 'matches', ['status'], unique=False)
    op.create_index(op.f('ix_matches_wish_id'), 'matches', ['wish_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index('ix_outbox_pending', 'outbox', ['id'], unique=False, sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.create_index(op.f('ix_outbox_published_at'), 'outbox', ['published_at'], unique=False)
    op.create_table('processed_events',
    sa.Column('consumer', sa.String(length=120), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'event_id')
    )


def downgrade() -> None:
    """Undo 0001."""
    op.drop_table('processed_events')
    op.drop_index(op.f('ix_outbox_published_at'), table_name='outbox')
    op.drop_index('ix_outbox_pending', table_name='outbox', sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
    op.drop_index(op.f('ix_matches_wish_id'), table_name='matches')
    op.drop_index(op.f('ix_matches_status'), table_name='matches')
    op.drop_index(op.f('ix_matches_solution_id'), table_name='matches')
    op.drop_table('matches')
    op.drop_index(op.f('ix_matcher_records_updated_at'), table_name='matcher_records')
    op.drop_table('matcher_records')
