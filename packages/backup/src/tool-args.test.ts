import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { quoteOptionValue, withOptionFile } from './option-file.js';
import { mysqlDumpArgs, pgDbnameArg, pgDumpArgs, pgRestoreArgs, pgToolEnv } from './tool-args.js';
import type { BackupConnection } from './types.js';

const password = 'pa ss"wo\\rd';
const connection = (dialect: 'postgres' | 'mysql'): BackupConnection => {
  const c = {
    dialect,
    host: 'db.local',
    port: 5433,
    user: 'ann',
    database: 'shop',
    params: { sslmode: 'require' },
  };
  Object.defineProperty(c, 'password', { value: password, enumerable: false });
  return c as BackupConnection;
};

describe('tool arguments', () => {
  it('never put the password in argv', () => {
    for (const args of [
      pgDumpArgs(connection('postgres'), { snapshot: '00000003-1' }),
      pgRestoreArgs('shop', '/b/x.dump', { jobs: 4, clean: true, noOwner: true }),
      mysqlDumpArgs(connection('mysql'), '/tmp/x/client.cnf'),
    ])
      expect(args.join(' ')).not.toContain('pa ss');
  });

  it('give PostgreSQL tools the connection through libpq variables, PGPASSWORD included', () => {
    const env = pgToolEnv(connection('postgres'), {
      PATH: '/usr/bin',
      PGHOST: 'elsewhere',
      PGSERVICE: 'x',
      PGPASSFILE: '/p',
    });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      PGHOST: 'db.local',
      PGPORT: '5433',
      PGUSER: 'ann',
      PGPASSWORD: password,
      PGSSLMODE: 'require',
      PGPASSFILE: '/p',
    });
    expect(env.PGSERVICE).toBeUndefined();
    expect(pgDumpArgs(connection('postgres'))).toEqual([
      '--format=custom',
      '--verbose',
      '--no-password',
      "--dbname=dbname='shop'",
    ]);
  });

  it('keep a database name that looks like a connection string a name', () => {
    expect(pgDbnameArg("we'ird=db")).toBe("--dbname=dbname='we\\'ird=db'");
  });

  it('put the MySQL option file first and end the options before the database', () => {
    const args = mysqlDumpArgs(connection('mysql'), '/tmp/x/client.cnf');
    expect(args[0]).toBe('--defaults-extra-file=/tmp/x/client.cnf');
    expect(args).toEqual(
      expect.arrayContaining(['--single-transaction', '--routines', '--triggers', '--events']),
    );
    expect(args.slice(-2)).toEqual(['--', 'shop']);
  });
});

describe('withOptionFile', () => {
  it('writes the password to a 0600 file only the work sees, and removes it afterwards', async () => {
    let seen = '';
    await withOptionFile(password, async (file) => {
      if (!file) throw new Error('no file');
      seen = file;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'utf8')).toBe(`[client]\npassword=${quoteOptionValue(password)}\n`);
    });
    expect(() => statSync(seen)).toThrow();
    expect(quoteOptionValue(password)).toBe('"pa ss\\"wo\\\\rd"');
  });

  it('removes the file at once when the signal fires', async () => {
    const controller = new AbortController();
    let seen = '';
    await withOptionFile(
      password,
      async (file) => {
        seen = file ?? '';
        controller.abort();
        expect(() => statSync(seen)).toThrow();
      },
      { signal: controller.signal },
    );
  });

  it('writes nothing without a password', async () => {
    expect(await withOptionFile(undefined, async (file) => file)).toBeUndefined();
  });
});
