import { setMaxListeners } from 'node:events';
import { closeAllScratch } from '@aishell/engine';

/**
 * Runs work that holds scratch databases so that Ctrl-C (SIGINT) or SIGTERM cannot leave one behind:
 * the signal aborts the work through `signal`, every scratch database still open is dropped, and the
 * process exits 130 (143 for SIGTERM) with one line on stderr. A second Ctrl-C while dropping exits at once.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // Introspection sends its catalog queries at once, each listening on the signal.
  setMaxListeners(100, controller.signal);
  let stopping = false;
  const onSignal = (name: NodeJS.Signals) => {
    const code = name === 'SIGTERM' ? 143 : 130;
    if (stopping) process.exit(code);
    stopping = true;
    controller.abort(new Error(`interrupted (${name})`));
    void closeAllScratch()
      .catch(() => 0)
      .then((dropped) => {
        // Only said when there were some: `backup create` opens none.
        process.stderr.write(
          `aishell: interrupted${dropped > 0 ? '; the scratch databases were dropped' : ''}\n`,
        );
        process.exit(code);
      });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    if (!stopping) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    } else {
      // The handler exits once the drops are done; nothing after this should print.
      await new Promise(() => {});
    }
  }
}
