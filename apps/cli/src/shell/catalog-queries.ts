import type { SqlDialect } from '@aishell/engine';

/** What `\l`, `\df` and `\du` list. */
export type CatalogListing = 'databases' | 'functions' | 'roles';

/**
 * The catalog query of each listing per engine, answering from the engine's own catalog (psql's
 * queries, in short, for PostgreSQL; information_schema for MySQL/MariaDB; SQLite's pragmas). A
 * string where the engine has no such thing says so instead.
 */
export const CATALOG_QUERIES: Record<
  CatalogListing,
  Record<SqlDialect, { sql: string } | { none: string }>
> = {
  databases: {
    postgres: {
      sql: `SELECT d.datname AS name, pg_catalog.pg_get_userbyid(d.datdba) AS owner,
  pg_catalog.pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate,
  CASE WHEN pg_catalog.has_database_privilege(d.datname, 'CONNECT')
    THEN pg_catalog.pg_size_pretty(pg_catalog.pg_database_size(d.datname)) ELSE 'no access' END AS size
FROM pg_catalog.pg_database d WHERE NOT d.datistemplate ORDER BY 1`,
    },
    mysql: {
      sql: `SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS encoding, DEFAULT_COLLATION_NAME AS collation
FROM information_schema.SCHEMATA ORDER BY 1`,
    },
    sqlite: { sql: 'SELECT name, file FROM pragma_database_list ORDER BY seq' },
  },
  functions: {
    postgres: {
      sql: `SELECT n.nspname AS schema, p.proname AS name, pg_catalog.pg_get_function_result(p.oid) AS result,
  pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
  CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' ELSE 'func' END AS type
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
ORDER BY 1, 2, 4`,
    },
    mysql: {
      sql: `SELECT r.ROUTINE_SCHEMA AS \`schema\`, r.ROUTINE_NAME AS name, r.DTD_IDENTIFIER AS result,
  (SELECT GROUP_CONCAT(CONCAT_WS(' ', p.PARAMETER_MODE, p.PARAMETER_NAME, p.DTD_IDENTIFIER)
     ORDER BY p.ORDINAL_POSITION SEPARATOR ', ')
   FROM information_schema.PARAMETERS p
   WHERE p.SPECIFIC_SCHEMA = r.ROUTINE_SCHEMA AND p.SPECIFIC_NAME = r.SPECIFIC_NAME AND p.ORDINAL_POSITION > 0)
  AS arguments,
  LOWER(r.ROUTINE_TYPE) AS type
FROM information_schema.ROUTINES r WHERE r.ROUTINE_SCHEMA = DATABASE() ORDER BY 2`,
    },
    sqlite: {
      // SQLite keeps no functions in the database: the ones this build has, built in or registered.
      sql: 'SELECT name, type, narg AS args, builtin FROM pragma_function_list ORDER BY name, narg',
    },
  },
  roles: {
    postgres: {
      sql: `SELECT r.rolname AS role,
  concat_ws(', ', CASE WHEN r.rolsuper THEN 'superuser' END, CASE WHEN r.rolcreaterole THEN 'create role' END,
    CASE WHEN r.rolcreatedb THEN 'create db' END, CASE WHEN NOT r.rolcanlogin THEN 'cannot login' END,
    CASE WHEN r.rolreplication THEN 'replication' END, CASE WHEN r.rolbypassrls THEN 'bypass rls' END) AS attributes,
  (SELECT string_agg(b.rolname, ', ' ORDER BY b.rolname) FROM pg_catalog.pg_auth_members m
     JOIN pg_catalog.pg_roles b ON m.roleid = b.oid WHERE m.member = r.oid) AS member_of
FROM pg_catalog.pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY 1`,
    },
    mysql: { sql: 'SELECT User AS user, Host AS host FROM mysql.user ORDER BY 1, 2' },
    sqlite: { none: 'SQLite has no roles: access is the file permissions of the database file.' },
  },
};

/** The query that lists the database's own functions by name, for completion. */
export const FUNCTION_NAMES_QUERY: Record<SqlDialect, string | undefined> = {
  postgres: `SELECT DISTINCT p.proname AS name FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'`,
  mysql: 'SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()',
  sqlite: undefined,
};
