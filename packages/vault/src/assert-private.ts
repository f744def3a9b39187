import { stat } from 'node:fs/promises';
import path from 'node:path';
import { VaultInsecureError, VaultIoError, VaultNotFoundError } from './errors.js';

/** Quote a path for the `chmod` a message suggests, only when it needs it. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Refuse a vault whose file or folder other users can reach, or that belongs to someone else, as ssh
 * refuses a private key that others can read. Throws `VaultNotFoundError` when the file is missing.
 * Permission bits are not meaningful on Windows, where only existence is checked.
 */
export async function assertPrivate(vaultPath: string, options: { readonly file: boolean }): Promise<void> {
  const dir = path.dirname(vaultPath);
  await assertPrivateTarget(vaultPath, dir, 0o700);
  if (options.file) await assertPrivateTarget(vaultPath, vaultPath, 0o600);
}

async function assertPrivateTarget(vaultPath: string, target: string, wanted: number): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VaultNotFoundError(vaultPath);
    throw new VaultIoError(target, 'inspect', error);
  }
  if (process.platform === 'win32') return;
  const kind = target === vaultPath ? 'file' : 'folder';
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new VaultInsecureError(
      vaultPath,
      target,
      info.mode,
      `The vault ${kind} ${target} belongs to another user (uid ${info.uid}).`,
      `chown ${uid} ${shellQuote(target)}`,
    );
  }
  if ((info.mode & 0o077) !== 0) {
    const mode = `0${(info.mode & 0o777).toString(8)}`;
    throw new VaultInsecureError(
      vaultPath,
      target,
      info.mode,
      `Permissions ${mode} for the vault ${kind} ${target} are too open.`,
      `chmod ${wanted.toString(8)} ${shellQuote(target)}`,
    );
  }
}
