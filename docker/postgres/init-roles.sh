#!/bin/sh
# Runs once, when the postgres image initialises an empty data volume: creates the owner role that
# runs the migrations, the application role with a password, and the database owned by the owner.
# The roles_and_rls migration creates aias_app without a password, and only if it is missing. So
# this script creates it first, with the migration's attributes and a password.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$AIAS_OWNER_PASSWORD" \
  -v app_password="$AIAS_APP_PASSWORD" <<'SQL'
CREATE ROLE aias_owner LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS PASSWORD :'owner_password';
CREATE ROLE aias_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT
  PASSWORD :'app_password';
CREATE DATABASE aias OWNER aias_owner;
SQL
