#!/bin/bash
# Creates the news database and its owner next to Airflow's metadata database (docker compose only).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v news_password="${NEWS_DB_PASSWORD:-news}" <<'SQL'
CREATE ROLE news LOGIN PASSWORD :'news_password';
CREATE DATABASE news OWNER news;
SQL
