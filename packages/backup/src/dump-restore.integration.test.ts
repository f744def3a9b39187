// Every engine dumped and restored through this package on the real servers (PostgreSQL 15, MariaDB,
// a SQLite file, a PGlite folder), the row counts compared; the tools' failures and Ctrl-C's cleanup.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase, dumpTool } from './dump-database.js';
import { restoreArchive } from './restore-archive.js';
import { compareRowCounts, countObjects, countRows } from './row-counts.js';
import { sha256File } from './sha256-file.js';
import { mysqlDatabase, pgDatabase, sqliteRun, type TestDatabase } from './test-support/servers.js';
import type { BackupConnection } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'aishell-backup-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serverVersion(db: TestDatabase, engine: 'postgres' | 'mysql') {
  if (engine === 'postgres') {
    const { rows } = await db.run('select current_setting($1) as v, current_setting($2)::int as n', [
      'server_version',
      'server_version_num',
    ]);
    return { serverVersion: String(rows[0]?.v), serverVersionNum: Number(rows[0]?.n) };
  }
  const { rows } = await db.run('select version() as v');
  return { serverVersion: String(rows[0]?.v) };
}

describe.each(['postgres', 'mysql'] as const)('a %s server database', (engine) => {
  let source: TestDatabase;
  let target: TestDatabase;
  const open = engine === 'postgres' ? pgDatabase : mysqlDatabase;

  beforeAll(async () => {
    source = await open();
    target = await open();
    const serial = engine === 'postgres' ? 'serial primary key' : 'int auto_increment primary key';
    await source.run(`create table customers (id ${serial}, name varchar(40) not null)`);
    await source.run(
      'create table orders (id int primary key, customer_id int not null references customers (id), total decimal(10, 2))',
    );
    await source.run('create view big_orders as select * from orders where total > 100');
    for (let i = 1; i <= 30; i++) await source.run(`insert into customers (name) values ('c${i}')`);
    await source.run(`insert into orders select id, id, id * 7.5 from customers where id <= 25`);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('dumps with its tool, hashes what it wrote, restores into an empty database with the same counts', async () => {
    const tables = await countRows(source.run, engine);
    expect(tables).toEqual([
      { name: engine === 'postgres' ? 'public.customers' : 'customers', rows: 30 },
      { name: engine === 'postgres' ? 'public.orders' : 'orders', rows: 25 },
    ]);
    const tool = await dumpTool(engine, await serverVersion(source, engine));
    expect(tool.tool).toBe(engine === 'postgres' ? 'pg_dump' : 'mariadb-dump');
    const file = join(dir, `${engine}.archive`);
    const progress: number[] = [];
    const dumped = await dumpDatabase({
      connection: source.connection,
      file,
      tool,
      tablesTotal: tables.length,
      onProgress: (p) => progress.push(p.tablesDone),
    });
    expect(dumped.format).toBe(engine === 'postgres' ? 'pg_dump-custom' : 'sql');
    expect(await sha256File(file)).toEqual({ sha256: dumped.sha256, bytes: dumped.sizeBytes });
    expect(Math.max(...progress)).toBe(2);

    expect(await countObjects(target.run, engine)).toBe(0);
    await restoreArchive({
      entry: {
        format: dumped.format,
        tool: tool.tool,
        toolVersion: tool.toolVersion,
        serverVersion: (await serverVersion(source, engine)).serverVersion,
        tables,
      },
      archive: file,
      target: target.connection,
    });
    expect(compareRowCounts(tables, await countRows(target.run, engine))).toEqual([]);
    expect(await countObjects(target.run, engine)).toBeGreaterThanOrEqual(3);
  });

  it('reports a tool that fails with its own words and leaves no partial archive', async () => {
    const tool = await dumpTool(engine, await serverVersion(source, engine));
    const file = join(dir, `${engine}-missing.archive`);
    const missing: BackupConnection = { ...source.connection, database: 'aishell_test_h14_does_not_exist' };
    const error = await dumpDatabase({ connection: missing, file, tool }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BACKUP_TOOL_FAILED' });
    expect((error as Error).message).toMatch(/exited with status \d+: .*(does not exist|Unknown database)/);
    expect(readdirSync(dir)).not.toContain(`${engine}-missing.archive`);
  });
});

describe('a SQLite file', () => {
  it('is copied by VACUUM INTO and restored into place, a WAL of the replaced file removed', async () => {
    const sourceFile = join(dir, 'source.db');
    const source = sqliteRun(sourceFile);
    await source.run('create table notes (id integer primary key, body text)');
    await source.run("insert into notes (body) select 'n' || value from json_each('[1,2,3,4,5]')");
    const tables = await countRows(source.run, 'sqlite');
    expect(tables).toEqual([{ name: 'notes', rows: 5 }]);
    const file = join(dir, 'sqlite.archive');
    const tool = await dumpTool('sqlite', { serverVersion: '3' });
    const dumped = await dumpDatabase({
      connection: { dialect: 'sqlite', path: sourceFile, params: {} },
      file,
      tool,
      run: source.run,
    });
    source.close();
    expect((await sha256File(file)).sha256).toBe(dumped.sha256);

    const targetFile = join(dir, 'target.db');
    const existing = sqliteRun(targetFile);
    await existing.run('create table other (x)');
    existing.close();
    const entry = { format: dumped.format, tool: tool.tool, toolVersion: '3', serverVersion: '3', tables };
    const target: BackupConnection = { dialect: 'sqlite', path: targetFile, params: {} };
    await expect(restoreArchive({ entry, archive: file, target })).rejects.toMatchObject({
      code: 'BACKUP_TARGET_NOT_EMPTY',
    });
    await restoreArchive({ entry, archive: file, target, replace: true });
    const restored = sqliteRun(targetFile);
    expect(await countRows(restored.run, 'sqlite')).toEqual(tables);
    restored.close();
  });
});

describe('a PGlite folder', () => {
  it('is dumped with its own dumpDataDir and loaded back into a new folder', async () => {
    const sourceDir = join(dir, 'pglite-source');
    const db = await PGlite.create(sourceDir);
    await db.exec('create table items (id int primary key); insert into items select generate_series(1, 42)');
    await db.close();
    const file = join(dir, 'pglite.archive');
    const connection: BackupConnection = { dialect: 'pglite', path: sourceDir, params: {} };
    const tool = await dumpTool('pglite', { serverVersion: '17' });
    const dumped = await dumpDatabase({ connection, file, tool });
    expect(dumped.format).toBe('pglite-datadir');
    expect((await sha256File(file)).sha256).toBe(dumped.sha256);
    const targetDir = join(dir, 'pglite-target');
    await restoreArchive({
      entry: { format: dumped.format, tool: tool.tool, toolVersion: '', serverVersion: '', tables: [] },
      archive: file,
      target: { dialect: 'pglite', path: targetDir, params: {} },
    });
    const restored = await PGlite.create(targetDir);
    expect((await restored.query('select count(*)::int as n from items')).rows).toEqual([{ n: 42 }]);
    await restored.close();
  });

  it('refuses an archive of another engine, saying where it restores', async () => {
    await expect(
      restoreArchive({
        entry: { format: 'pglite-datadir', tool: '', toolVersion: '', serverVersion: '', tables: [] },
        archive: '/nonexistent',
        target: { dialect: 'postgres', database: 'x', params: {} },
      }),
    ).rejects.toMatchObject({
      code: 'BACKUP_BAD_OPTION',
      message: 'a pglite-datadir archive restores into pglite, not into postgres',
    });
  });
});
