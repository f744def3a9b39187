import type { AishellErrorCode } from '@aishell/engine';
/** The body of every error answer: `{ "error": { "code", "message", ... } }` (PRODUCT.md). */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly hint?: string;
    readonly sqlState?: string;
    readonly risk?: string;
    readonly reasons?: readonly string[];
  };
}

/** An HTTP status and the body to answer with. */
export interface ErrorReply {
  readonly status: number;
  readonly body: ErrorBody;
}

// Codes the daemon answers with itself (besides the engine's and the packages' own codes).
export const DAEMON_BAD_REQUEST = 'DAEMON_BAD_REQUEST';
export const DAEMON_UNAUTHORIZED = 'DAEMON_UNAUTHORIZED';
export const DAEMON_NOT_FOUND = 'DAEMON_NOT_FOUND';
export const DAEMON_BODY_TOO_LARGE = 'DAEMON_BODY_TOO_LARGE';
export const DAEMON_UNSUPPORTED_MEDIA_TYPE = 'DAEMON_UNSUPPORTED_MEDIA_TYPE';
export const DAEMON_SHUTTING_DOWN = 'DAEMON_SHUTTING_DOWN';
export const DAEMON_INTERNAL = 'DAEMON_INTERNAL';
export const DAEMON_TIMEOUT = 'DAEMON_TIMEOUT';
export const DAEMON_CONNECTION_NOT_ALLOWED = 'DAEMON_CONNECTION_NOT_ALLOWED';
export const DAEMON_NO_SUCH_DATABASE = 'DAEMON_NO_SUCH_DATABASE';

/**
 * The HTTP status of every error code of every package. A Record over the union: a code added to a
 * package does not compile until its status is decided here (docs/development.md, "A new error code").
 * 400: the request cannot be served as asked (unknown connection, malformed URL, bad combination, a vault
 * this daemon cannot open); 422: refused by the guard; 502: the upstream database (or its parser) failed
 * or refused — the daemon is a gateway; 503: a session closed under the request (shutdown); 500: a bug,
 * answered without internals.
 */
const STATUS: Readonly<Record<AishellErrorCode, number>> = {
  ENGINE_USAGE: 400,
  ENGINE_UNKNOWN_CONNECTION: 400,
  ENGINE_CONFIG: 400,
  ENGINE_ABORTED: 400,
  SAFETY_REFUSED: 422,
  SAFETY_READ_ONLY: 422,
  CACHE_NOT_CONFIGURED: 500,
  SQL_PARSE: 502,
  SQL_FORMAT: 500,
  SQL_ABORTED: 500,
  SQL_PARSER_NOT_LOADED: 500,
  POOL_URL: 400,
  POOL_CONNECT: 502,
  POOL_AUTH: 502,
  POOL_ACQUIRE_TIMEOUT: 502,
  POOL_CONNECTION_LOST: 502,
  POOL_QUERY: 502,
  POOL_TIMEOUT: 502,
  POOL_ABORTED: 502,
  POOL_CLOSED: 503,
  // The daemon's cache is optional: its failures are worked around, never thrown at a request.
  CACHE_UNAVAILABLE: 500,
  CACHE_COMMAND: 500,
  CACHE_INVALID_ARGUMENT: 500,
  CACHE_ABORTED: 500,
  CACHE_CLOSED: 500,
  METRICS_INVALID_ARGUMENT: 500,
  // POST /v1/ask: a question the translator does not understand well enough, or a request to change data.
  NL_NO_TRANSLATION: 422,
  NL_UNSAFE_OUTPUT: 422,
  NL_PROBE: 500,
  NL_ABORTED: 500,
  NL_PROVIDER_NO_KEY: 500,
  NL_PROVIDER_AUTH: 500,
  NL_PROVIDER_UNREACHABLE: 500,
  NL_PROVIDER_TIMEOUT: 500,
  NL_PROVIDER_RATE_LIMITED: 500,
  NL_PROVIDER_FAILED: 500,
  NL_PROVIDER_REJECTED: 500,
  DEMO_OPTIONS: 500,
  DEMO_SEED: 500,
  VAULT_LOCKED: 400,
  VAULT_TAMPERED: 400,
  VAULT_INSECURE: 400,
  VAULT_NOT_FOUND: 400,
  VAULT_KEYCHAIN_UNAVAILABLE: 400,
  VAULT_UNSUPPORTED_VERSION: 400,
  VAULT_ENTRY_NOT_FOUND: 400,
  VAULT_BUSY: 500,
  VAULT_IO: 500,
  VAULT_ENTRY_EXISTS: 500,
  VAULT_BAD_PASSWORD: 500,
  VAULT_EXISTS: 500,
  VAULT_BAD_NAME: 500,
  VAULT_BAD_OPTIONS: 500,
  VAULT_CLOSED: 500,
  // POST /v1/health: a check or threshold the request names that does not exist; a check's query failed.
  HEALTH_UNKNOWN_CHECK: 400,
  HEALTH_UNKNOWN_THRESHOLD: 400,
  HEALTH_BAD_THRESHOLD: 400,
  HEALTH_BAD_OPTION: 400,
  HEALTH_QUERY_FAILED: 502,
  HEALTH_ABORTED: 502,
  // POST /v1/explain: the server's plan could not be read, or the engine has none aishell reads.
  PLAN_PARSE: 502,
  PLAN_UNSUPPORTED: 400,
  // Nor lints migrations, diffs schemas or opens scratch databases.
  LINT_UNKNOWN_RULE: 500,
  LINT_BAD_OPTION: 500,
  LINT_ABORTED: 500,
  SCHEMA_LOAD: 500,
  SCHEMA_INTROSPECTION: 500,
  SCHEMA_UNSUPPORTED: 500,
  SCHEMA_BAD_OPTION: 500,
  SCHEMA_ABORTED: 500,
  ENGINE_SCRATCH_COPY: 500,
  // Nor advises on indexes.
  ADVISE_BAD_OPTION: 500,
  ADVISE_NO_STATEMENTS: 500,
  ADVISE_TOP_UNSUPPORTED: 500,
  ADVISE_NO_STATEMENT_STATS: 500,
  ADVISE_ABORTED: 500,
  // Backups run as scheduled jobs (backup-scheduler.ts), never for a request.
  BACKUP_TOOL_MISSING: 500,
  BACKUP_TOOL_TOO_OLD: 500,
  BACKUP_TOOL_FAILED: 500,
  BACKUP_NOT_FOUND: 500,
  BACKUP_CHECKSUM: 500,
  BACKUP_VERIFY_MISMATCH: 500,
  BACKUP_TARGET_NOT_EMPTY: 500,
  BACKUP_CATALOG: 500,
  BACKUP_BAD_OPTION: 500,
  BACKUP_ABORTED: 500,
};
// The daemon's own codes that reach replyForError from below (the others it answers with directly).
const DAEMON_STATUS: Readonly<Record<string, number>> = {
  [DAEMON_CONNECTION_NOT_ALLOWED]: 403,
  [DAEMON_NO_SUCH_DATABASE]: 400,
  [DAEMON_SHUTTING_DOWN]: 503,
};
// The request names a saved connection whose password is in a vault this daemon cannot open.
const VAULT_UNAVAILABLE = new Set<string>([
  'VAULT_LOCKED',
  'VAULT_NOT_FOUND',
  'VAULT_TAMPERED',
  'VAULT_INSECURE',
  'VAULT_UNSUPPORTED_VERSION',
  'VAULT_KEYCHAIN_UNAVAILABLE',
]);

