// PGlite's own backup: its data folder as a gzipped tarball (dumpDataDir), loaded back with loadDataDir.
// PGlite is one process's embedded database: the caller must have closed every instance on the folder.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { BackupError } from './errors.js';

type PGliteModule = typeof import('@electric-sql/pglite');

async function loadPglite(): Promise<PGliteModule> {
  return import('@electric-sql/pglite');
}

/**
 * Writes the PGlite database in `dir` to `file` (created 0600, must not exist) as PGlite's gzipped
 * data-folder tarball.
 * @returns the archive's sha256 and size, and PGlite's PostgreSQL version
 */
export async function dumpPglite(
  dir: string,
  file: string,
): Promise<{ sha256: string; bytes: number; serverVersion: string }> {
  const { PGlite } = await loadPglite();
  let db: InstanceType<PGliteModule['PGlite']>;
  try {
    db = await PGlite.create(dir);
  } catch (cause) {
    throw new BackupError('BACKUP_TOOL_FAILED', `cannot open the PGlite database ${dir}`, { cause });
  }
  try {
    const version = await db.query<{ server_version: string }>('show server_version');
    const blob = await db.dumpDataDir('gzip');
    const bytes = Buffer.from(await blob.arrayBuffer());
    await writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
    return {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      serverVersion: version.rows[0]?.server_version ?? '',
    };
  } catch (cause) {
    if (cause instanceof BackupError) throw cause;
    throw new BackupError('BACKUP_TOOL_FAILED', `PGlite could not dump ${dir}: ${(cause as Error).message}`, {
      cause,
    });
  } finally {
    await db.close().catch(() => {});
  }
}

/** Creates the PGlite database `dir` (which must not hold one) from an archive of `dumpPglite`. */
export async function loadPgliteArchive(archive: string, dir: string): Promise<void> {
  const { PGlite } = await loadPglite();
  const blob = new Blob([await readFile(archive)]);
  let db: InstanceType<PGliteModule['PGlite']> | undefined;
  try {
    db = await PGlite.create(dir, { loadDataDir: blob });
    await db.query('select 1');
  } catch (cause) {
    throw new BackupError('BACKUP_TOOL_FAILED', `PGlite could not load the archive ${archive}`, { cause });
  } finally {
    await db?.close().catch(() => {});
  }
}
