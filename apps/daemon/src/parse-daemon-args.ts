import { parseArgs } from 'node:util';
import { DaemonUsageError } from './errors.js';
import { DEFAULT_LISTEN } from './server-options.js';

/** What `aishelld [--port 7420] [--host 127.0.0.1]` was asked to do. */
export type DaemonArgs =
  | { readonly action: 'run'; readonly host: string; readonly port: number }
  | { readonly action: 'help' }
  | { readonly action: 'version' };

export const DAEMON_USAGE = `usage: aishelld [--port 7420] [--host 127.0.0.1]

Runs the aishell daemon in the foreground (\`aishell daemon start\` runs it in the background).
  --port <n>     TCP port to listen on (0 picks a free one)   default 7420
  --host <addr>  address to listen on                         default 127.0.0.1
  --help         show this help
  --version      print the version

Environment: AISHELL_DAEMON_TOKEN (bearer token; else $XDG_CONFIG_HOME/aishell/daemon-token),
AISHELL_LOG_LEVEL (fatal, error, warn, info, debug, trace, silent; default info),
AISHELL_DAEMON_ALLOW_URLS and AISHELL_DAEMON_ALLOW_FOLDERS (what requests may open besides saved
connections and demo; else the "daemon" section of config.json, see docs/daemon.md).`;

/** Parse aishelld's command line; a bad flag or value throws DaemonUsageError (exit 2). */
export function parseDaemonArgs(argv: readonly string[]): DaemonArgs {
  let values: {
    port?: string | undefined;
    host?: string | undefined;
    help?: boolean | undefined;
    version?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string', short: 'H' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (cause) {
    // parseArgs' messages are one line and name the flag; drop its advice about `--` arguments.
    const message = cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.message) : String(cause);
    throw new DaemonUsageError(message.replace(/\. To specify a positional argument.*$/, ''), { cause });
  }
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };
  let port: number = DEFAULT_LISTEN.port;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) {
      throw new DaemonUsageError(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
    }
    port = Number(values.port);
  }
  const host = values.host ?? DEFAULT_LISTEN.host;
  if (host.trim() === '') throw new DaemonUsageError('--host must not be empty');
  return { action: 'run', host, port };
}
