import * as Args from '@oclif/core/args';
import { ConnectionsCommand, type ConnectionsDocument } from '../../connections-command.js';

export default class ConnectionsList extends ConnectionsCommand {
  static override summary = 'List the saved connections (what `aishell connections` alone does).';
  static override description =
    'Name, engine, URL (without its password), whether it is the default, and whether its password is in the vault.';
  static override examples = [
    { description: 'List them', command: '<%= config.bin %> connections list' },
    { description: 'As JSON', command: '<%= config.bin %> connections list --json' },
  ];
  // Ignored and hidden: `connections list <word>` listed them when list was an argument of
  // `connections`, and still does (without an argument oclif would look for a command
  // `connections list <word>`).
  static override args = { ignored: Args.string({ ignoreStdin: true, hidden: true }) };

  async run(): Promise<ConnectionsDocument> {
    await this.parse(ConnectionsList);
    return this.list();
  }
}
