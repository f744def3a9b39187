import { type BackupVerifyResult, backupVerify } from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { backupProgress, verifyText } from '../../backup-text.js';
import { BaseCommand } from '../../base-command.js';
import { withInterrupt } from '../../interrupt.js';

export default class BackupVerify extends BaseCommand {
  static override summary =
    'Prove a backup restores: its sha256, then a restore into a scratch database, compared with the catalog (exit 0, 4 failed).';
  static override description =
    "The archive's sha256 is checked first: a damaged archive is refused (exit 4) before anything is restored. It is " +
    'then restored into a scratch database, never the source: PostgreSQL and MySQL/MariaDB into a database ' +
    'aishell_scratch_<random> created on the server the backup was taken from (or the one of --scratch or -c), always ' +
    'dropped afterwards, also on Ctrl-C; SQLite and the demo into a temporary file or folder. The restored schema is ' +
    "compared with the one recorded at backup time (the schema differ must find nothing to do) and every table's row " +
    'count with the catalog. Exit 0 when all match, 4 when the checksum or the copy differs.';
  static override examples = [
    { description: 'The latest backup', command: '<%= config.bin %> backup verify' },
    {
      description: 'One backup, on a scratch server of your choosing',
      command:
        '<%= config.bin %> backup verify shop-20260114T031500Z-9f3a --scratch postgres://postgres@scratch-host/postgres',
    },
    {
      description: 'In a nightly job, as JSON',
      command: '<%= config.bin %> backup verify --json > verify.json',
    },
  ];
  static override args = {
    id: Args.string({ ignoreStdin: true, description: 'backup id (default: the latest)', required: false }),
  };
  static override flags = {
    dir: Flags.string({ description: 'catalog folder (default: $XDG_DATA_HOME/aishell/backups)' }),
    scratch: Flags.string({
      description:
        "server (URL or saved name) where aishell may create and drop aishell_scratch_<random> (default: the backup's own server)",
    }),
    connection: Flags.string({
      char: 'c',
      description: 'a server (URL or saved name) for the scratch database when --scratch is not given',
      helpGroup: 'CONNECTION',
    }),
    jobs: Flags.integer({ description: "pg_restore's parallel jobs (PostgreSQL)", min: 1 }),
  };

  async run(): Promise<BackupVerifyResult> {
    const { args, flags } = await this.parse(BackupVerify);
    const progress = this.jsonEnabled() ? undefined : backupProgress();
    let result: BackupVerifyResult;
    try {
      result = await withInterrupt((signal) =>
        backupVerify({
          ...(args.id ? { id: args.id } : {}),
          ...(flags.dir ? { dir: flags.dir } : {}),
          ...(flags.scratch ? { scratch: flags.scratch } : {}),
          ...(flags.connection ? { connection: flags.connection } : {}),
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
    if (!result.ok) process.exitCode = 4;
    return this.present(result, verifyText);
  }
}
