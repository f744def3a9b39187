import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConnectionUrlError } from '../../errors.js';

/** What a service entry may set, in libpq's words. */
export interface PgService {
  readonly host?: string;
  readonly port?: string;
  readonly dbname?: string;
  readonly user?: string;
  readonly password?: string;
  readonly sslmode?: string;
  readonly application_name?: string;
}

const KEYS = new Set(['host', 'port', 'dbname', 'user', 'password', 'sslmode', 'application_name']);

/**
 * The parameters of the connection service `name`, found as libpq finds them: the per-user file
 * (`$PGSERVICEFILE`, else `~/.pg_service.conf`), then the system one (`$PGSYSCONFDIR/pg_service.conf`);
 * INI sections `[name]` of `key=value` lines, `#` comments. The first file that has the section wins.
 * Synchronous because URLs are parsed synchronously; a service file is a few lines.
 * Hand-written: pg (node-postgres) does not read service files, and no maintained module does.
 * @throws ConnectionUrlError (`POOL_URL`) when no file defines the service, as psql fails then.
 */
export function pgService(name: string, env: NodeJS.ProcessEnv = process.env): PgService {
  const files = [
    env.PGSERVICEFILE || join(env.HOME || homedir(), '.pg_service.conf'),
    ...(env.PGSYSCONFDIR ? [join(env.PGSYSCONFDIR, 'pg_service.conf')] : []),
  ];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const found = section(text, name);
    if (found) return found;
  }
  throw new ConnectionUrlError('service', `definition of service "${name}" not found (~/.pg_service.conf)`);
}

function section(text: string, name: string): PgService | undefined {
  let inside = false;
  let found: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      if (inside) break;
      inside = line.slice(1, -1).trim() === name;
      if (inside) found = {};
      continue;
    }
    if (!inside || found === undefined) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (KEYS.has(key)) found[key] = line.slice(eq + 1).trim();
  }
  return found;
}
