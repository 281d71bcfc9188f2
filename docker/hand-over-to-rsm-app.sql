-- Upgrading a stack created before docker/postgres-init.sql (see docker/README.md): run in each of
-- the API's databases as `rsm`, after `ALTER DATABASE … OWNER TO rsm_app`. Hands rsm_app what `rsm`
-- owns in the public schema (tables, views, sequences not owned by a column, types), so it can keep
-- migrating. Not `REASSIGN OWNED BY rsm`: `rsm` is the cluster's bootstrap superuser, and PostgreSQL
-- refuses to reassign its objects ("required by the database system"). Extension members stay.
DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT format('ALTER %s %s OWNER TO rsm_app',
                  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                  c.oid::regclass) AS sql
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       AND c.relowner = current_user::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i', 'e'))
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO rsm_app', t.oid::regtype)
      FROM pg_type t
     WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
       AND t.typowner = current_user::regrole
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE r.sql;
  END LOOP;
END $$;
