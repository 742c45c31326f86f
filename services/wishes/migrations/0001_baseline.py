"""The schema of the first release, exactly as create_all made it

Revision ID: 0001
Revises:
Created: 2026-12-02 01:31:48.786690
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
    "outbox",
    "processed_events",
    "wish_accepted_parties",
    "wish_terms",
    "wishes",
)


def upgrade() -> None:
    """The schema of the first release, exactly as create_all made it."""
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
    op.create_table('wish_accepted_parties',
    sa.Column('record_id', sa.String(length=40), nullable=False),
    sa.Column('match_id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=100), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('record_id', 'match_id')
    )
    op.create_table('wishes',
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('title_zh', sa.String(length=200), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('description_zh', sa.Text(), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('categories_csv', sa.String(length=400), nullable=False),
    sa.Column('owner_org', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('budget_hkd', sa.BigInteger(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('venue_note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_wishes_created_at'), 'wishes', ['created_at'], unique=False)
    op.create_index(op.f('ix_wishes_owner_org'), 'wishes', ['owner_org'], unique=False)
    op.create_index('ix_wishes_status_created', 'wishes', ['status', 'created_at'], unique=False)
    op.create_table('wish_terms',
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('record_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['wishes.id'], ),
    sa.PrimaryKeyConstraint('term', 'record_id')
    )
    op.create_index(op.f('ix_wish_terms_term'), 'wish_terms', ['term'], unique=False)


def downgrade() -> None:
    """Undo 0001."""
    op.drop_index(op.f('ix_wish_terms_term'), table_name='wish_terms')
    op.drop_table('wish_terms')
    op.drop_index('ix_wishes_status_created', table_name='wishes')
    op.drop_index(op.f('ix_wishes_owner_org'), table_name='wishes')
    op.drop_index(op.f('ix_wishes_created_at'), table_name='wishes')
    op.drop_table('wishes')
    op.drop_table('wish_accepted_parties')
    op.drop_table('processed_events')
    op.drop_index(op.f('ix_outbox_published_at'), table_name='outbox')
    op.drop_index('ix_outbox_pending', table_name='outbox', sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
