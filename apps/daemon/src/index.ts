export { bearerMatches } from './bearer-auth.js';
export { createLogger, LOG_LEVEL_ENV, logLevelFrom } from './create-logger.js';
export { DaemonMetrics, type QueryOutcome } from './daemon-metrics.js';
export {
  DAEMON_TOKEN_ENV,
  type DaemonToken,
  MIN_TOKEN_LENGTH,
  type ResolveDaemonTokenOptions,
  resolveDaemonToken,
} from './daemon-token.js';
export { daemonVersion } from './daemon-version.js';
export {
  DAEMON_BAD_REQUEST,
  DAEMON_BODY_TOO_LARGE,
  DAEMON_INTERNAL,
  DAEMON_NOT_FOUND,
  DAEMON_SHUTTING_DOWN,
  DAEMON_UNAUTHORIZED,
  DAEMON_UNSUPPORTED_MEDIA_TYPE,
  type ErrorBody,
  type ErrorReply,
  replyForError,
} from './error-reply.js';
export {
  DaemonClosedError,
  DaemonError,
  DaemonListenError,
  DaemonTokenError,
  DaemonUsageError,
} from './errors.js';
export { DAEMON_USAGE, type DaemonArgs, parseDaemonArgs } from './parse-daemon-args.js';
export { type QueryRequest, QueryRequestSchema } from './query-request.js';
export { resultsJson, statementJson, toJson } from './results-json.js';
export { DAEMON_EXIT, runDaemon, SHUTDOWN_TIMEOUT_MILLIS } from './run-daemon.js';
export { buildServer, type DaemonServer } from './server.js';
export { DEFAULT_LISTEN, DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server-options.js';
export { type OpenSession, SessionCache, type SessionLease } from './session-cache.js';
