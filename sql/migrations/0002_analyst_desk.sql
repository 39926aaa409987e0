-- newsetl schema, revision 0002: the analyst's desk.

-- Fuzzy name search (find_entities, sql/views/search.sql) uses pg_trgm when the server ships it
-- (PostgreSQL's contrib: Debian's server, the compose image); the embedded server (pgserver)
-- does not, and find_entities falls back to a trigram similarity written in SQL.
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END IF;
END
$do$;

-- A read-only role for analysts: reads every table and view, writes nothing, creates nothing,
-- and does not read raw_documents' bytes (internal: the fetched payloads, kept for re-parsing).
CREATE FUNCTION newsetl_grant_analyst(role_name text) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', role_name);
    END IF;
    -- Belt and braces: even a grant added by mistake later cannot be used to write.
    EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', role_name);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), role_name);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', role_name);
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', role_name);
    -- PostgreSQL < 15 lets PUBLIC create in schema public; nobody but the owner should here.
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', role_name);
    EXECUTE format('REVOKE SELECT ON raw_documents FROM %I', role_name);
    EXECUTE format('GRANT SELECT (sha256, url, content_type, fetched_at, size) ON raw_documents TO %I',
                   role_name);
    -- Tables added by later migrations (run by this owner) are readable too.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO %I', role_name);
END
$fn$;
COMMENT ON FUNCTION newsetl_grant_analyst(text) IS
  'Create (if needed) a LOGIN role that can read every table and view, write and create nothing, and read raw_documents without its bytes (body_zlib). Run by the database owner: SELECT newsetl_grant_analyst(''analyst''); or newsetl db grant-analyst analyst.';

COMMENT ON COLUMN claim_quantities.category IS 'killed, wounded, arrested, displaced, destroyed, money, percent, time (durations and dates) or other.';
