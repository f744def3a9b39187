import { type ConnectionRemoveDocument, ConnectionsCommand } from '../../connections-command.js';
import { connectionNameArg } from '../../flags.js';

export default class ConnectionsRemove extends ConnectionsCommand {
  static override summary = 'Forget a saved connection and its password in the vault.';
  static override examples = [
    {
      description: 'Forget one (and its vault password)',
      command: '<%= config.bin %> connections remove prod',
    },
    { description: 'As JSON', command: '<%= config.bin %> connections remove prod --json' },
  ];
  static override args = { name: connectionNameArg };

  async run(): Promise<ConnectionRemoveDocument> {
    const { args } = await this.parse(ConnectionsRemove);
    return this.remove(args.name);
  }
}
