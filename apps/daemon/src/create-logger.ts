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

/** The log level from AISHELL_LOG_LEVEL (default `info`); an unknown value falls back to `info`. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LevelWithSilent {
  const value = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  return LEVELS.find((l) => l === value) ?? 'info';
}

/** The daemon's pino logger: JSON lines to `destination` (stderr by default), secrets censored. */
export function createLogger(options: { level: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: 'aishelld',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
