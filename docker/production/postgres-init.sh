#!/usr/bin/env bash
# Runs once, when the data volume is new (docker-entrypoint-initdb.d): creates rsm_app, the role the
# API connects as. It creates the control, template and tenant databases and one role per studio,
# so it needs CREATEDB and CREATEROLE, and nothing more: no superuser. The password comes from the
# environment (RSM_APP_DB_PASSWORD) and is passed as a psql variable, never spliced into SQL text.
set -euo pipefail
: "${RSM_APP_DB_PASSWORD:?RSM_APP_DB_PASSWORD must be set}"
psql -v ON_ERROR_STOP=1 -v password="$RSM_APP_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE rsm_app LOGIN CREATEDB CREATEROLE PASSWORD :'password';
SQL
