"""Alembic's environment and revision template, shared by every service's history (services/<name>/migrations)."""
