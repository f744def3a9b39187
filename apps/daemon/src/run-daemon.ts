import { daemonVersion } from './daemon-version.js';
import { DaemonListenError, DaemonUsageError } from './errors.js';
import { exposedListenWarning, isLoopbackHost } from './listen-address.js';
import { DAEMON_USAGE, parseDaemonArgs } from './parse-daemon-args.js';
import type { DaemonServer } from './server.js';
import type { ServerOptions } from './server-options.js';

/** Exit codes of aishelld (PRODUCT.md's table: 2 usage, 3 cannot listen, 1 unexpected). */
export const DAEMON_EXIT = Object.freeze({ ok: 0, internal: 1, usage: 2, listen: 3 });

/** Longest wait for in-flight requests and sessions to finish after SIGINT/SIGTERM before giving up (exit 1). */
export const SHUTDOWN_TIMEOUT_MILLIS = 30_000;

/**
 * Run aishelld in the foreground: parse argv, build the server, listen until SIGINT or SIGTERM, then
 * stop accepting, finish in-flight requests, close sessions. Resolves with the exit code (0 after a
 * clean shutdown); a second signal exits at once with 1.
 */
export async function runDaemon(argv: readonly string[], options: ServerOptions = {}): Promise<number> {
  let args: ReturnType<typeof parseDaemonArgs>;
  try {
    args = parseDaemonArgs(argv);
  } catch (error) {
    if (!(error instanceof DaemonUsageError)) throw error;
    process.stderr.write(`aishelld: ${error.message} (see aishelld --help)\n`);
    return DAEMON_EXIT.usage;
  }
  if (args.action === 'help') {
    process.stdout.write(`${DAEMON_USAGE}\n`);
    return DAEMON_EXIT.ok;
  }
  if (args.action === 'version') {
    process.stdout.write(`aishelld ${daemonVersion()}\n`);
    return DAEMON_EXIT.ok;
  }
  let app: DaemonServer;
  try {
    // Loaded only now, so that --help and a bad flag answer at once.
    const { buildServer } = await import('./server.js');
    app = await buildServer({ host: args.host, ...options });
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    process.stderr.write(`aishelld: ${String(e.message)}\n`);
    // A token file or a configuration to fix: the person's to correct, as a bad flag is.
    const usage = e.code === 'DAEMON_TOKEN' || e.code === 'DAEMON_CONFIG' || e.code === 'ENGINE_CONFIG';
    return usage ? DAEMON_EXIT.usage : DAEMON_EXIT.internal;
  }
  // Before listening: a signal that comes as soon as the "listening" line is out (a supervisor, a test)
  // must find its handler, or Node's default ends the process without the clean shutdown.
  const signals = waitForSignal(app);
  try {
    await app.listen({
      host: args.host,
      port: args.port,
      listenTextResolver: (address) => `aishelld listening on ${address}`,
    });
  } catch (cause) {
    const error = new DaemonListenError(args.host, args.port, { cause });
    app.log.fatal({ code: error.code, host: args.host, port: args.port }, error.message);
    signals.dispose();
    await app.close();
    return DAEMON_EXIT.listen;
  }
  if (!isLoopbackHost(args.host)) app.log.warn({ host: args.host }, exposedListenWarning(args.host));
  return signals.done;
}

/** SIGINT/SIGTERM handlers that close the server; `done` resolves with the exit code once it is closed. */
function waitForSignal(app: DaemonServer): { done: Promise<number>; dispose: () => void } {
  let handler: ((signal: NodeJS.Signals) => void) | undefined;
  const done = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        app.log.warn({ signal }, 'second signal: exiting at once');
        process.exit(DAEMON_EXIT.internal);
      }
      stopping = true;
      app.log.info({ signal }, 'shutting down: finishing requests in flight, closing sessions');
      const timer = setTimeout(() => {
        app.log.error({ timeoutMillis: SHUTDOWN_TIMEOUT_MILLIS }, 'shutdown timed out');
        resolve(DAEMON_EXIT.internal);
      }, SHUTDOWN_TIMEOUT_MILLIS);
      timer.unref();
      app.close().then(
        () => {
          clearTimeout(timer);
          app.log.info('stopped');
          resolve(DAEMON_EXIT.ok);
        },
        (error: unknown) => {
          clearTimeout(timer);
          app.log.error(
            { err: { message: String((error as { message?: unknown }).message) } },
            'shutdown failed',
          );
          resolve(DAEMON_EXIT.internal);
        },
      );
    };
    handler = stop;
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const dispose = () => {
    if (!handler) return;
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  return { done, dispose };
}
