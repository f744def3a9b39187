import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../parse-connection-url.js';
import { pgpassPassword } from './pgpass-password.js';

describe('pgpassPassword', () => {
  let dir: string;
  let saved: string | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aishell-pgpass-'));
    saved = process.env.PGPASSFILE;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.PGPASSFILE;
    else process.env.PGPASSFILE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  function pgpassFile(content: string, mode: number): void {
    const file = join(dir, 'pgpass');
    writeFileSync(file, content);
    chmodSync(file, mode);
    process.env.PGPASSFILE = file;
  }

  it('finds the entry matching host, port, database and user', async () => {
    pgpassFile('other:5432:*:*:wrong\ndb.local:5433:shop:ann:right\n*:*:*:*:fallback\n', 0o600);
    const config = parseConnectionUrl('postgres://ann@db.local:5433/shop', { env: {} });
    expect(await pgpassPassword(config)).toBe('right');
  });

  it('falls back to wildcard entries', async () => {
    pgpassFile('*:*:*:*:fallback\n', 0o600);
    expect(await pgpassPassword(parseConnectionUrl('postgres://bob@h/x', { env: {} }))).toBe('fallback');
  });

  it('ignores a file readable by others, as libpq does, without printing', async () => {
    pgpassFile('*:*:*:*:leaky\n', 0o644);
    expect(await pgpassPassword(parseConnectionUrl('postgres://bob@h/x', { env: {} }))).toBeUndefined();
  });
});

describe('pgpassPassword escapes', () => {
  it('reads escaped colons and backslashes and skips comments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aishell-pgpass-'));
    try {
      const file = join(dir, 'pgpass');
      writeFileSync(file, '# comment\nh:5432:db:ann:a\\:b\\\\c\n');
      chmodSync(file, 0o600);
      const config = parseConnectionUrl('postgres://ann@h/db', { env: {} });
      expect(await pgpassPassword(config, { PGPASSFILE: file })).toBe('a:b\\c');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
