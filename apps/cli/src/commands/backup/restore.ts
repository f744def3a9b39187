import { type BackupRestoreResult, backupRestore } from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { backupProgress, restoreText } from '../../backup-text.js';
import { BaseCommand } from '../../base-command.js';
import { withInterrupt } from '../../interrupt.js';

export default class BackupRestore extends BaseCommand {
  static override summary = 'Restore a backup into a database (refused over tables without --yes: exit 5).';
  static override description =
    "The archive's sha256 is checked first (a damaged one is refused, exit 4). The target must be empty (no tables, " +
    'views or sequences) unless --yes: PostgreSQL then drops and recreates the objects the backup holds (others stay), ' +
    'MySQL/MariaDB replaces the tables the dump holds, a SQLite file or PGlite folder is replaced whole. The database ' +
    'of a server target must exist. Row counts are read back and compared with the catalog.';
  static override examples = [
    {
      description: 'Into a new, empty database',
      command:
        '<%= config.bin %> backup restore shop-20260114T031500Z-9f3a --to postgres://postgres@localhost/shop_copy',
    },
    {
      description: 'Over the tables of a staging database',
      command: '<%= config.bin %> backup restore shop-20260114T031500Z-9f3a --to staging --yes',
    },
    {
      description: 'A demo backup into a PGlite folder',
      command: '<%= config.bin %> backup restore demo-20260114T031500Z-9f3a --to pglite:///tmp/demo-copy',
    },
  ];
  static override args = {
    id: Args.string({ ignoreStdin: true, description: 'backup id (aishell backup list)', required: true }),
  };
  static override flags = {
    to: Flags.string({ description: 'target connection: saved name or URL', required: true }),
    yes: Flags.boolean({ char: 'y', description: 'restore even if the target holds tables' }),
    dir: Flags.string({ description: 'catalog folder (default: $XDG_DATA_HOME/aishell/backups)' }),
    jobs: Flags.integer({ description: "pg_restore's parallel jobs (PostgreSQL)", min: 1 }),
  };

  async run(): Promise<BackupRestoreResult> {
    const { args, flags } = await this.parse(BackupRestore);
    const progress = this.jsonEnabled() ? undefined : backupProgress();
    let result: BackupRestoreResult;
    try {
      result = await withInterrupt((signal) =>
        backupRestore({
          id: args.id,
          to: flags.to,
          confirmed: flags.yes,
          ...(flags.dir ? { dir: flags.dir } : {}),
          ...(flags.jobs ? { jobs: flags.jobs } : {}),
          openSession: (connection) =>
            this.openSession({ ...(connection ? { connection } : {}), history: false, warm: false }),
          ...(progress ? { onProgress: progress.onProgress } : {}),
          signal,
        }),
      );
    } finally {
      progress?.done();
    }
    return this.present(result, restoreText);
  }
}
