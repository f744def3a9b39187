import { listConnections, removeConnection, resolvePaths, UsageError } from '@aishell/engine';
import * as Args from '@oclif/core/args';
import { BaseCommand } from '../base-command.js';
import { renderTable } from '../output/table.js';

export default class Connections extends BaseCommand {
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
  static override args = {
    action: Args.string({
      ignoreStdin: true,
      description: 'what to do',
      options: ['list', 'test', 'remove'],
      default: 'list',
    }),
    name: Args.string({ ignoreStdin: true, description: 'connection name (for test and remove)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Connections);
    const paths = resolvePaths();
    if (args.action === 'list') {
      const list = await listConnections(paths);
      if (flags.json) return this.printJson({ connections: list });
      if (list.length === 0) {
        await this.out.write('No saved connections. Save one with: aishell connect <url> --name <name>\n');
        return;
      }
      const rows = list.map((c) => ({
        name: c.name,
        dialect: c.dialect,
        url: c.url,
        default: c.isDefault ? 'yes' : '',
        password: c.passwordEntry ? 'vault' : '',
      }));
      const fields = ['name', 'dialect', 'url', 'default', 'password'].map((name) => ({
        name,
        type: 'text',
      }));
      await this.out.write(`${renderTable(fields, rows, { maxWidth: this.out.width })}\n`);
      return;
    }
    if (!args.name) throw new UsageError(`connections ${args.action} needs a connection name`);
    if (args.action === 'test') {
      const started = performance.now();
      const session = await this.openSession({ connection: args.name, paths });
      try {
        await session.ping();
      } finally {
        await session.close();
      }
      const ms = Math.round((performance.now() - started) * 10) / 10;
      if (flags.json) return this.printJson({ name: args.name, ok: true, durationMs: ms });
      await this.out.write(`${args.name}: ok (${ms} ms)\n`);
      return;
    }
    const { passwordEntry } = await removeConnection(paths, args.name);
    let passwordRemoved = false;
    if (passwordEntry) {
      try {
        await (await this.secrets()).remove(passwordEntry);
        passwordRemoved = true;
      } catch (error) {
        this.note(
          `The connection was removed, but its vault entry "${passwordEntry}" was not: ${(error as Error).message}`,
        );
      }
    }
    if (flags.json) return this.printJson({ name: args.name, removed: true, passwordRemoved });
    await this.out.write(`Removed connection "${args.name}".\n`);
  }
}
