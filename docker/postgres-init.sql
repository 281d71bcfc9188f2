-- Runs once, when the volume is new: the role the API connects as (DATABASE_URL). It creates the
-- control, template and tenant databases and one role per tenant, so it needs CREATEDB and
-- CREATEROLE, and nothing more: no superuser.
CREATE ROLE rsm_app LOGIN CREATEDB CREATEROLE PASSWORD 'rsm_app';
