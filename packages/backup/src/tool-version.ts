import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BackupError } from './errors.js';

/** The client programs this package runs. */
export type BackupTool = 'pg_dump' | 'pg_restore' | 'mariadb-dump' | 'mysqldump' | 'mariadb' | 'mysql';

/** A tool's version as it prints it with `--version`. */
export interface ToolVersion {
  /** `15.20`, `10.11.19`, `8.0.36`. */
  readonly version: string;
  /** `[15, 20]`, `[10, 11, 19]`. */
  readonly parts: readonly number[];
  /** The family it belongs to: PostgreSQL's, MariaDB's or MySQL's clients. */
  readonly flavor: 'postgres' | 'mariadb' | 'mysql';
}

/**
 * Parses the first line of `<tool> --version`:
 * `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`, `mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, ...`,
 * `mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)`, `mysql  Ver 8.4.0 for ...`.
 * @returns undefined when the text is none of these
 */
export function parseToolVersion(text: string): ToolVersion | undefined {
  const line = text.split('\n')[0] ?? '';
  const pg = /\(PostgreSQL\)\s+(\d+(?:\.\d+)*)/.exec(line);
  if (pg?.[1]) return version(pg[1], 'postgres');
  const distrib = /Distrib\s+(\d+(?:\.\d+)*)(-MariaDB)?/i.exec(line);
  if (distrib?.[1]) return version(distrib[1], distrib[2] || /mariadb/i.test(line) ? 'mariadb' : 'mysql');
  const ver = /\bVer\s+(\d+(?:\.\d+)*)/.exec(line);
  if (ver?.[1]) return version(ver[1], /mariadb/i.test(line) ? 'mariadb' : 'mysql');
  return undefined;
}

function version(text: string, flavor: ToolVersion['flavor']): ToolVersion {
  return { version: text, parts: text.split('.').map(Number), flavor };
}

/**
 * PostgreSQL's major version from `server_version_num` (150020 -> 15; 90624 -> 9.6, as the 9.x series
 * counted its majors), as a comparable pair.
 */
export function pgMajor(serverVersionNum: number): readonly [number, number] {
  if (serverVersionNum >= 100000) return [Math.floor(serverVersionNum / 10000), 0];
  return [Math.floor(serverVersionNum / 10000), Math.floor(serverVersionNum / 100) % 100];
}

function toolPgMajor(tool: ToolVersion): readonly [number, number] {
  const [a = 0, b = 0] = tool.parts;
  return a >= 10 ? [a, 0] : [a, b];
}

const compare = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

const majorText = (m: readonly [number, number]): string => (m[0] >= 10 ? `${m[0]}` : `${m[0]}.${m[1]}`);

/**
 * pg_dump (or pg_restore) must be at least the server's major version: pg_dump refuses a newer server,
 * and only a newer client knows the newer catalog. Checked before anything starts.
 * @throws BackupError BACKUP_TOOL_TOO_OLD with the package to install
 */
export function checkPgToolVersion(tool: BackupTool, found: ToolVersion, serverVersionNum: number): void {
  const server = pgMajor(serverVersionNum);
  if (compare(toolPgMajor(found), server) >= 0) return;
  const major = majorText(server);
  throw new BackupError(
    'BACKUP_TOOL_TOO_OLD',
    `${tool} ${found.version} is older than the PostgreSQL ${major} server: it cannot dump or restore it`,
    {
      hint:
        `install the PostgreSQL ${major} client (Debian/Ubuntu: apt-get install postgresql-client-${major}, from ` +
        `apt.postgresql.org; Red Hat: dnf install postgresql${major}; macOS: brew install libpq), or point ` +
        `AISHELL_BACKUP_BIN at its bin folder (e.g. /usr/lib/postgresql/${major}/bin)`,
    },
  );
}

/**
 * A pg_restore must read the archive format of the pg_dump that wrote it: one at least as new as it.
 * @throws BackupError BACKUP_TOOL_TOO_OLD
 */
