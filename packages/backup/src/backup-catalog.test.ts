import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupCatalog, newBackupId } from './backup-catalog.js';
import type { BackupEntry } from './types.js';

function entryIn(catalog: BackupCatalog, id: string, createdAt: string): BackupEntry {
  return {
    id,
    path: catalog.archivePath(id, 'sql'),
    engine: 'mysql',
    format: 'sql',
    serverVersion: '10.11.19-MariaDB',
    database: 'shop',
    connection: 'mysql://root@127.0.0.1:3306/shop',
    sizeBytes: 3,
    sha256: 'abc',
    createdAt,
    durationMs: 5,
    tool: 'mariadb-dump',
    toolVersion: '10.11.19',
    tables: [{ name: 'orders', rows: 2 }],
  };
}

describe('BackupCatalog', () => {
  it('makes ids from the database and the time that sort by time and are file names', () => {
    const id = newBackupId('my shop/../db', new Date('2026-01-14T03:15:00.123Z'));
    expect(id).toMatch(/^my_shop_db-20260114T031500Z-[0-9a-f]{4}$/);
  });

  it('lists only committed backups, oldest first, and finds the latest', async () => {
    const catalog = new BackupCatalog(join(mkdtempSync(join(tmpdir(), 'aishell-cat-')), 'backups'));
    expect(await catalog.list()).toEqual([]);
    await catalog.ensure();
    expect(statSync(catalog.dir).mode & 0o777).toBe(0o700);
    for (const [id, at] of [
      ['b', '2026-01-02T00:00:00.000Z'],
      ['a', '2026-01-01T00:00:00.000Z'],
    ] as const) {
      const partial = catalog.partialPath(id, 'sql');
      writeFileSync(partial, 'sql');
      await catalog.commit(entryIn(catalog, id, at), partial, { dialect: 'mysql' });
    }
    // A dump in progress: a partial file with no manifest.
    writeFileSync(catalog.partialPath('c', 'sql'), 'half');
    expect((await catalog.list()).map((e) => e.id)).toEqual(['a', 'b']);
    expect((await catalog.get()).id).toBe('b');
    expect(await catalog.schema('a')).toEqual({ dialect: 'mysql' });
    expect(statSync(join(catalog.dir, 'a.json')).mode & 0o777).toBe(0o600);
    await expect(catalog.get('zzz')).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    await expect(catalog.get('../etc/passwd')).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    await catalog.remove(await catalog.get('a'));
    expect(readdirSync(catalog.dir).sort()).toEqual(['.c.sql.partial', 'b.json', 'b.schema.json', 'b.sql']);
  });

  it('refuses a manifest that is not a backup entry, naming the file', async () => {
    const catalog = new BackupCatalog(mkdtempSync(join(tmpdir(), 'aishell-cat-')));
    writeFileSync(join(catalog.dir, 'x.json'), '{"id": 1}');
    await expect(catalog.list()).rejects.toMatchObject({
      code: 'BACKUP_CATALOG',
      message: expect.stringContaining('x.json'),
    });
  });
});
