import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

/** The environment variable that sets the log level. */
export const LOG_LEVEL_ENV = 'AISHELL_LOG_LEVEL';

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// Defence in depth: the daemon never logs headers, bodies, SQL or parameters on purpose; should any
// of them reach a log call, these paths are censored.
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'body.sql',
  'body.params',
  'req.body.sql',
  'req.body.params',
  'sql',
  'params',
  'token',
  'password',
];

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The fields of an error that may be logged: its type, code, status and message (and the stack the
 * daemon scrubbed itself). Never its other properties, which carry a request's raw bytes (Node's HTTP
 * parser puts the whole packet, Authorization header included, in `rawPacket`), headers or body.
 */
export function serializeError(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object') return { message: String(value) };
  const e = value as {
    name?: unknown;
    type?: unknown;
    code?: unknown;
    statusCode?: unknown;
    message?: unknown;
    stack?: unknown;
  };
  const out: Record<string, unknown> = {};
  const type = text(e.type) ?? text(e.name);
  if (type !== undefined) out.type = type;
  const code = text(e.code);
  if (code !== undefined && CODE.test(code)) out.code = code;
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (text(e.message) !== undefined) out.message = e.message;
  if (text(e.stack) !== undefined) out.stack = e.stack;
  return out;
}

/** A request as the log may show it: method and path, never headers, body or query string. */
export function serializeRequest(value: unknown): Record<string, unknown> {
  const req = (value ?? {}) as { method?: unknown; url?: unknown };
  const out: Record<string, unknown> = {};
  if (typeof req.method === 'string') out.method = req.method;
  if (typeof req.url === 'string') out.path = req.url.split('?')[0];
  return out;
}

/** A reply as the log may show it: its status only. */
export function serializeReply(value: unknown): Record<string, unknown> {
  const res = (value ?? {}) as { statusCode?: unknown };
  return typeof res.statusCode === 'number' ? { statusCode: res.statusCode } : {};
}

/** The log level from AISHELL_LOG_LEVEL (default `info`); an unknown value falls back to `info`. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LevelWithSilent {
  const value = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  return LEVELS.find((l) => l === value) ?? 'info';
}

export interface CreateLoggerOptions {
  readonly level: LevelWithSilent;
  /** @default stderr */
  readonly destination?: DestinationStream;
  /** Texts (the bearer token) replaced by `****` wherever they would appear in a line. @default [] */
  readonly secrets?: readonly string[];
}

/**
 * The daemon's pino logger: JSON lines to `destination` (stderr by default). Errors, requests and
 * replies are reduced to safe fields whoever logs them (fastify included), the usual secret fields are
 * censored, and `secrets` never reach the destination.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  // Each secret as it appears raw and inside a JSON string (quotes and backslashes escaped).
  const secrets = [
    ...new Set((options.secrets ?? []).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)])),
  ].filter((s) => s.length >= 3);
  return pino(
    {
      name: 'aishelld',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, req: serializeRequest, res: serializeReply },
      ...(secrets.length > 0
        ? {
            hooks: {
              streamWrite: (line: string) => secrets.reduce((out, s) => out.split(s).join('****'), line),
            },
          }
        : {}),
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
