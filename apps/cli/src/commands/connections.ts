import {
  listConnections,
  removeConnection,
  resolvePaths,
  type SavedConnectionInfo,
  UsageError,
} from '@aishell/engine';
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

  async run(): Promise<ConnectionsDocument | ConnectionTestDocument | ConnectionRemoveDocument> {
    const { args } = await this.parse(Connections);
    const paths = resolvePaths();
    if (args.action === 'list') {
      const connections = await listConnections(paths);
      return this.present({ connections }, (doc) => connectionsText(doc, this.out.width));
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
      return this.present(
        { name: args.name, ok: true, durationMs: ms },
        (doc) => `${doc.name}: ok (${doc.durationMs} ms)\n`,
      );
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
    return this.present(
      { name: args.name, removed: true, passwordRemoved },
      (doc) => `Removed connection "${doc.name}".\n`,
    );
  }
}

/** `connections list --json` */
export interface ConnectionsDocument {
  readonly connections: readonly SavedConnectionInfo[];
}

/** `connections test <name> --json` */
export interface ConnectionTestDocument {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
}

/** `connections remove <name> --json`: `passwordRemoved` when its vault entry went too. */
export interface ConnectionRemoveDocument {
  readonly name: string;
  readonly removed: boolean;
  readonly passwordRemoved: boolean;
}

function connectionsText(doc: ConnectionsDocument, maxWidth: number): string {
  if (doc.connections.length === 0)
    return 'No saved connections. Save one with: aishell connect <url> --name <name>\n';
  const rows = doc.connections.map((c) => ({
    name: c.name,
    dialect: c.dialect,
    url: c.url,
    default: c.isDefault ? 'yes' : '',
    password: c.passwordEntry ? 'vault' : '',
  }));
  const fields = ['name', 'dialect', 'url', 'default', 'password'].map((name) => ({ name, type: 'text' }));
  return `${renderTable(fields, rows, { maxWidth })}\n`;
}
