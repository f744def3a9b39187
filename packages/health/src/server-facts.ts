// One query before the checks: the server's version (MariaDB and MySQL differ in their catalogs) and
// the settings that decide which SQL a check uses or whether it can run at all.
import { text } from './row-values.js';
import type { HealthDialect, HealthServer } from './types.js';

export interface ServerFacts extends HealthServer {
  /** PostgreSQL's server_version_num (150020); MySQL/MariaDB and SQLite major * 10000 + minor * 100 + patch (101119, 35302). */
  readonly versionNumber: number;
  /** Settings by lower-case name: PostgreSQL `pg_stat_statements_schema`, `pg_stat_statements_version`;
   * MySQL `performance_schema`, `userstat`, `max_connections`, `information_schema_stats_expiry`. */
  readonly settings: Readonly<Record<string, string>>;
}

export const MARKER = '/* aishell health */';

const PROBE: Record<HealthDialect, string | null> = {
  postgres: `${MARKER}
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num') AS version_num,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'pg_stat_statements') AS pg_stat_statements_schema,
       (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'pg_stat_statements') AS pg_stat_statements_version`,
  mysql: `${MARKER} SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', 'version_comment', 'performance_schema', 'userstat', 'max_connections', 'information_schema_stats_expiry')`,
  sqlite: `${MARKER} SELECT sqlite_version() AS version`,
};

/** The probe's SQL (null: the dialect needs none). */
export function probeSql(dialect: HealthDialect): string | null {
  return PROBE[dialect];
}

/** `10.11.19-MariaDB-0+deb12u1` -> 101119. */
export function mysqlVersionNumber(version: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
}

/** The facts from the probe's rows. */
export function serverFacts(dialect: HealthDialect, rows: readonly Record<string, unknown>[]): ServerFacts {
  if (dialect === 'sqlite') {
    const version = text(rows[0]?.version) ?? '';
    return { flavor: 'sqlite', version, versionNumber: mysqlVersionNumber(version), settings: {} };
  }
  const settings: Record<string, string> = {};
  if (dialect === 'postgres') {
    const row = rows[0] ?? {};
    for (const [k, v] of Object.entries(row)) {
      const t = text(v);
      if (t !== null) settings[k] = t;
    }
    return {
      flavor: 'postgres',
      version: settings.version ?? '',
      versionNumber: Number(settings.version_num ?? 0),
      settings,
    };
  }
  for (const row of rows) {
    const name = text(row.Variable_name ?? row.VARIABLE_NAME ?? row.variable_name);
    const value = text(row.Value ?? row.VARIABLE_VALUE ?? row.value);
    if (name !== null && value !== null) settings[name.toLowerCase()] = value;
  }
  const version = settings.version ?? '';
  const mariadb = /mariadb/i.test(version) || /mariadb/i.test(settings.version_comment ?? '');
  return {
    flavor: mariadb ? 'mariadb' : 'mysql',
    version,
    versionNumber: mysqlVersionNumber(version),
    settings,
  };
}