export function checkRestoreToolVersion(found: ToolVersion, dumpedWith: string): void {
  const dumped = parseToolVersion(`(PostgreSQL) ${dumpedWith}`);
  if (!dumped || compare(toolPgMajor(found), toolPgMajor(dumped)) >= 0) return;
  const major = majorText(toolPgMajor(dumped));
  throw new BackupError(
    'BACKUP_TOOL_TOO_OLD',
    `pg_restore ${found.version} is older than the pg_dump ${dumpedWith} that wrote the archive`,
    {
      hint: `install the PostgreSQL ${major} client (Debian/Ubuntu: apt-get install postgresql-client-${major}), or point AISHELL_BACKUP_BIN at its bin folder`,
    },
  );
}

/** The server's flavor and version from MySQL's `SELECT VERSION()` (`10.11.19-MariaDB-0+deb12u1`, `8.0.36`). */
export function parseMysqlServerVersion(text: string): { flavor: 'mariadb' | 'mysql'; parts: number[] } {
  const parts = (/^(\d+(?:\.\d+)*)/.exec(text)?.[1] ?? '0').split('.').map(Number);
  return { flavor: /mariadb/i.test(text) ? 'mariadb' : 'mysql', parts };
}

/**
 * A mariadb-dump/mysqldump of the server's own family must be of at least its major version (a 5.7
 * mysqldump misses 8.0's catalog; MariaDB 10 clients predate 11's). Across families (MariaDB's client
 * on a MySQL server) the versions do not compare and nothing is checked.
 * @throws BackupError BACKUP_TOOL_TOO_OLD
 */
export function checkMysqlToolVersion(tool: BackupTool, found: ToolVersion, serverVersion: string): void {
  const server = parseMysqlServerVersion(serverVersion);
  if (found.flavor !== server.flavor) return;
  const serverMajor = server.parts.slice(0, server.flavor === 'mysql' ? 2 : 1);
  if (compare(found.parts.slice(0, serverMajor.length), serverMajor) >= 0) return;
  const name = server.flavor === 'mariadb' ? 'MariaDB' : 'MySQL';
  const major = serverMajor.join('.');
  throw new BackupError(
    'BACKUP_TOOL_TOO_OLD',
    `${tool} ${found.version} is older than the ${name} ${major} server: it may miss what the server has`,
    {
      hint:
        server.flavor === 'mariadb'
          ? `install MariaDB ${major}'s client (Debian/Ubuntu: apt-get install mariadb-client from the MariaDB ${major} repository), or point AISHELL_BACKUP_BIN at its folder`
          : `install MySQL ${major}'s client (Debian/Ubuntu: apt-get install mysql-client from the MySQL APT repository for ${major}), or point AISHELL_BACKUP_BIN at its folder`,
    },
  );
}

/**
 * Where a tool is: `binDir` first (AISHELL_BACKUP_BIN), then each folder of PATH.
 * @returns the absolute path, or undefined when it is not installed
 */
export function findTool(
  tool: BackupTool,
  options: { binDir?: string; path?: string } = {},
): string | undefined {
  const dirs = [
    ...(options.binDir ? [options.binDir] : []),
    ...(options.path ?? process.env.PATH ?? '').split(delimiter).filter(Boolean),
  ];
  for (const dir of dirs) {
    const file = join(dir, tool);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The first of `tools` installed, with its path and version. */
export async function locateTool(
  tools: readonly BackupTool[],
  options: { binDir?: string; path?: string } = {},
): Promise<{ tool: BackupTool; file: string; version: ToolVersion }> {
  for (const tool of tools) {
    const file = findTool(tool, options);
    if (file === undefined) continue;
    const text = await new Promise<string>((resolve, reject) =>
      execFile(file, ['--version'], { timeout: 10_000 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    ).catch((cause: unknown) => {
      throw new BackupError('BACKUP_TOOL_FAILED', `${file} --version failed`, { cause });
    });
    const version = parseToolVersion(text);
    if (!version)
      throw new BackupError('BACKUP_TOOL_FAILED', `cannot read the version of ${file}: ${text.trim()}`);
    return { tool, file, version };
  }
  const postgres = tools.some((t) => t.startsWith('pg_'));
  throw new BackupError('BACKUP_TOOL_MISSING', `${tools.join(' or ')} is not installed (not on PATH)`, {
    hint: postgres
      ? "install the PostgreSQL client of the server's version (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq), or point AISHELL_BACKUP_BIN at its bin folder"
      : "install the server's client (Debian/Ubuntu: apt-get install mariadb-client, or mysql-client for MySQL), or point AISHELL_BACKUP_BIN at its bin folder",
  });
}
