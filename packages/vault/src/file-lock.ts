import { setTimeout as sleep } from 'node:timers/promises';
import { VaultBusyError, VaultIoError } from './errors.js';

/** How to wait for another process's lock. */
export interface FileLockOptions {
  readonly lockTimeoutMillis: number;
  readonly lockStaleMillis: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Run `fn` while holding the cross-process lock `<file>.lock` (a folder, made with the atomic mkdir that
 * proper-lockfile uses, refreshed while held, taken over when its holder died and it went stale).
 * `fn` receives `assertHeld`, to call just before committing: it throws if the lock was lost meanwhile.
 */
export async function withFileLock<T>(
  file: string,
  options: FileLockOptions,
  fn: (assertHeld: () => void) => Promise<T>,
): Promise<T> {
  // Loaded here, not at the top: proper-lockfile brings graceful-fs, which patches fs when loaded,
  // and every aishell command would pay for that at start-up though only writes take the lock.
  const { default: lockfile } = await import('proper-lockfile');
  const deadline = Date.now() + options.lockTimeoutMillis;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        lockfilePath: `${file}.lock`,
        stale: options.lockStaleMillis,
        retries: 0,
        onCompromised: (error) => {
          compromised = error;
        },
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED')
        throw new VaultIoError(`${file}.lock`, 'lock', error);
      if (Date.now() >= deadline) throw new VaultBusyError(file, error);
      // Jittered short waits: writers hold the lock for a few milliseconds, and jitter keeps
      // several waiting processes from retrying in lockstep.
      // On abort, throw the signal's own reason (as throwIfAborted does), not timers' generic AbortError.
      await sleep(2 + Math.random() * 18, undefined, { signal: options.signal }).catch(() =>
        options.signal?.throwIfAborted(),
      );
    }
  }
  try {
    return await fn(() => {
      if (compromised) throw new VaultBusyError(file, compromised);
    });
  } finally {
    await release().catch(() => undefined);
  }
}
