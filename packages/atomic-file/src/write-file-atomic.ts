import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replace `file` with `data` so that a reader sees either the old bytes or the new ones, never a mix,
 * and a crash or power cut leaves one of the two on disk: write a temporary file in the same folder,
 * fsync it, rename it over the target, fsync the folder.
 *
 * Hand-written because write-file-atomic (8.0.0, its latest, read) does not give these guarantees: it
 * does not fsync the folder after the rename, it opens its temporary file with 'w' (following a planted
 * symlink), and it needs Node 22 where we support Node 20.
 * @example await writeFileAtomic(configFile, `${JSON.stringify(config, null, 2)}\n`, 0o600);
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    // 'wx' + mode: the temporary file is born private and never follows a planted symlink.
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined);
  }
}

/** fsync a folder so that a rename inside it is durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows, a few network file systems) cannot fsync a folder; the rename stands.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}
