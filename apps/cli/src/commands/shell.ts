import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ask, looksLikeSql, resolvePaths, type Session } from '@aishell/engine';
import { BaseCommand } from '../base-command.js';
import { demoProgress } from '../demo-progress.js';
import { connectionFlag } from '../flags.js';
import { readTextFile } from '../input.js';
import { toJson } from '../output/format-value.js';
import { type ExpandedMode, renderStatement } from '../output/render-result.js';
import { renderTable } from '../output/table.js';
import { hasUrlPassword } from '../redact.js';
import { schemaCompleter } from '../shell-completer.js';

const HISTORY_LIMIT = 1000;
// Lines that may carry a secret never reach the history file.
const SECRETIVE = /password|passwd|identified\s+by|secret|token|api[_-]?key/i;

const HELP = `Type SQL ending with ; to run it, or a question in plain English. Backslash commands:
  \\dt            list tables and views
  \\dv            list views
  \\di            list indexes
  \\dn            list schemas
  \\d <table>     describe a table (columns, keys, indexes)
  \\x [on|off|auto] expanded display (one block per row)
  \\timing [on|off] show how long each statement took
  \\i <file>      run the SQL in a file
  \\conninfo      show the connection
  \\?             this help
  \\q             quit (or Ctrl-D)`;

export default class Shell extends BaseCommand {
  /** `\\x`: off, on or auto. */
  #expanded: ExpandedMode = 'off';
  /** `\\timing`. */
  #timing = false;

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
      // One server session, as psql has: SET, USE, BEGIN ... COMMIT and temporary tables carry from one
      // statement to the next instead of landing on whichever pooled connection is free.
      pool: { max: 1 },
    });
    const history = await loadHistory(paths.historyFile);
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true,
      history,
      historySize: HISTORY_LIMIT,
      // Tab completes tables, columns, keywords and backslash commands (as pgcli and psql do).
      ...(process.stdin.isTTY ? { completer: schemaCompleter(() => session.introspect()) } : {}),
    });
    // Lines are read through the interface's async iterator, which buffers them: piped input that
    // arrives while a statement runs is not lost (readline's question() would drop it).
    const lines = rl[Symbol.asyncIterator]();
    const nextLine = async (prompt: string): Promise<string | undefined> => {
      rl.setPrompt(prompt);
      if (process.stdin.isTTY) rl.prompt();
      const next = await lines.next();
      return next.done ? undefined : next.value;
    };
    const name = session.target.name ?? session.dialect;
    if (process.stdin.isTTY) {
      await this.out.write(
        `aishell on ${session.target.url} (${session.dialect}). Type \\? for help, \\q to quit.\n`,
      );
    }
    let buffer = '';
    try {
      for (;;) {
        const line = await nextLine(buffer ? `${name}-> ` : `${name}=> `);
        if (line === undefined) break; // Ctrl-D or end of input
        const trimmed = line.trim();
        if (!buffer && trimmed.startsWith('\\')) {
          await remember(paths.historyFile, trimmed);
          if (!(await this.#backslash(trimmed, session, nextLine))) break;
          continue;
        }
        if (!buffer && looksLikeEnglish(trimmed)) {
          await remember(paths.historyFile, trimmed);
          await this.#ask(trimmed, session);
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
        await this.#run(sql, session, nextLine);
      }
    } finally {
      rl.close();
      await session.close();
    }
  }

  async #run(
    sql: string,
    session: Session,
    nextLine: (prompt: string) => Promise<string | undefined>,
  ): Promise<void> {
    try {
      const { results } = await session.run(sql, {
        confirm: async (risk, reasons) => {
          if (!process.stdin.isTTY) return false;
          await this.out.write(
            `This statement is ${risk} risk:\n${reasons.map((r) => `  - ${r}`).join('\n')}\n`,
          );
          const answer = await nextLine('Run it? [y/N] ');
          return /^y(es)?$/i.test((answer ?? '').trim());
        },
      });
      const timing = (ms: number) => (this.#timing ? `\nTime: ${ms.toFixed(3)} ms` : '');
      await this.out.page(
        results
          .map((r) => renderStatement(r, 'table', this.out.width, this.#expanded) + timing(r.durationMs))
          .join('\n\n'),
      );
    } catch (error) {
      const { message, hint } = error as Error & { hint?: string };
      await this.out.error({ message, hint }, 'ERROR: ');
    }
  }

  /** A question in plain English: show the SQL aishell wrote and its explanation, then the rows. */
  async #ask(question: string, session: Session): Promise<void> {
    try {
      const answer = await ask(session, question);
      const params = answer.params.length > 0 ? `\n-- params: ${toJson(answer.params)}` : '';
      await this.out.write(`${answer.sql}${params}\n-- ${answer.explanation}\n`);
      if (answer.result) await this.out.page(renderStatement(answer.result, 'table', this.out.width));
    } catch (error) {
      const { message, hint, suggestions } = error as Error & { hint?: string; suggestions?: string[] };
      await this.out.error({ message, hint, suggestions }, 'ERROR: ');
    }
  }

  /** Runs a backslash command; false means quit. */
  async #backslash(
    command: string,
    session: Session,
    nextLine: (prompt: string) => Promise<string | undefined>,
  ): Promise<boolean> {
    const [verb, ...rest] = command.split(/\s+/);
    const arg = rest.join(' ');
    const width = this.out.width;
    try {
      switch (verb) {
        case '\\q':
          return false;
        case '\\?':
          await this.out.write(`${HELP}\n`);
          return true;
        case '\\x': {
          const mode = arg.toLowerCase();
          if (mode && mode !== 'on' && mode !== 'off' && mode !== 'auto') {
            await this.out.write('\\x: expected on, off or auto\n');
            return true;
          }
          this.#expanded = (mode || (this.#expanded === 'off' ? 'on' : 'off')) as ExpandedMode;
          await this.out.write(
            `Expanded display is ${this.#expanded === 'auto' ? 'used automatically' : this.#expanded}.\n`,
          );
          return true;
        }
        case '\\timing': {
          const mode = arg.toLowerCase();
          if (mode && mode !== 'on' && mode !== 'off') {
            await this.out.write('\\timing: expected on or off\n');
            return true;
          }
          this.#timing = mode ? mode === 'on' : !this.#timing;
          await this.out.write(`Timing is ${this.#timing ? 'on' : 'off'}.\n`);
          return true;
        }
        case '\\i': {
          if (!arg) {
            await this.out.write('\\i: missing file name\n');
            return true;
          }
          const sql = await readTextFile(arg);
          await this.#run(sql, session, nextLine);
          return true;
        }
        case '\\dv':
        case '\\dn':
        case '\\di': {
          const schema = await session.introspect();
          let fields: string[];
          let rows: Record<string, unknown>[];
          if (verb === '\\dn') {
            fields = ['schema'];
            rows = [...new Set(schema.tables.map((t) => t.schema ?? ''))].sort().map((n) => ({ schema: n }));
          } else if (verb === '\\dv') {
            fields = ['schema', 'name', 'type', 'comment'];
            rows = schema.tables
              .filter((t) => t.kind !== 'table')
              .map((t) => ({ schema: t.schema ?? '', name: t.name, type: t.kind, comment: t.comment ?? '' }));
          } else {
            fields = ['schema', 'name', 'table', 'columns', 'unique'];
            rows = schema.tables.flatMap((t) =>
              t.indexes.map((i) => ({
                schema: t.schema ?? '',
                name: i.name,
                table: t.name,
                columns: i.columns.join(', '),
                unique: i.unique ? 'yes' : '',
              })),
            );
          }
          await this.out.page(
            `${renderTable(
              fields.map((n) => ({ name: n, type: 'text' })),
              rows,
              { maxWidth: width },
            )}\n(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
          );
          return true;
        }
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
          if (!arg) return this.#backslash('\\dt', session, nextLine);
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
      await this.out.error({ message: (error as Error).message }, 'ERROR: ');
      return true;
    }
  }
}

/** One line that is not SQL (no SQL statement word first, no `;` at the end) is a question in plain English. */
export function looksLikeEnglish(line: string): boolean {
  return line.length > 0 && !line.endsWith(';') && !looksLikeSql(line);
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
  if (!line.trim() || SECRETIVE.test(line) || hasUrlPassword(line)) return;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await appendFile(file, `${line}\n`, { mode: 0o600 });
  } catch {
    // history is a convenience; a read-only home must not stop the shell
  }
}
