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
export const DAEMON_CONNECTION_NOT_ALLOWED = 'DAEMON_CONNECTION_NOT_ALLOWED';
export const DAEMON_NO_SUCH_DATABASE = 'DAEMON_NO_SUCH_DATABASE';

// The upstream database (or its parser) failed or refused: the daemon is a gateway, so 502.
const UPSTREAM = new Set([
  'POOL_QUERY',
  'POOL_TIMEOUT',
  'POOL_ABORTED',
  'POOL_CONNECT',
  'POOL_AUTH',
  'POOL_ACQUIRE_TIMEOUT',
  'POOL_CONNECTION_LOST',
  'SQL_PARSE',
]);
// The request cannot be served as asked: unknown connection, malformed URL, bad combination.
const BAD_REQUEST = new Set(['POOL_URL', 'VAULT_ENTRY_NOT_FOUND', DAEMON_NO_SUCH_DATABASE]);
// The request names a saved connection whose password is in a vault this daemon cannot open.
const VAULT_UNAVAILABLE = new Set([
  'VAULT_LOCKED',
  'VAULT_NOT_FOUND',
  'VAULT_TAMPERED',
  'VAULT_INSECURE',
  'VAULT_UNSUPPORTED_VERSION',
  'VAULT_KEYCHAIN_UNAVAILABLE',
]);
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
  if (code === DAEMON_CONNECTION_NOT_ALLOWED)
    return errorReply(403, code, message, { hint: NOT_ALLOWED_HINT });
  if (code && (code.startsWith('ENGINE_') || BAD_REQUEST.has(code))) {
    return errorReply(400, code, message, typeof e.hint === 'string' ? { hint: scrub(e.hint) } : {});
  }
  if (code && VAULT_UNAVAILABLE.has(code)) return errorReply(400, code, message, { hint: VAULT_HINT });
  // A session closed under a request: only happens while the daemon shuts down.
  if (code === DAEMON_SHUTTING_DOWN || code === 'POOL_CLOSED')
    return errorReply(503, DAEMON_SHUTTING_DOWN, 'aishelld is shutting down');
  if (code && UPSTREAM.has(code)) {
    return errorReply(502, code, message, typeof e.sqlState === 'string' ? { sqlState: e.sqlState } : {});
  }
  return errorReply(500, DAEMON_INTERNAL, 'internal error in aishelld (the daemon log has the details)');
}
