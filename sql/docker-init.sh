#!/bin/bash
# Creates the news database and its owner next to Airflow's metadata database (docker compose only).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v news_password="${NEWS_DB_PASSWORD:-news}" -v analyst_password="${ANALYST_DB_PASSWORD:-analyst}" <<'SQL'
CREATE ROLE news LOGIN PASSWORD :'news_password';
-- Read-only for analysts; airflow-init grants it the tables (newsetl db grant-analyst analyst).
CREATE ROLE analyst LOGIN PASSWORD :'analyst_password';
CREATE DATABASE news OWNER news;
SQL
