"""The wishes service's schema history (Alembic revisions, applied by innoportal.migrate)."""
