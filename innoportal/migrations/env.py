"""Alembic's env.py for every service: migrate on the connection innoportal.migrate hands over.

Run only by Alembic (innoportal.migrate calls alembic.command with this directory as the script
location and the service's own history as the version location); never imported.
"""

from alembic import context

from innoportal.migrate import configure_context

config = context.config
configure_context(context, config.attributes["connection"], config.attributes["metadata"])
with context.begin_transaction():
    context.run_migrations()
