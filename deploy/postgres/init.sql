-- InnoPortal on PostgreSQL: one login role and one database per service (and the portal, for its
-- accounts and sessions), each the owner
-- of its own database and unable to connect to the others' (services never share a database).
--
-- Run once as a superuser (safe to run again: it only creates what is missing, and resets the
-- passwords to the ones given):
--
--   psql -h db.innoportal.internal -U postgres -d postgres -v ON_ERROR_STOP=1 \
--        -v wishes_password="$(cat /etc/innoportal/secrets/pg-wishes)" \
--        -v solutions_password="..." -v matcher_password="..." \
--        -v notifier_password="..." -v trials_password="..." -v portal_password="..." \
--        -f deploy/postgres/init.sql
--
-- The services create their own tables at start (CREATE TABLE IF NOT EXISTS), so nothing else
-- is needed here. The matching database URLs are in deploy/postgres/database-urls.env.

\set ON_ERROR_STOP on

-- Roles ---------------------------------------------------------------------------------------
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY[
    'innoportal_wishes', 'innoportal_solutions', 'innoportal_matcher',
    'innoportal_notifier', 'innoportal_trials', 'innoportal_portal']) AS r
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

-- Passwords from the psql variables (quoted by psql, never pasted into this file).
ALTER ROLE innoportal_wishes    PASSWORD :'wishes_password';
ALTER ROLE innoportal_solutions PASSWORD :'solutions_password';
ALTER ROLE innoportal_matcher   PASSWORD :'matcher_password';
ALTER ROLE innoportal_notifier  PASSWORD :'notifier_password';
ALTER ROLE innoportal_trials    PASSWORD :'trials_password';
ALTER ROLE innoportal_portal    PASSWORD :'portal_password';

-- Every pooled connection stays in UTC; the services store aware UTC timestamps.
ALTER ROLE innoportal_wishes    SET timezone = 'UTC';
ALTER ROLE innoportal_solutions SET timezone = 'UTC';
ALTER ROLE innoportal_matcher   SET timezone = 'UTC';
ALTER ROLE innoportal_notifier  SET timezone = 'UTC';
ALTER ROLE innoportal_trials    SET timezone = 'UTC';
ALTER ROLE innoportal_portal    SET timezone = 'UTC';

-- Databases (CREATE DATABASE cannot run in a transaction block, hence \gexec) ----------------
-- UTF8 with the C collation: Chinese and English text stored as given, the same order
-- everywhere, no dependence on the host's locales.
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L TEMPLATE template0',
              'innoportal_' || s, 'innoportal_' || s, 'UTF8', 'C', 'C')
FROM unnest(ARRAY['wishes', 'solutions', 'matcher', 'notifier', 'trials', 'portal']) AS s
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'innoportal_' || s)
\gexec

-- Only the owning service (and superusers) may connect to each database.
REVOKE ALL ON DATABASE innoportal_wishes    FROM PUBLIC;
REVOKE ALL ON DATABASE innoportal_solutions FROM PUBLIC;
REVOKE ALL ON DATABASE innoportal_matcher   FROM PUBLIC;
REVOKE ALL ON DATABASE innoportal_notifier  FROM PUBLIC;
REVOKE ALL ON DATABASE innoportal_trials    FROM PUBLIC;
REVOKE ALL ON DATABASE innoportal_portal    FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE innoportal_wishes    TO innoportal_wishes;
GRANT CONNECT, TEMPORARY ON DATABASE innoportal_solutions TO innoportal_solutions;
GRANT CONNECT, TEMPORARY ON DATABASE innoportal_matcher   TO innoportal_matcher;
GRANT CONNECT, TEMPORARY ON DATABASE innoportal_notifier  TO innoportal_notifier;
GRANT CONNECT, TEMPORARY ON DATABASE innoportal_trials    TO innoportal_trials;
GRANT CONNECT, TEMPORARY ON DATABASE innoportal_portal    TO innoportal_portal;

-- The tables go in each database's public schema. PostgreSQL 15+ gives that schema to the
-- database owner already; on older servers, make it so (and take CREATE away from PUBLIC).
\connect innoportal_wishes
ALTER SCHEMA public OWNER TO innoportal_wishes;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\connect innoportal_solutions
ALTER SCHEMA public OWNER TO innoportal_solutions;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\connect innoportal_matcher
ALTER SCHEMA public OWNER TO innoportal_matcher;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\connect innoportal_notifier
ALTER SCHEMA public OWNER TO innoportal_notifier;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\connect innoportal_trials
ALTER SCHEMA public OWNER TO innoportal_trials;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\connect innoportal_portal
ALTER SCHEMA public OWNER TO innoportal_portal;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
