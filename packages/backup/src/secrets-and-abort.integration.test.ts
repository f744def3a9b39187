// While a dump of a database that takes seconds to dump runs, the process table is sampled in a loop:
// the password never appears in any process's arguments; it reaches pg_dump through PGPASSWORD (its
// environment, which only its user can read) and mariadb-dump through a 0600 option file removed
// afterwards. Aborting mid-dump stops the tool and leaves no partial archive.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL, suffix } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase, dumpTool } from './dump-database.js';
import { connectionOf, mysqlDatabase, pgDatabase, type TestDatabase } from './test-support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'aishell-backup-ps-'));
const password = `Secr3t-${suffix()}-pw`;
const role = `aishell_test_h14_role_${suffix()}`;
let pgDb: TestDatabase;
let myDb: TestDatabase;

/** `ps -eo pid,args`, one row per process. */
function processes(): { pid: number; args: string }[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^\s*(\d+)\s(.*)$/.exec(line);
      return { pid: Number(m?.[1]), args: m?.[2] ?? '' };
    });
}

/** Samples the process table every few milliseconds until `done` settles. */
async function sampleWhile(
  done: Promise<unknown>,
  onSample: (rows: { pid: number; args: string }[]) => void,
) {
  let finished = false;
  done.then(
    () => (finished = true),
    () => (finished = true),
  );
  let samples = 0;
  while (!finished) {
    onSample(processes());
    samples++;
    await new Promise((r) => setTimeout(r, 5));
  }
  return samples;
}

beforeAll(async () => {
  pgDb = await pgDatabase();
  await pgDb.run(`create role ${role} login password '${password}'`);
  await pgDb.run(`create table big (id int primary key, body text)`);
  await pgDb.run(
    `insert into big select g, md5(g::text) || md5((g * 7)::text) from generate_series(1, 400000) g`,
  );
  await pgDb.run(`grant select on big to ${role}`);
  myDb = await mysqlDatabase();
  await myDb.run(`create table big (id int primary key, body varchar(80))`);
  await myDb.run(`create user '${role}'@'%' identified by '${password}'`);
  await myDb.run(`grant all on \`${myDb.name}\`.* to '${role}'@'%'`);
  await myDb.run(
    `insert into big select g, concat(md5(g), md5(g * 7)) from (${SQL.mysql.series(300_000)}) s`,
  );
}, 120_000);

afterAll(async () => {
  await pgDb?.run(`drop owned by ${role}`).catch(() => {});
  await pgDb?.close();
  const { default: pg } = await import('pg');
  const { pgUrl } = await import('@aishell/testing');
  const admin = new pg.Client({ connectionString: await pgUrl() });
  await admin.connect();
  await admin.query(`drop role if exists ${role}`);
  await admin.end();
  await myDb?.run(`drop user if exists '${role}'@'%'`).catch(() => {});
  await myDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a dump with a password', () => {
  it('never shows the password in ps while pg_dump runs, and passes it as PGPASSWORD', async () => {
    const connection = connectionOf(pgDb.url.replace('postgres@', `${role}@`), password);
    expect(connection.user).toBe(role);
    const tool = await dumpTool('postgres', { serverVersion: '15', serverVersionNum: 150000 });
    const file = join(dir, 'pg.dump');
    const started = performance.now();
    const dump = dumpDatabase({ connection, file, tool });
    let seenDump = 0;
    let leaked = 0;
    const environments: string[] = [];
    const samples = await sampleWhile(dump, (rows) => {
      for (const row of rows) {
        if (row.args.includes(password)) leaked++;
        if (!row.args.includes(`dbname='${pgDb.name}'`) || !/pg_dump/.test(row.args)) continue;
        seenDump++;
        try {
          environments.push(readFileSync(`/proc/${row.pid}/environ`, 'utf8'));
        } catch {
          // ended between ps and the read
        }
      }
    });
    await dump;
    const seconds = (performance.now() - started) / 1000;
    console.log(`pg_dump ran ${seconds.toFixed(2)} s, ${samples} samples of ps, pg_dump seen in ${seenDump}`);
    expect(seconds).toBeGreaterThan(1);
    expect(seenDump).toBeGreaterThan(10);
    expect(leaked).toBe(0);
    expect(environments.some((e) => e.split('\0').includes(`PGPASSWORD=${password}`))).toBe(true);
    expect(environments.every((e) => e.split('\0').includes(`PGUSER=${role}`))).toBe(true);
  }, 60_000);

  it('never shows the password in ps while mariadb-dump runs; it reads a 0600 option file that is gone afterwards', async () => {
    const connection = connectionOf(myDb.url.replace('root@', `${role}@`), password);
    expect(connection.user).toBe(role);
    const tool = await dumpTool('mysql', { serverVersion: '10.11.19-MariaDB' });
    const file = join(dir, 'my.sql');
    const dump = dumpDatabase({ connection, file, tool });
    let leaked = 0;
    const optionFiles = new Set<string>();
    let modeOk = 0;
    await sampleWhile(dump, (rows) => {
      for (const row of rows) {
        if (row.args.includes(password)) leaked++;
        const m = /--defaults-extra-file=(\S+)/.exec(row.args);
        if (!m?.[1] || !row.args.includes(myDb.name)) continue;
        optionFiles.add(m[1]);
        try {
          if ((statSync(m[1]).mode & 0o777) === 0o600) modeOk++;
        } catch {
          // removed at the end of the dump
        }
      }
    });
    // The server checks it: a dump that succeeds read the password from the option file.
    await dump;
    expect(leaked).toBe(0);
    expect(optionFiles.size).toBe(1);
    expect(modeOk).toBeGreaterThan(0);
    for (const f of optionFiles) expect(existsSync(f)).toBe(false);
  }, 60_000);
});

describe('an aborted dump', () => {
  it('stops pg_dump and removes the partial archive at once', async () => {
    const tool = await dumpTool('postgres', { serverVersion: '15', serverVersionNum: 150000 });
    const file = join(dir, 'aborted.dump.partial');
    const controller = new AbortController();
    const dump = dumpDatabase({
      connection: pgDb.connection,
      file,
      tool,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytes > 1_000_000 && !controller.signal.aborted) {
          controller.abort(new Error('interrupted (SIGINT)'));
          // Synchronously gone, before anything else runs: a CLI may exit right after.
          expect(existsSync(file)).toBe(false);
        }
      },
    });
    await expect(dump).rejects.toMatchObject({
      code: 'BACKUP_ABORTED',
      message: 'the backup stopped: interrupted (SIGINT)',
    });
    expect(readdirSync(dir)).not.toContain('aborted.dump.partial');
    await new Promise((r) => setTimeout(r, 200));
    expect(processes().filter((p) => /pg_dump/.test(p.args) && p.args.includes(pgDb.name))).toEqual([]);
  }, 60_000);
});
