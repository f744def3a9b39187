import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpTool } from './dump-database.js';
import { BackupError } from './errors.js';
import {
  checkMysqlToolVersion,
  checkPgToolVersion,
  checkRestoreToolVersion,
  parseToolVersion,
  pgMajor,
} from './tool-version.js';

const failure = (f: () => unknown): BackupError => {
  try {
    f();
  } catch (error) {
    return error as BackupError;
  }
  throw new Error('expected a failure');
};

describe('parseToolVersion', () => {
  it('reads the versions PostgreSQL, MariaDB and MySQL clients print', () => {
    expect(parseToolVersion('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n')).toEqual({
      version: '15.20',
      parts: [15, 20],
      flavor: 'postgres',
    });
    expect(parseToolVersion('pg_dump (PostgreSQL) 9.6.24')?.parts).toEqual([9, 6, 24]);
    expect(
      parseToolVersion('mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)'),
    ).toMatchObject({ version: '10.11.19', flavor: 'mariadb' });
    expect(
      parseToolVersion('mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'),
    ).toMatchObject({ version: '8.0.36', flavor: 'mysql' });
    expect(parseToolVersion('mysql  Ver 8.4.0 for Linux on x86_64')).toMatchObject({ flavor: 'mysql' });
    expect(parseToolVersion('something else')).toBeUndefined();
  });
});

describe('the client-older-than-server check', () => {
  it('reads PostgreSQL majors from server_version_num, 9.x included', () => {
    expect(pgMajor(150020)).toEqual([15, 0]);
    expect(pgMajor(90624)).toEqual([9, 6]);
  });

  it('refuses a pg_dump older than the server and says what to install', () => {
    const tool = parseToolVersion('pg_dump (PostgreSQL) 15.20');
    if (!tool) throw new Error('unparsed');
    const error = failure(() => checkPgToolVersion('pg_dump', tool, 160004));
    expect(error.code).toBe('BACKUP_TOOL_TOO_OLD');
    expect(error.message).toBe(
      'pg_dump 15.20 is older than the PostgreSQL 16 server: it cannot dump or restore it',
    );
    expect(error.hint).toContain('apt-get install postgresql-client-16');
    expect(() => checkPgToolVersion('pg_dump', tool, 150020)).not.toThrow();
    expect(() => checkPgToolVersion('pg_dump', tool, 90624)).not.toThrow();
  });

  it('refuses a pg_restore older than the pg_dump that wrote the archive', () => {
    const tool = parseToolVersion('pg_restore (PostgreSQL) 15.20');
    if (!tool) throw new Error('unparsed');
    expect(failure(() => checkRestoreToolVersion(tool, '17.2')).code).toBe('BACKUP_TOOL_TOO_OLD');
    expect(() => checkRestoreToolVersion(tool, '15.4')).not.toThrow();
  });

  it('compares MySQL and MariaDB clients within their own family only', () => {
    const mariadb10 = parseToolVersion('mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian');
    const mysql57 = parseToolVersion('mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)');
    if (!mariadb10 || !mysql57) throw new Error('unparsed');
    expect(mysql57).toMatchObject({ version: '5.7.44', flavor: 'mysql' });
    const old = failure(() => checkMysqlToolVersion('mysqldump', mysql57, '8.0.36'));
    expect(old.code).toBe('BACKUP_TOOL_TOO_OLD');
    expect(old.hint).toContain('mysql-client');
    expect(failure(() => checkMysqlToolVersion('mariadb-dump', mariadb10, '11.4.2-MariaDB')).code).toBe(
      'BACKUP_TOOL_TOO_OLD',
    );
    expect(() =>
      checkMysqlToolVersion('mariadb-dump', mariadb10, '10.11.19-MariaDB-0+deb12u1'),
    ).not.toThrow();
    expect(() => checkMysqlToolVersion('mariadb-dump', mariadb10, '8.0.36')).not.toThrow();
  });

  it('finds the tool in AISHELL_BACKUP_BIN before PATH and checks it before anything starts', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'aishell-old-pg-'));
    const fake = join(bin, 'pg_dump');
    writeFileSync(fake, '#!/bin/sh\necho "pg_dump (PostgreSQL) 12.22"\n');
    chmodSync(fake, 0o755);
    const error = await dumpTool('postgres', {
      serverVersion: '15.20',
      serverVersionNum: 150020,
      binDir: bin,
    }).catch((e: unknown) => e as BackupError);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('BACKUP_TOOL_TOO_OLD');
    expect((error as BackupError).message).toContain('pg_dump 12.22');
    const missing = await dumpTool('postgres', {
      serverVersion: '15',
      serverVersionNum: 150000,
      env: { PATH: bin + '/none' },
    }).catch((e: unknown) => e as BackupError);
    expect((missing as BackupError).code).toBe('BACKUP_TOOL_MISSING');
  });
});
