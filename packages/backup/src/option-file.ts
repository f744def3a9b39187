import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An option value as MySQL's option files read it: double-quoted, with backslash, quote and control
 * characters escaped (the client unescapes \\ \" \n \t \r \b \s within quotes).
 */
export function quoteOptionValue(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/**
 * Runs `work` with a MySQL option file (`[client]` with the password) that only this user can read:
 * mode 0600 inside a fresh 0700 folder, removed afterwards whatever happens. The password thus reaches
 * mariadb-dump/mysqldump/mariadb through `--defaults-extra-file`, never argv (MYSQL_PWD is deprecated
 * by MySQL 8). Without a password `work` gets undefined and no file is written. When `signal` fires
 * the file is removed at once, synchronously: a CLI that exits right after Ctrl-C leaves no password behind.
 */
export async function withOptionFile<T>(
  password: string | undefined,
  work: (file: string | undefined) => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<T> {
  if (password === undefined) return work(undefined);
  const dir = await mkdtemp(join(tmpdir(), 'aishell-backup-'));
  const file = join(dir, 'client.cnf');
  const removeNow = () => rmSync(dir, { recursive: true, force: true });
  options.signal?.addEventListener('abort', removeNow, { once: true });
  try {
    await writeFile(file, `[client]\npassword=${quoteOptionValue(password)}\n`, { mode: 0o600, flag: 'wx' });
    return await work(file);
  } finally {
    options.signal?.removeEventListener('abort', removeNow);
    await rm(dir, { recursive: true, force: true });
  }
}
