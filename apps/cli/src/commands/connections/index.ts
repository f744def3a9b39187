import * as Args from '@oclif/core/args';
import {
  type ConnectionRemoveDocument,
  ConnectionsCommand,
  type ConnectionsDocument,
  type ConnectionTestDocument,
} from '../../connections-command.js';

/** `aishell connections` alone lists them; `aishell connections <verb> <name>`, its first form, still works. */
export default class Connections extends ConnectionsCommand {
  static override summary = 'List, test or remove saved connections.';
  static override examples = [
    { description: 'List them', command: '<%= config.bin %> connections' },
    { description: 'Check that one answers', command: '<%= config.bin %> connections test prod' },
    {
      description: 'Forget one (and its vault password)',
      command: '<%= config.bin %> connections remove prod',
    },
    { description: 'As JSON', command: '<%= config.bin %> connections list --json' },
  ];
  // `connections test prod` reaches `connections test` itself; these take the verb when a flag comes
  // first (`connections --json test prod`), where oclif stops looking for a command.
  static override args = {
    action: Args.string({
      ignoreStdin: true,
      description: 'what to do',
      options: ['list', 'test', 'remove'],
      default: 'list',
    }),
    name: Args.string({ ignoreStdin: true, description: 'connection name (for test and remove)' }),
  };

  async run(): Promise<ConnectionsDocument | ConnectionTestDocument | ConnectionRemoveDocument> {
    const { args } = await this.parse(Connections);
    if (args.action === 'test') return this.test(args.name);
    if (args.action === 'remove') return this.remove(args.name);
    return this.list();
  }
}
