import type { DatabaseConnection } from './driver/database-connection.js';
import { AbortedError, StatementTimeoutError } from './errors.js';

/**
 * Runs one operation of a connection under a statement timeout and an AbortSignal. When either fires
 * the statement is cancelled on the server; if the statement has not ended `graceMillis` after the
 * cancel was delivered (or the cancel could not be sent), the connection is dropped so nothing hangs. Without signal and timeout it adds nothing (hot path).
 */
export async function runCancellable<T>(
  conn: DatabaseConnection,
  op: () => Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMillis: number,
  graceMillis: number,
): Promise<T> {
  if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
  // SQLite and PGlite run in this process and cannot be interrupted: the checks before and between
  // stream batches are all they get.
  if ((signal === undefined && timeoutMillis <= 0) || !conn.canCancel) return op();
  let reason: 'timeout' | 'abort' | undefined;
  let cancelling: Promise<void> | undefined;
  let grace: NodeJS.Timeout | undefined;
  const trigger = (why: 'timeout' | 'abort') => {
    if (reason !== undefined) return;
    reason = why;
    cancelling = conn.cancel().then(
      // Delivered: the statement should end at once; if it does not (hung network), drop it.
      () => {
        grace = setTimeout(() => conn.destroy(), graceMillis);
      },
      () => conn.destroy(),
    );
  };
  const timer = timeoutMillis > 0 ? setTimeout(() => trigger('timeout'), timeoutMillis) : undefined;
  const onAbort = () => trigger('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await op();
    // Some statements end normally when cancelled (MySQL's SLEEP returns 1 on KILL QUERY): once the
    // deadline or the signal fired, the caller gets the typed error either way.
    if (reason === 'timeout') throw new StatementTimeoutError(timeoutMillis);
    if (reason === 'abort') throw new AbortedError({ cause: signal?.reason });
    return result;
  } catch (err) {
    if (err instanceof StatementTimeoutError || err instanceof AbortedError) throw err;
    if (reason === 'timeout') throw new StatementTimeoutError(timeoutMillis, { cause: err });
    if (reason === 'abort') throw new AbortedError({ cause: err });
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    // The connection goes back to the pool only once the cancel has landed, so that a late cancel
    // can never hit the next statement.
    if (cancelling !== undefined) await cancelling;
    if (grace !== undefined) clearTimeout(grace);
  }
}
