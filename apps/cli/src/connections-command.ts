import {
  listConnections,
  removeConnection,
  resolvePaths,
  type SavedConnectionInfo,
  UsageError,
} from '@aishell/engine';
import { BaseCommand } from './base-command.js';
import { renderTable } from './output/table.js';

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

/**
 * The verbs of `aishell connections`, shared by `connections list|test|remove` and by the topic's own
 * command, which keeps today's `aishell connections [list|test|remove] [name]` form (oclif routes
 * `connections test prod` to the verb's command, but `connections --json test prod` to the topic's).
 */
export abstract class ConnectionsCommand extends BaseCommand {
  /** The saved connections: name, dialect, URL without its password, default, vault password. */
  protected async list(): Promise<ConnectionsDocument> {
    const connections = await listConnections(resolvePaths());
    return this.present({ connections }, (doc) => connectionsText(doc, this.out.width));
  }

  /** Connect to a saved connection (or a URL) and report how long that took. */
  protected async test(name: string | undefined): Promise<ConnectionTestDocument> {
    const connection = needName('test', name);
    const started = performance.now();
    const session = await this.openSession({ connection, paths: resolvePaths() });
    try {
      await session.ping();
    } finally {
      await session.close();
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    return this.present(
      { name: connection, ok: true, durationMs },
      (doc) => `${doc.name}: ok (${doc.durationMs} ms)\n`,
    );
  }

  /** Forget a saved connection, and its password in the vault (a note, not a failure, if that fails). */
  protected async remove(name: string | undefined): Promise<ConnectionRemoveDocument> {
    const connection = needName('remove', name);
    const { passwordEntry } = await removeConnection(resolvePaths(), connection);
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
      { name: connection, removed: true, passwordRemoved },
      (doc) => `Removed connection "${doc.name}".\n`,
    );
  }
}

// Optional in the arguments, so that a missing name is reported in these words (exit 2).
function needName(verb: 'test' | 'remove', name: string | undefined): string {
  if (!name) throw new UsageError(`connections ${verb} needs a connection name`);
  return name;
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
