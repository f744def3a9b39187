import { type BackupPruneResult, backupPrune } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { pruneText } from '../../backup-text.js';
import { BaseCommand } from '../../base-command.js';

export default class BackupPrune extends BaseCommand {
  static override summary =
    'Remove old backups from the catalog and disk, keeping the newest N of each database.';
  static override description =
    'Backups are grouped by connection and database. In each group the newest --keep N stay, and with --keep-days D ' +
    'so does every backup younger than D days; the others are removed (their entry first, then the archive). ' +
    '--dry-run says what would go.';
  static override examples = [
    { description: 'Keep a week of nightly backups', command: '<%= config.bin %> backup prune --keep 7' },
    {
      description: 'The newest 3, and everything from the last 30 days, as JSON',
      command: '<%= config.bin %> backup prune --keep 3 --keep-days 30 --json',
    },
  ];
  static override flags = {
    keep: Flags.integer({ description: 'backups kept per database, the newest', required: true, min: 0 }),
    'keep-days': Flags.integer({ description: 'also keep every backup younger than this many days', min: 0 }),
    'dry-run': Flags.boolean({ description: 'say what would be removed, remove nothing' }),
    dir: Flags.string({ description: 'catalog folder (default: $XDG_DATA_HOME/aishell/backups)' }),
  };

  async run(): Promise<BackupPruneResult> {
    const { flags } = await this.parse(BackupPrune);
    const result = await backupPrune({
      keep: flags.keep,
      ...(flags['keep-days'] !== undefined ? { keepDays: flags['keep-days'] } : {}),
      ...(flags['dry-run'] ? { dryRun: true } : {}),
      ...(flags.dir ? { dir: flags.dir } : {}),
    });
    return this.present(result, pruneText);
  }
}
