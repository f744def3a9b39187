import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionUrlError, parseConnectionUrl, redactUrl } from './index.js';

const noEnv = { env: {}, cwd: '/home/ann/work' };

function urlError(fn: () => unknown): ConnectionUrlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConnectionUrlError) return err;
    throw err;
  }
  throw new Error('expected a ConnectionUrlError');
}

describe('parseConnectionUrl', () => {
  it('parses a full postgres URL with its query parameters', () => {
    const c = parseConnectionUrl('postgres://ann:s%40cret@db.example.com:5433/shop?sslmode=require', noEnv);
    expect(c).toMatchObject({
      dialect: 'postgres',
      sqlDialect: 'postgres',
      host: 'db.example.com',
      port: 5433,
      user: 'ann',
      database: 'shop',
      params: { sslmode: 'require' },
    });
    expect(c.password).toBe('s@cret');
  });

  it('accepts postgresql:// as postgres', () => {
    expect(parseConnectionUrl('postgresql://h/db', noEnv).dialect).toBe('postgres');
  });

  it('keeps the password out of enumeration, JSON and inspection', () => {
    const c = parseConnectionUrl('postgres://ann:hunter2@h/db', noEnv);
    expect(Object.keys(c)).not.toContain('password');
    expect(JSON.stringify(c)).not.toContain('hunter2');
    expect(String(Object.entries(c))).not.toContain('hunter2');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('fills what a postgres URL leaves out from the libpq environment, as psql does', () => {
    const env = {
      PGHOST: 'pg.internal',
      PGPORT: '6543',
      PGUSER: 'svc',
      PGPASSWORD: 'envpw',
      PGDATABASE: 'analytics',
      PGSSLMODE: 'verify-full',
    };
    const c = parseConnectionUrl('postgres://', { env });
    expect(c).toMatchObject({
      host: 'pg.internal',
      port: 6543,
      user: 'svc',
      database: 'analytics',
      params: { sslmode: 'verify-full' },
    });
    expect(c.password).toBe('envpw');
  });

  it('lets the URL win over the libpq environment', () => {
    const c = parseConnectionUrl('postgres://ann@h:5432/db', { env: { PGUSER: 'svc', PGHOST: 'x' } });
    expect(c.user).toBe('ann');
    expect(c.host).toBe('h');
  });

  it('takes a unix socket directory from ?host=', () => {
    const c = parseConnectionUrl('postgres:///shop?host=/var/run/postgresql', noEnv);
    expect(c.host).toBe('/var/run/postgresql');
    expect(c.database).toBe('shop');
  });

  it('parses mysql and mariadb URLs with the default port', () => {
    expect(parseConnectionUrl('mysql://root@127.0.0.1/app', noEnv)).toMatchObject({
      dialect: 'mysql',
      sqlDialect: 'mysql',
      port: 3306,
      database: 'app',
    });
    expect(parseConnectionUrl('mariadb://root@h:3307/app', noEnv)).toMatchObject({
      dialect: 'mysql',
      port: 3307,
    });
  });

  it('takes the MySQL password from MYSQL_PWD when the URL has none', () => {
    expect(parseConnectionUrl('mysql://root@h/app', { env: { MYSQL_PWD: 'pw1' } }).password).toBe('pw1');
    expect(parseConnectionUrl('mysql://root:url@h/app', { env: { MYSQL_PWD: 'pw1' } }).password).toBe('url');
    expect(parseConnectionUrl('mysql://root@h/app', { env: { PGPASSWORD: 'x' } }).password).toBeUndefined();
  });

  it('parses the three sqlite forms', () => {
    expect(parseConnectionUrl('sqlite:///var/data/app.db', noEnv)).toMatchObject({
      dialect: 'sqlite',
      path: '/var/data/app.db',
    });
    expect(parseConnectionUrl('sqlite:data/app.db', noEnv).path).toBe('/home/ann/work/data/app.db');
    expect(parseConnectionUrl('sqlite::memory:', noEnv).path).toBe(':memory:');
  });

  it('parses pglite directories and memory, speaking postgres', () => {
    expect(parseConnectionUrl('pglite:///srv/pg', noEnv)).toMatchObject({
      dialect: 'pglite',
      sqlDialect: 'postgres',
      path: '/srv/pg',
    });
    expect(parseConnectionUrl('pglite::memory:', noEnv).path).toBe(':memory:');
  });

  it('names an unknown scheme', () => {
    const err = urlError(() => parseConnectionUrl('oracle://scott:tiger@h/db', noEnv));
    expect(err.code).toBe('POOL_URL');
    expect(err.part).toBe('scheme');
    expect(err.message).toContain('oracle');
    expect(err.message).not.toContain('tiger');
  });

  it('names a bad port without repeating the password', () => {
    const err = urlError(() => parseConnectionUrl('postgres://ann:topsecret@h:54x2/db', noEnv));
    expect(err.part).toBe('port');
    expect(err.message).not.toContain('topsecret');
    expect(JSON.stringify(err)).not.toContain('topsecret');
    expect(err.cause).toBeUndefined();
  });

  it('names a port out of range', () => {
    expect(urlError(() => parseConnectionUrl('mysql://u:pw@h:99999/db', noEnv)).part).toBe('port');
  });

  it('names broken percent-encoding in the password without showing it', () => {
    const err = urlError(() => parseConnectionUrl('postgres://ann:ab%zzcd@h/db', noEnv));
    expect(err.part).toBe('password');
    expect(err.message).not.toContain('ab%zzcd');
  });

  it('names a host given to sqlite', () => {
    const err = urlError(() => parseConnectionUrl('sqlite://server/app.db', noEnv));
    expect(err.part).toBe('host');
  });

  it('names a missing path', () => {
    expect(urlError(() => parseConnectionUrl('sqlite:', noEnv)).part).toBe('path');
  });

  it('names a URL without a scheme', () => {
    expect(urlError(() => parseConnectionUrl('just-a-name', noEnv)).part).toBe('scheme');
  });
});

describe('connection services (pg_service.conf)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aishell-pgservice-'));
  const file = join(dir, 'pg_service.conf');
  writeFileSync(
    file,
    '# services\n[other]\nhost=elsewhere\n\n[shop]\nhost=db.internal\nport=5433\ndbname=shop\nuser=ann\nsslmode=require\n',
  );

  it('fills what the URL leaves out from PGSERVICE, before the other libpq variables', () => {
    const c = parseConnectionUrl('postgres://', {
      env: { PGSERVICE: 'shop', PGSERVICEFILE: file, PGHOST: 'ignored', PGPASSWORD: 'pw' },
    });
    expect(c).toMatchObject({ host: 'db.internal', port: 5433, database: 'shop', user: 'ann' });
    expect(c.params.sslmode).toBe('require');
    expect(c.password).toBe('pw');
  });

  it('takes ?service= from the URL, and the URL still wins over the file', () => {
    const c = parseConnectionUrl('postgres:///?service=shop&user=bob', { env: { PGSERVICEFILE: file } });
    expect(c).toMatchObject({ host: 'db.internal', user: 'bob', database: 'shop' });
    expect(c.params.service).toBeUndefined();
  });

  it('fails as psql does for a service no file defines', () => {
    expect(
      urlError(() => parseConnectionUrl('postgres://', { env: { PGSERVICE: 'nope', PGSERVICEFILE: file } }))
        .message,
    ).toMatch(/service "nope" not found/);
  });
});

describe('redactUrl', () => {
  it('replaces the password', () => {
    expect(redactUrl('postgres://ann:s3cret@db/app')).toBe('postgres://ann:****@db/app');
  });

  it('leaves a URL without password alone', () => {
    expect(redactUrl('postgres://ann@db/app')).toBe('postgres://ann@db/app');
    expect(redactUrl('sqlite:///x.db')).toBe('sqlite:///x.db');
  });

  it('never echoes the password of unparsable input', () => {
    const out = redactUrl('mysql://root:p@ss/w:rd@host:xx/db');
    expect(out).not.toContain('p@ss');
    expect(out).not.toContain('rd@');
    expect(out).toContain('****');
  });

  it('redacts a password query parameter', () => {
    expect(redactUrl('postgres://h/db?user=a&password=zzz')).toBe('postgres://h/db?user=a&password=****');
  });
});
