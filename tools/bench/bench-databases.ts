// What the benches that build a PostgreSQL database of their own share: its URL beside the server's,
// creating it afresh and dropping it (through the server's maintenance database), and the median.
import pg from 'pg';

/** `base` with its database replaced by `database`. */
export function databaseUrl(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs each statement on the `postgres` database of `base`'s server, on one connection. */
export async function onServer(base: string, ...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl(base, 'postgres') });
  await admin.connect();
  try {
    for (const sql of statements) await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Drops `database` (ending its sessions) and creates it empty. */
export function recreateDatabase(base: string, database: string, template = ''): Promise<void> {
  return onServer(
    base,
    `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
    `CREATE DATABASE ${database}${template ? ` TEMPLATE ${template}` : ''}`,
  );
}

/** Drops `database`, ending its sessions. */
export function dropDatabase(base: string, database: string): Promise<void> {
  return onServer(base, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
