#!/bin/sh
# Runs once, when the postgres container starts on an empty data volume
# (/docker-entrypoint-initdb.d): deploy/postgres/init.sql with the services' password.
# Every service role gets INNOPORTAL_DB_PASSWORD here; a production database gives each its own.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v wishes_password="$INNOPORTAL_DB_PASSWORD" -v solutions_password="$INNOPORTAL_DB_PASSWORD" \
  -v matcher_password="$INNOPORTAL_DB_PASSWORD" -v notifier_password="$INNOPORTAL_DB_PASSWORD" \
  -v trials_password="$INNOPORTAL_DB_PASSWORD" -v portal_password="$INNOPORTAL_DB_PASSWORD" \
  -f /innoportal/init.sql
