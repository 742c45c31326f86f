"""The schema of the first release, exactly as create_all made it

Revision ID: 0001
Revises:
Created: 2026-12-02 01:31:49.446821
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
    "trial_amendments",
    "trial_match_decisions",
    "trial_measurements",
    "trial_reports",
    "trial_transitions",
    "trials",
    "venues",
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
    op.create_table('trial_match_decisions',
    sa.Column('match_id', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('wish', sa.JSON(), nullable=False),
    sa.Column('solution', sa.JSON(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('match_id')
    )
    op.create_table('venues',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('owner_department', sa.String(length=200), nullable=False),
    sa.Column('concurrent', sa.Boolean(), nullable=False),
    sa.Column('booking_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('trials',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('match_id', sa.String(length=64), nullable=False),
    sa.Column('venue_id', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('planned_start', sa.DateTime(), nullable=False),
    sa.Column('planned_end', sa.DateTime(), nullable=False),
    sa.Column('actual_start', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('kpis', sa.JSON(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('termination_reason', sa.Text(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('measurement_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_trials_booking', 'trials', ['venue_id', 'state', 'planned_start', 'planned_end'], unique=False)
    op.create_index(op.f('ix_trials_match_id'), 'trials', ['match_id'], unique=False)
    op.create_index(op.f('ix_trials_state'), 'trials', ['state'], unique=False)
    op.create_table('trial_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trial_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('by_org', sa.String(length=200), nullable=False),
    sa.Column('by_role', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('trial_id', 'seq', name='uq_trial_amendment_seq'),
    sa.ForeignKeyConstraint(['trial_id'], ['trials.id'], )
    )
    op.create_index(op.f('ix_trial_amendments_trial_id'), 'trial_amendments', ['trial_id'], unique=False)
    op.create_table('trial_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trial_id', sa.String(length=64), nullable=False),
    sa.Column('kpi', sa.String(length=120), nullable=False),
    sa.Column('value', sa.Float(precision=53), nullable=False),
    sa.Column('measured_at', sa.DateTime(), nullable=False),
    sa.Column('by_org', sa.String(length=200), nullable=False),
    sa.Column('by_role', sa.String(length=16), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['trial_id'], ['trials.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_trial_measurements_series', 'trial_measurements', ['trial_id', 'kpi', 'measured_at'], unique=False)
    op.create_table('trial_reports',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('trial_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('trial_id', 'version', name='uq_trial_report_version'),
    sa.ForeignKeyConstraint(['trial_id'], ['trials.id'], )
    )
    op.create_index(op.f('ix_trial_reports_published_at'), 'trial_reports', ['published_at'], unique=False)
    op.create_index(op.f('ix_trial_reports_trial_id'), 'trial_reports', ['trial_id'], unique=False)
    op.create_table('trial_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trial_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('by_org', sa.String(length=200), nullable=False),
    sa.Column('by_role', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('trial_id', 'seq', name='uq_trial_transition_seq'),
    sa.ForeignKeyConstraint(['trial_id'], ['trials.id'], )
    )
    op.create_index(op.f('ix_trial_transitions_trial_id'), 'trial_transitions', ['trial_id'], unique=False)


def downgrade() -> None:
    """Undo 0001."""
    op.drop_index(op.f('ix_trial_transitions_trial_id'), table_name='trial_transitions')
    op.drop_table('trial_transitions')
    op.drop_index(op.f('ix_trial_reports_trial_id'), table_name='trial_reports')
    op.drop_index(op.f('ix_trial_reports_published_at'), table_name='trial_reports')
    op.drop_table('trial_reports')
    op.drop_index('ix_trial_measurements_series', table_name='trial_measurements')
    op.drop_table('trial_measurements')
    op.drop_index(op.f('ix_trial_amendments_trial_id'), table_name='trial_amendments')
    op.drop_table('trial_amendments')
    op.drop_index(op.f('ix_trials_state'), table_name='trials')
    op.drop_index(op.f('ix_trials_match_id'), table_name='trials')
    op.drop_index('ix_trials_booking', table_name='trials')
    op.drop_table('trials')
    op.drop_table('venues')
    op.drop_table('trial_match_decisions')
    op.drop_table('processed_events')
    op.drop_index(op.f('ix_outbox_published_at'), table_name='outbox')
    op.drop_index('ix_outbox_pending', table_name='outbox', sqlite_where=sa.text('published_at IS NULL'), postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
