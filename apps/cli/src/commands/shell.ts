import { resolvePaths } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag } from '../flags.js';
import { registerSecret } from '../redact.js';
import { ShellLoop } from '../shell/shell-loop.js';

export default class Shell extends BaseCommand {
  static override summary = 'Interactive shell (what `aishell` and `aishell -c <connection>` open).';
  static override description =
    'A psql-like prompt on the resolved connection, for SQL and questions in plain English: statements end with `;` ' +
    '(Enter continues one that is not finished), Tab completes from the schema, Ctrl-C cancels a running statement on ' +
    'the server, risky statements ask before running, the prompt shows an open transaction (=*>) or a failed one (=!>). ' +
    "psql's backslash commands (\\d, \\l, \\c, \\e, \\o, \\copy, \\watch, \\x, \\pset, ...) and aishell's own (\\ask, " +
    '\\explain, \\cache, \\metrics); \\? lists them, docs/shell.md explains every key. History is kept in ' +
    '$XDG_STATE_HOME/aishell/history (lines that look like they hold a password are never saved).';
  static override examples = [
    {
      description: 'On the resolved connection (the embedded demo database when none is set)',
      command: '<%= config.bin %>',
    },
    { description: 'On a saved connection, as psql -d', command: '<%= config.bin %> -c prod' },
    {
      description: 'On a URL, where only reads may run',
      command: '<%= config.bin %> shell -c postgres://me@db.example.com/shop --read-only',
    },
  ];
  static override flags = {
    connection: connectionFlag,
    'read-only': Flags.boolean({
      description: 'run every statement in a read-only transaction; writes, DDL and BEGIN are refused',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shell);
    const progress = demoProgress();
    const open = (connection: string | undefined) =>
      this.openSession({
        ...(connection ? { connection } : {}),
        ...(progress ? { onDemoProgress: progress } : {}),
        // One server session, as psql has: SET, USE, BEGIN ... COMMIT and temporary tables carry from one
        // statement to the next instead of landing on whichever pooled connection is free.
        pool: { max: 1 },
      });
    const session = await open(flags.connection);
    await new ShellLoop({
      session,
      openSession: open,
      paths: resolvePaths(),
      sink: this.out,
      readOnly: flags['read-only'],
      // An LLM provider's key from the vault when its variable is unset; masked in anything printed.
      resolveSecret: async (entry) => {
        const value = await (await this.secrets()).resolve(entry);
        registerSecret(value);
        return value;
      },
    }).run();
  }
}