/** The status of an error code, 500 for one no package or the daemon defines. */
export function statusOf(code: string | undefined): number {
  if (code === undefined) return 500;
  if (Object.hasOwn(STATUS, code)) return STATUS[code as AishellErrorCode];
  return Object.hasOwn(DAEMON_STATUS, code) ? (DAEMON_STATUS[code] as number) : 500;
}

const NOT_ALLOWED_HINT =
  'name a saved connection (aishell connect <url> --name <name>), or allow the URL in the "daemon" section ' +
  'of config.json ("allowUrls" for servers, "allowFolders" for SQLite and PGlite files) and restart aishelld';
const VAULT_HINT =
  'aishelld unlocks the vault with AISHELL_VAULT_PASSWORD in its environment (or the OS keychain with ' +
  'AISHELL_VAULT_KEYCHAIN=1); restart it with one, or use a URL';

export function errorReply(
  status: number,
  code: string,
  message: string,
  extra: Omit<ErrorBody['error'], 'code' | 'message'> = {},
): ErrorReply {
  return { status, body: { error: { code, message, ...extra } } };
}

/**
 * Map an error from the engine to an HTTP answer: ENGINE_* and POOL_URL -> 400, a connection outside the
 * daemon's allowlist -> 403, SAFETY_REFUSED and SAFETY_READ_ONLY -> 422,
 * database failures -> 502 with the server's message, anything else -> 500 without internals.
 * `scrub` removes secrets (the request's password, the token) from any text that goes out.
 */
export function replyForError(error: unknown, scrub: (text: string) => string): ErrorReply {
  const e = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    hint?: unknown;
    sqlState?: unknown;
    risk?: unknown;
    reasons?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = scrub(typeof e.message === 'string' ? (e.message.split('\n')[0] ?? '') : String(error));
  if (code === 'SAFETY_REFUSED') {
    return errorReply(422, code, message, {
      hint: 'send "confirm": true in the request body to run it',
      ...(typeof e.risk === 'string' ? { risk: e.risk } : {}),
      ...(Array.isArray(e.reasons) ? { reasons: e.reasons.map((r) => scrub(String(r))) } : {}),
    });
  }
  if (code === 'SAFETY_READ_ONLY') {
    // "confirm" does not override it: under readOnly only proven reads run.
    return errorReply(422, code, message, {
      hint: 'only reads run with "readOnly": true; send the request without it to change data',
      ...(Array.isArray(e.reasons) ? { reasons: e.reasons.map((r) => scrub(String(r))) } : {}),
    });
  }
  const status = statusOf(code);
  if (code === undefined || status === 500) {
    return errorReply(500, DAEMON_INTERNAL, 'internal error in aishelld (the daemon log has the details)');
  }
  if (status === 403) return errorReply(403, code, message, { hint: NOT_ALLOWED_HINT });
  if (status === 503) return errorReply(503, DAEMON_SHUTTING_DOWN, 'aishelld is shutting down');
  if (VAULT_UNAVAILABLE.has(code)) return errorReply(400, code, message, { hint: VAULT_HINT });
  if (status === 502) {
    return errorReply(502, code, message, typeof e.sqlState === 'string' ? { sqlState: e.sqlState } : {});
  }
  return errorReply(status, code, message, typeof e.hint === 'string' ? { hint: scrub(e.hint) } : {});
}
