import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { DAEMON_DEFAULTS } from './daemon-process.js';

// The flags and arguments that more than one command takes, declared once so that their help reads
// the same everywhere. Every argument has `ignoreStdin: true`: without it oclif reads piped stdin into
// a missing argument, and aishell reads stdin only when asked (`-`, or `query` with nothing else).

/** `-c, --connection` for every command that touches a database. */
export const connectionFlag = Flags.string({
  char: 'c',
  description:
    'saved connection name or URL (default: AISHELL_CONNECTION, DATABASE_URL, the config default, then the demo)',
  helpGroup: 'CONNECTION',
});

/** `--redis <url>`: the Redis of the query cache, for `query` and the `cache` commands. */
export const redisFlag = Flags.string({
  description: 'Redis URL of the query cache (default: AISHELL_REDIS_URL, then REDIS_URL)',
  helpGroup: 'CACHE',
});

/** The SQL of `query`, `sql analyze` and `sql format` (or `--file`, or stdin: see readInput). */
export const sqlArg = Args.string({
  ignoreStdin: true,
  description: 'SQL text (one statement or a script); - reads stdin',
  required: false,
});

/** `--file <path>`: the SQL from a file instead of the argument. */
export const sqlFileFlag = Flags.string({ description: 'read SQL from a file (- for stdin)' });

/** `-d, --dialect` of the commands that read SQL without a connection (`sql analyze`, `sql format`). */
export const dialectFlag = Flags.string({
  char: 'd',
  description: 'SQL dialect',
  options: ['postgres', 'mysql', 'sqlite'],
  default: 'postgres',
});

/** The saved connection of `connections test` and `connections remove` (required: they say so if it is missing). */
export const connectionNameArg = Args.string({ ignoreStdin: true, description: 'saved connection name' });

/** The entry of `vault get` and `vault remove`. */
export const vaultEntryArg = Args.string({ ignoreStdin: true, description: 'entry name', required: true });

/** `--port` and `--host` of the three daemon commands. */
export const daemonFlags = {
  port: Flags.integer({
    description: 'TCP port of the daemon',
    default: DAEMON_DEFAULTS.port,
    min: 1,
    max: 65_535,
  }),
  host: Flags.string({ description: 'address the daemon listens on', default: DAEMON_DEFAULTS.host }),
};
