// A step inside advise's transaction that may fail without ending it: a savepoint of its own.
import type { AdviseRun } from './types.js';

/** Runs `fn` in a savepoint; on failure rolls back to it and rethrows, the transaction still usable. */
export async function inSavepoint<T>(run: AdviseRun, fn: () => Promise<T>): Promise<T> {
  await run('SAVEPOINT aishell_advise');
  try {
    const value = await fn();
    await run('RELEASE SAVEPOINT aishell_advise');
    return value;
  } catch (error) {
    await run('ROLLBACK TO SAVEPOINT aishell_advise');
    await run('RELEASE SAVEPOINT aishell_advise');
    throw error;
  }
}
