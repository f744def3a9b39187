import { type BackupEntry, backupCreate } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { backupProgress, entryText } from '../../backup-text.js';
import { BaseCommand } from '../../base-command.js';
import { demoProgress } from '../../demo-progress.js';
import { connectionFlag } from '../../flags.js';
import { withInterrupt } from '../../interrupt.js';

export default class BackupCreate extends BaseCommand {
  static override summary =
    'Back up a database into the catalog (pg_dump, mariadb-dump/mysqldump, SQLite, PGlite).';
  static override description =
    "PostgreSQL through pg_dump's custom format, MySQL/MariaDB through mariadb-dump or mysqldump with " +
    '--single-transaction --routines --triggers --events, SQLite through VACUUM INTO, the demo (PGlite) through ' +
    "PGlite's own dump. A client tool older than the server is refused before anything starts, with what to install. " +
    'Passwords reach the tools only through PGPASSWORD or a 0600 option file, never their command line. The catalog ' +
    '(default $XDG_DATA_HOME/aishell/backups) records the engine, server version, database, size, sha256, duration, ' +
    'tool and version, and every table with its row count. Ctrl-C stops the tool and leaves nothing behind.';
  static override examples = [
    { description: 'Back up a saved connection', command: '<%= config.bin %> backup create -c prod' },
    {
      description: 'Into a folder of your own, as JSON (the entry, with its id)',
      command: '<%= config.bin %> backup create -c postgres://app@db/shop --to /srv/backups --json',
    },
    { description: 'The embedded demo database', command: '<%= config.bin %> backup create -c demo' },
  ];
  static override flags = {
    connection: connectionFlag,
    to: Flags.string({
      description: 'catalog folder (default: $XDG_DATA_HOME/aishell/backups)',
      aliases: ['dir'],
    }),
  };

  async run(): Promise<BackupEntry> {
    const { flags } = await this.parse(BackupCreate);
    const progress = this.jsonEnabled() ? undefined : backupProgress();
    const demo = demoProgress();
    let entry: BackupEntry;
    try {
      entry = await withInterrupt((signal) =>
        backupCreate({
          ...(flags.connection ? { connection: flags.connection } : {}),
          ...(flags.to ? { dir: flags.to } : {}),
          openSession: (connection) =>
            this.openSession({
              ...(connection ? { connection } : {}),
              ...(demo ? { onDemoProgress: demo } : {}),
              history: false,
              warm: false,
            }),
          ...(progress ? { onProgress: progress.onProgress } : {}),
          signal,
        }),
      );
    } finally {
      progress?.done();
    }
    return this.present(entry, entryText);
  }
}
