import type { AishellPaths, OpenSessionOptions } from '@aishell/engine';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type { ConnectionAllowlist } from './connection-policy.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /**
   * The bearer token every request but `GET /health` must carry.
   * @default AISHELL_DAEMON_TOKEN, else the token file (created on first start)
   */
  readonly token?: string;
  /** Environment for connections (AISHELL_CONNECTION, PG*, ...), the token and the log level. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** aishell's files (config, token file). @default resolvePaths(env) */
  readonly paths?: AishellPaths;
  /**
   * URLs and folders a request may open besides saved connections and `demo`.
   * @default AISHELL_DAEMON_ALLOW_URLS / AISHELL_DAEMON_ALLOW_FOLDERS, else config.json's `daemon` section, else none
   */
  readonly allow?: ConnectionAllowlist;
  /** Most sessions (connection strings) kept open; the least recently used one closes beyond it. @default 16 */
  readonly maxSessions?: number;
  /** Options of every session's connection pool. @default the pool's defaults */
  readonly pool?: OpenSessionOptions['pool'];
  /** Largest request body accepted, in bytes. @default 1048576 (1 MiB) */
  readonly bodyLimitBytes?: number;
  /** Log level. @default AISHELL_LOG_LEVEL, else `info` */
  readonly logLevel?: LevelWithSilent;
  /** Where JSON log lines go. @default stderr */
  readonly logDestination?: DestinationStream;
  /** Node's process metrics (CPU, memory, event loop, GC) in `/metrics` besides the daemon's own. @default true */
  readonly processMetrics?: boolean;
  /**
   * The address the server will listen on: a non-loopback one is refused unless the token was set up
   * before this start (AISHELL_DAEMON_TOKEN or an existing token file). @default not checked
   */
  readonly host?: string;
  /** Longest a request may run (its statement is cancelled, 504 `DAEMON_TIMEOUT`). @default 120000 */
  readonly requestTimeoutMillis?: number;
  /** Statement shapes followed by the live per-fingerprint windows (GET /v1/metrics). @default 500 */
  readonly maxFingerprints?: number;
}

/** The defaults of {@link ServerOptions}, in one place. */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  maxSessions: 16,
  bodyLimitBytes: 1024 * 1024,
  processMetrics: true,
  requestTimeoutMillis: 120_000,
  /** Longest a client may take to send its whole request (Node answers 408 after it). */
  receiveTimeoutMillis: 30_000,
});

/** Where `aishelld` listens unless told otherwise (PRODUCT.md). */
export const DEFAULT_LISTEN = Object.freeze({ host: '127.0.0.1', port: 7420 });
