import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig } from '../../connection-config.js';

/**
 * The ~/.pgpass (or $PGPASSFILE) password for this connection, found as libpq finds it: lines
 * `host:port:database:user:password` with `*` wildcards and `\:` / `\\` escapes, first match wins,
 * and the file is ignored unless no group or other permission is set.
 *
 * Hand-written rather than the `pgpass` module that pg falls back to: that module (1.0.5) lets a later
 * matching line override the first one, prints warnings, and pg's fallback to it is deprecated.
 */
export async function pgpassPassword(
  config: ConnectionConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const file = env.PGPASSFILE || join(homedir(), '.pgpass');
  let content: string;
  try {
    const info = await stat(file);
    if (!info.isFile() || (process.platform !== 'win32' && (info.mode & 0o077) !== 0)) return undefined;
    content = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const user = config.user ?? env.USER ?? '';
  const wanted = [
    !config.host || config.host.startsWith('/') ? 'localhost' : config.host,
    String(config.port ?? 5432),
    config.database ?? user,
    user,
  ];
  for (const line of content.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = splitEntry(line);
    if (fields.length < 5) continue;
    if (wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) return fields[4];
  }
  return undefined;
}

function splitEntry(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) current += line[++i];
    else if (c === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else current += c;
  }
  fields.push(current);
  return fields;
}
