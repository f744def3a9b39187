// The catalog is a folder: each backup is its archive `<id>.<ext>` and its manifest `<id>.json` (the
// catalog entry), plus `<id>.schema.json` (the schema model read at backup time, for verify). A manifest
// is written last, atomically, after the archive has its final name: an entry always names a whole
// archive, and concurrent writers (the CLI, the daemon's jobs) never rewrite each other's entries.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@aishell/atomic-file';
import { BackupError } from './errors.js';
import { BACKUP_ENGINES, type BackupEntry, type BackupFormat } from './types.js';

/** The file extension of each format. */
export const ARCHIVE_EXTENSION: Readonly<Record<BackupFormat, string>> = {
  'pg_dump-custom': '.dump',
  sql: '.sql',
  sqlite: '.sqlite',
  'pglite-datadir': '.tar.gz',
};

const MANIFEST = '.json';
const SCHEMA = '.schema.json';
/** Ids are file names: what newBackupId makes, and nothing that could leave the folder. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/**
 * A new backup id: the database's name (reduced to file-name characters), the UTC time to the second
 * and 4 random hex digits, e.g. `shop-20260114T031500Z-9f3a`. Ids sort by time within a database.
 */
export function newBackupId(database: string, now: Date = new Date()): string {
  const name =
    database
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^[_-]+/, '')
      .slice(0, 60) || 'db';
  const time = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${name}-${time}-${randomBytes(2).toString('hex')}`;
}

/** The backups in one folder. Nothing is cached: every call reads the folder. */
export class BackupCatalog {
  /** The folder, absolute. */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /** Where an archive lives once complete. */
  archivePath(id: string, format: BackupFormat): string {
    return path.join(this.dir, `${checkId(id)}${ARCHIVE_EXTENSION[format]}`);
  }

  /** Where an archive is written until it is complete (a dot file that `list` never shows). */
  partialPath(id: string, format: BackupFormat): string {
    return path.join(this.dir, `.${checkId(id)}${ARCHIVE_EXTENSION[format]}.partial`);
  }

  /** Creates the folder (0700: archives hold the data) if it is missing. */
  async ensure(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new BackupError('BACKUP_CATALOG', `cannot create the backup folder ${this.dir}`, { cause });
    }
  }

  /** Every backup, oldest first. A folder that does not exist is an empty catalog. */
  async list(): Promise<BackupEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new BackupError('BACKUP_CATALOG', `cannot read the backup folder ${this.dir}`, { cause: error });
    }
    const manifests = names.filter((n) => n.endsWith(MANIFEST) && !n.endsWith(SCHEMA) && !n.startsWith('.'));
    const entries = await Promise.all(manifests.map((n) => this.#read(path.join(this.dir, n))));
    return entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /**
   * One backup by id, or the latest when `id` is undefined.
   * @throws BackupError BACKUP_NOT_FOUND
   */
  async get(id?: string): Promise<BackupEntry> {
    if (id === undefined) {
      const latest = (await this.list()).at(-1);
      if (!latest)
        throw new BackupError('BACKUP_NOT_FOUND', `no backup in ${this.dir}`, {
          hint: 'take one with `aishell backup create -c <connection>`',
        });
      return latest;
    }
    if (!ID_PATTERN.test(id)) throw notFound(id, this.dir);
    try {
      return await this.#read(path.join(this.dir, `${id}${MANIFEST}`));
    } catch (error) {
      if ((error as { cause?: { code?: unknown } }).cause?.code === 'ENOENT') throw notFound(id, this.dir);
      throw error;
    }
  }

  /**
   * Makes a finished backup part of the catalog: its schema model first, then the archive renamed from
   * its partial name, then the manifest, atomically (fsync, rename). Until the last step nothing lists it.
   */
  async commit(entry: BackupEntry, partial: string, schema?: unknown): Promise<BackupEntry> {
    const base = path.join(this.dir, checkId(entry.id));
    try {
      if (schema !== undefined) await writeFileAtomic(`${base}${SCHEMA}`, JSON.stringify(schema), 0o600);
      await rename(partial, entry.path);
      await writeFileAtomic(`${base}${MANIFEST}`, `${JSON.stringify(entry, null, 2)}\n`, 0o600);
    } catch (cause) {
      await rm(`${base}${SCHEMA}`, { force: true }).catch(() => {});
      await rm(entry.path, { force: true, recursive: true }).catch(() => {});
      throw new BackupError('BACKUP_CATALOG', `cannot add ${entry.id} to the catalog in ${this.dir}`, {
        cause,
      });
    }
    return entry;
  }

  /** The schema model recorded with a backup, or undefined for one taken without it. */
  async schema(id: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, `${checkId(id)}${SCHEMA}`), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new BackupError('BACKUP_CATALOG', `cannot read the schema recorded with ${id}`, { cause: error });
    }
  }

  /** Removes a backup: its manifest first (it leaves the catalog at once), then its archive and schema. */
  async remove(entry: BackupEntry): Promise<void> {
    const base = path.join(this.dir, checkId(entry.id));
    try {
      await rm(`${base}${MANIFEST}`, { force: true });
      await rm(entry.path, { force: true, recursive: true });
      await rm(`${base}${SCHEMA}`, { force: true });
    } catch (cause) {
      throw new BackupError('BACKUP_CATALOG', `cannot remove ${entry.id} from ${this.dir}`, { cause });
    }
  }

  /** The archive's size on disk now, or null when it is missing. */
  async sizeOnDisk(entry: BackupEntry): Promise<number | null> {
    try {
      return (await stat(entry.path)).size;
    } catch {
      return null;
    }
  }

  async #read(file: string): Promise<BackupEntry> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new BackupError('BACKUP_CATALOG', `cannot read the catalog entry ${file}`, { cause });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new BackupError('BACKUP_CATALOG', `the catalog entry ${file} is not valid JSON`, { cause });
    }
    if (!isEntry(value))
      throw new BackupError('BACKUP_CATALOG', `the catalog entry ${file} is not a backup entry`);
    return value;
  }
}

function checkId(id: string): string {
  if (!ID_PATTERN.test(id))
    throw new BackupError('BACKUP_BAD_OPTION', `not a backup id: ${JSON.stringify(id)}`);
  return id;
}

function notFound(id: string, dir: string): BackupError {
  return new BackupError('BACKUP_NOT_FOUND', `no backup ${id} in ${dir}`, {
    hint: 'list them with `aishell backup list`',
  });
}

function isEntry(value: unknown): value is BackupEntry {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    ID_PATTERN.test(e.id) &&
    typeof e.path === 'string' &&
    typeof e.engine === 'string' &&
    (BACKUP_ENGINES as readonly string[]).includes(e.engine) &&
    typeof e.format === 'string' &&
    Object.hasOwn(ARCHIVE_EXTENSION, e.format) &&
    typeof e.sha256 === 'string' &&
    typeof e.sizeBytes === 'number' &&
    typeof e.createdAt === 'string' &&
    Array.isArray(e.tables)
  );
}
