"""The schema of the first release, exactly as create_all made it

Revision ID: 0001
Revises:
Created: 2026-12-02 01:31:49.194719
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
    "digest_entry",
    "email_outbox",
    "email_suppression",
    "fanout_job",
    "notification_item",
    "outbox",
    "processed_events",
    "subscription",
    "subscription_category",
    "subscription_term",
)


def upgrade() -> None:
    """The schema of the first release, exactly as create_all made it."""
    op.create_table('digest_entry',
    sa.Column('subscription_id', sa.String(length=40), nullable=False),
    sa.Column('item_key', sa.String(length=120), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('digest_ref', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('subscription_id', 'item_key')
    )
    op.create_index('ix_digest_entry_open', 'digest_entry', ['subscription_id', 'created_at'], unique=False, sqlite_where=sa.text('digest_ref IS NULL'), postgresql_where=sa.text('digest_ref IS NULL'))
    op.create_table('email_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('recipient_key', sa.String(length=254), nullable=False),
    sa.Column('ref', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('subscription_id', sa.String(length=40), nullable=True),
    sa.Column('item_key', sa.String(length=120), nullable=True),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claim', sa.String(length=40), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recipient_key', 'ref', 'kind', name='uq_email_outbox_key')
    )
    op.create_index('ix_email_outbox_due', 'email_outbox', ['state', 'next_attempt_at'], unique=False)
    op.create_index('ix_email_outbox_sub', 'email_outbox', ['subscription_id', 'state'], unique=False)
    op.create_table('email_suppression',
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('email_key')
    )
    op.create_table('fanout_job',
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('item_key', sa.String(length=120), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('cursor', sa.String(length=40), nullable=False),
    sa.Column('emails', sa.Integer(), nullable=False),
    sa.Column('digest_entries', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_index('ix_fanout_job_open', 'fanout_job', ['done_at', 'created_at'], unique=False)
    op.create_table('notification_item',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('context', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
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
    op.create_table('subscription',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('frequency', sa.String(length=8), nullable=False),
    sa.Column('receive_reports', sa.Boolean(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_subscription_email_key'), 'subscription', ['email_key'], unique=False)
    op.create_index('ix_subscription_reports', 'subscription', ['receive_reports', 'status', 'id'], unique=False)
    op.create_table('subscription_category',
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('subscription_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], ),
    sa.PrimaryKeyConstraint('category', 'subscription_id')
    )
    op.create_index('ix_subscription_category_sub', 'subscription_category', ['subscription_id'], unique=False)
    op.create_table('subscription_term',
    sa.Column('term', sa.String(length=80), nullable=False),
    sa.Column('subscription_id', sa.String(length=40), nullable=False),
    sa.Column('keyword', sa.String(length=80), nullable=False),
    sa.Column('units', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['subscription_id'], ['subscription.id'], ),
    sa.PrimaryKeyConstraint('term', 'subscription_id', 'keyword')
    )
    op.create_index('ix_subscription_term_sub', 'subscription_term', ['subscription_id'], unique=False)


def downgrade() -> None:
    """Undo 0001."""
    op.drop_index('ix_subscription_term_sub', table_name='subscription_term')
    op.drop_table('subscription_term')
    op.drop_index('ix_subscription_category_sub', table_name='subscription_category')
    op.drop_table('subscription_category')
    op.drop_index('ix_subscription_reports', table_name='subscription')
    op.drop_index(op.f('ix_subscription_email_key'), table_name='subscription')
    op.drop_table('subscription')
    op.drop_table('processed_events')
    op.drop_index(op.f('ix_outbox_published_at'), table_name='outbox')
    op.drop_index('ix_outbox_pending', table_name='outbox', sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
    op.drop_table('notification_item')
    op.drop_index('ix_fanout_job_open', table_name='fanout_job')
    op.drop_table('fanout_job')
    op.drop_table('email_suppression')
    op.drop_index('ix_email_outbox_sub', table_name='email_outbox')
    op.drop_index('ix_email_outbox_due', table_name='email_outbox')
    op.drop_table('email_outbox')
    op.drop_index('ix_digest_entry_open', table_name='digest_entry', sqlite_where=sa.text('digest_ref IS NULL'), postgresql_where=sa.text('digest_ref IS NULL'))
    op.drop_table('digest_entry')
