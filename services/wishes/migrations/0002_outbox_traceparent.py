"""outbox_traceparent: the W3C traceparent kept with each staged event

Revision ID: 0002
Revises: 0001
Created: 2026-12-02 01:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """outbox_traceparent: the W3C traceparent kept with each staged event."""
    # batch_alter_table: SQLite cannot drop a column in place (downgrade); harmless elsewhere.
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('traceparent', sa.String(length=55), nullable=True))


def downgrade() -> None:
    """Undo 0002."""
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('traceparent')
