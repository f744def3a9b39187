export { bearerMatches } from './bearer-auth.js';
export {
  allowlistFrom,
  type ConnectionAllowlist,
  ConnectionPolicy,
  DAEMON_ALLOW_FOLDERS_ENV,
  DAEMON_ALLOW_URLS_ENV,
} from './connection-policy.js';
export {
  type CreateLoggerOptions,
  createLogger,
  LOG_LEVEL_ENV,
  logLevelFrom,
  serializeError,
  serializeReply,
  serializeRequest,
} from './create-logger.js';
export {
  DaemonMetrics,
  type LiveMetricsDocument,
  type PoolFigures,
  type QueryOutcome,
  type StatementSample,
} from './daemon-metrics.js';
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
  DAEMON_CONNECTION_NOT_ALLOWED,
  DAEMON_INTERNAL,
  DAEMON_NO_SUCH_DATABASE,
  DAEMON_NOT_FOUND,
  DAEMON_SHUTTING_DOWN,
  DAEMON_TIMEOUT,
  DAEMON_UNAUTHORIZED,
  DAEMON_UNSUPPORTED_MEDIA_TYPE,
  type ErrorBody,
  type ErrorReply,
  replyForError,
} from './error-reply.js';
export {
  DaemonBodyTooDeepError,
  DaemonClosedError,
  DaemonConfigError,
  DaemonConnectionNotAllowedError,
  DaemonError,
  DaemonListenError,
  DaemonNoSuchDatabaseError,
  DaemonTokenError,
  DaemonUsageError,
} from './errors.js';
export { assertJsonDepth, MAX_JSON_DEPTH } from './json-body.js';
export { exposedListenWarning, isLoopbackHost } from './listen-address.js';
export { DAEMON_USAGE, type DaemonArgs, parseDaemonArgs } from './parse-daemon-args.js';
export { MAX_PARAMS, type QueryRequest, QueryRequestSchema } from './query-request.js';
export { resultsJson, statementJson, toJson } from './results-json.js';
export { openApiDocument, ROUTES, type RouteDoc } from './route-schemas.js';
export { DAEMON_EXIT, runDaemon, SHUTDOWN_TIMEOUT_MILLIS } from './run-daemon.js';
export { buildServer, connectionLabel, type DaemonServer } from './server.js';
export { DEFAULT_LISTEN, DEFAULT_SERVER_OPTIONS, type ServerOptions } from './server-options.js';
export { type OpenSession, SessionCache, type SessionLease } from './session-cache.js';
