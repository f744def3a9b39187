import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline/promises';
import { resolvePaths, type Session } from '@aishell/engine';
import { BaseCommand, connectionFlag } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';
import { renderStatement } from '../output/render-result.js';
import { renderTable } from '../output/table.js';
import { redact } from '../redact.js';

const HISTORY_LIMIT = 1000;
// Lines that may carry a secret never reach the history file.
const SECRETIVE = /password|passwd|identified\s+by|secret|token|api[_-]?key|:\/\/[^/\s]*:[^@\s]*@/i;

const HELP = `Type SQL ending with ; to run it. Backslash commands:
  \\dt            list tables and views
  \\d <table>     describe a table (columns, keys, indexes)
  \\conninfo      show the connection
  \\?             this help
  \\q             quit (or Ctrl-D)`;

export default class Shell extends BaseCommand {
  static override summary = 'Interactive shell (what `aishell` with no arguments opens).';
  static override description =
    'A psql-like prompt on the resolved connection: SQL statements end with `;`, risky ones ask before running, ' +
    'history is kept in $XDG_STATE_HOME/aishell/history (lines that look like they hold a password are never saved).';
  static override examples = [
    { description: 'On the embedded demo database', command: '<%= config.bin %>' },
    { description: 'On a saved connection', command: '<%= config.bin %> shell -c prod' },
  ];
  static override flags = { connection: connectionFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(Shell);
    const paths = resolvePaths();
    const progress = demoProgress();
    const session = await this.openSession({
      ...(flags.connection ? { connection: flags.connection } : {}),
      ...(progress ? { onDemoProgress: progress } : {}),
    });
    const history = await loadHistory(paths.historyFile);
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true,
      history,
      historySize: HISTORY_LIMIT,
    });
    const name = session.target.name ?? session.dialect;
    if (process.stdin.isTTY) {
      await this.out.write(
        `aishell on ${session.target.url} (${session.dialect}). Type \\? for help, \\q to quit.\n`,
      );
    }
    let buffer = '';
    try {
      for (;;) {
        let line: string;
        try {
          line = await rl.question(buffer ? `${name}-> ` : `${name}=> `);
        } catch {
          break; // closed (Ctrl-D or end of input)
        }
        const trimmed = line.trim();
        if (!buffer && trimmed.startsWith('\\')) {
          await remember(paths.historyFile, trimmed);
          if (!(await this.#backslash(trimmed, session))) break;
          continue;
        }
        buffer = buffer ? `${buffer}\n${line}` : line;
        if (!buffer.trim()) {
          buffer = '';
          continue;
        }
        if (!trimmed.endsWith(';')) continue;
        const sql = buffer;
        buffer = '';
        await remember(paths.historyFile, sql.replace(/\s*\n\s*/g, ' '));
        await this.#run(sql, session, rl);
      }
    } finally {
      rl.close();
      await session.close();
    }
  }

  async #run(sql: string, session: Session, rl: Interface): Promise<void> {
    try {
      const { results } = await session.run(sql, {
        confirm: async (risk, reasons) => {
          if (!process.stdin.isTTY) return false;
          await this.out.write(
            `This statement is ${risk} risk:\n${reasons.map((r) => `  - ${r}`).join('\n')}\n`,
          );
          const answer = await rl.question('Run it? [y/N] ');
          return /^y(es)?$/i.test(answer.trim());
        },
      });
      const width = process.stdout.isTTY ? process.stdout.columns || 80 : Number.POSITIVE_INFINITY;
      await this.out.page(results.map((r) => renderStatement(r, 'table', width)).join('\n\n'));
    } catch (error) {
      const e = error as Error & { hint?: string };
      await this.out.write(`ERROR: ${redact(e.message)}\n${e.hint ? `hint: ${redact(e.hint)}\n` : ''}`);
    }
  }

  /** Runs a backslash command; false means quit. */
  async #backslash(command: string, session: Session): Promise<boolean> {
    const [verb, ...rest] = command.split(/\s+/);
    const arg = rest.join(' ');
    const width = process.stdout.isTTY ? process.stdout.columns || 80 : Number.POSITIVE_INFINITY;
    try {
      switch (verb) {
        case '\\q':
          return false;
        case '\\?':
          await this.out.write(`${HELP}\n`);
          return true;
        case '\\conninfo':
          await this.out.write(`${session.target.url} (${session.dialect}, from ${session.target.source})\n`);
          return true;
        case '\\dt': {
          const schema = await session.introspect();
          const rows = schema.tables.map((t) => ({
            schema: t.schema ?? '',
            name: t.name,
            type: t.kind,
            rows: t.rowEstimate ?? '',
            comment: t.comment ?? '',
          }));
          const fields = ['schema', 'name', 'type', 'rows', 'comment'].map((n) => ({
            name: n,
            type: n === 'rows' ? 'int8' : 'text',
          }));
          await this.out.page(renderTable(fields, rows, { maxWidth: width }));
          return true;
        }
        case '\\d': {
          if (!arg) return this.#backslash('\\dt', session);
          const schema = await session.introspect();
          const wanted = arg.toLowerCase();
          const table = schema.tables.find(
            (t) => t.name.toLowerCase() === wanted || `${t.schema}.${t.name}`.toLowerCase() === wanted,
          );
          if (!table) {
            await this.out.write(`Did not find any relation named "${arg}".\n`);
            return true;
          }
          const rows = table.columns.map((c) => ({
            column: c.name,
            type: c.type,
            nullable: c.nullable ? 'yes' : 'no',
            default: c.default ?? '',
            comment: c.comment ?? '',
          }));
          const fields = ['column', 'type', 'nullable', 'default', 'comment'].map((n) => ({
            name: n,
            type: 'text',
          }));
          const extra = [
            table.primaryKey.length ? `Primary key: (${table.primaryKey.join(', ')})` : '',
            ...table.foreignKeys.map(
              (fk) =>
                `Foreign key: (${fk.columns.join(', ')}) -> ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`,
            ),
            ...table.indexes.map(
              (i) => `Index: ${i.name} (${i.columns.join(', ')})${i.unique ? ' unique' : ''}`,
            ),
          ].filter(Boolean);
          await this.out.page(
            `${table.kind} ${table.schema ? `${table.schema}.` : ''}${table.name}${table.comment ? ` — ${table.comment}` : ''}\n${renderTable(fields, rows, { maxWidth: width })}\n${extra.join('\n')}`,
          );
          return true;
        }
        default:
          await this.out.write(`invalid command ${verb}; try \\? for help\n`);
          return true;
      }
    } catch (error) {
      await this.out.write(`ERROR: ${redact((error as Error).message)}\n`);
      return true;
    }
  }
}

async function loadHistory(file: string): Promise<string[]> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    return lines.slice(-HISTORY_LIMIT).reverse();
  } catch {
    return [];
  }
}

async function remember(file: string, line: string): Promise<void> {
  if (!line.trim() || SECRETIVE.test(line)) return;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await appendFile(file, `${line}\n`, { mode: 0o600 });
  } catch {
    // history is a convenience; a read-only home must not stop the shell
  }
}
