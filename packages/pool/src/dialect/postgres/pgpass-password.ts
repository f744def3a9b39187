import type { ConnectionConfig } from '../../connection-config.js';

/**
 * The ~/.pgpass (or $PGPASSFILE) password for this connection, as libpq finds it: same matching
 * rules, and the file is ignored unless its mode is 0600 or stricter. Uses the `pgpass` module that
 * pg itself uses, called by us because pg's own fallback is deprecated and prints a warning.
 */
export async function pgpassPassword(config: ConnectionConfig): Promise<string | undefined> {
  const { default: pgpass } = await import('pgpass');
  // A library never prints: pgpass would warn on stderr about a group-readable file.
  pgpass.warnTo(null);
  return new Promise((resolve) => {
    pgpass(
      {
        host: config.host ?? 'localhost',
        port: config.port ?? 5432,
        database: config.database ?? config.user ?? process.env.USER ?? '',
        user: config.user ?? process.env.USER ?? '',
      },
      resolve,
    );
  });
}
