import { type BackupEntry, backupList } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { listText } from '../../backup-text.js';
import { BaseCommand } from '../../base-command.js';

/** `backup list --json` */
export interface BackupListDocument {
  /** Oldest first. */
  readonly backups: readonly BackupEntry[];
}

export default class BackupList extends BaseCommand {
  static override summary = 'List the backups in the catalog, oldest first.';
  static override description =
    'Each backup with its id, engine, database, time, size and row counts. --json prints { "backups": [ entry ] } ' +
    'with every field of the catalog entry (id, path, engine, serverVersion, database, connection, sizeBytes, sha256, ' +
    'createdAt, durationMs, tool, toolVersion, tables).';
  static override examples = [
    { description: 'The default catalog', command: '<%= config.bin %> backup list' },
    {
      description: 'Another folder, as JSON',
      command: '<%= config.bin %> backup list --dir /srv/backups --json',
    },
  ];
  static override flags = {
    dir: Flags.string({
      description: 'catalog folder (default: $XDG_DATA_HOME/aishell/backups)',
      aliases: ['to'],
    }),
  };

  async run(): Promise<BackupListDocument> {
    const { flags } = await this.parse(BackupList);
    const backups = await backupList(flags.dir ? { dir: flags.dir } : {});
    return this.present({ backups }, (doc) => this.out.page(listText(doc.backups, this.out.width)));
  }
}
