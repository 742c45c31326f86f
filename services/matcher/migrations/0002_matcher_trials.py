"""matcher_trials: the trials of the matcher's matches

Revision ID: 0002
Revises: 0001
Created: 2026-12-02 01:32:25.944520
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """matcher_trials: the trials of the matcher's matches."""
    op.create_table('matcher_trials',
    sa.Column('trial_id', sa.String(length=40), nullable=False),
    sa.Column('match_id', sa.String(length=40), nullable=False),
    sa.Column('wish_id', sa.String(length=40), nullable=False),
    sa.Column('solution_id', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=True),
    sa.Column('report_version', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('trial_id')
    )
    op.create_index(op.f('ix_matcher_trials_solution_id'), 'matcher_trials', ['solution_id'], unique=False)


def downgrade() -> None:
    """Undo 0002."""
    op.drop_index(op.f('ix_matcher_trials_solution_id'), table_name='matcher_trials')
    op.drop_table('matcher_trials')
