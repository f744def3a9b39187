import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { explain, openCache, readMetrics, renderPlanText, type SchemaInfo } from '@aishell/engine';
import { readTextFile } from '../input.js';
import type { ExpandedMode } from '../output/render-result.js';
import { renderTable } from '../output/table.js';
import { CATALOG_QUERIES, type CatalogListing } from './catalog-queries.js';
import { parseCopy, runCopy } from './copy-command.js';
import { inputComplete } from './input-kind.js';
import { metaHelpText } from './meta-help.js';
import type { ShellContext } from './shell-loop.js';
import { PSET_FORMATS, type PsetFormat, parseSwitch } from './shell-settings.js';

/** What a backslash command tells the loop: go on, or quit. */
export type MetaOutcome = 'quit' | undefined;

type Handler = (shell: ShellContext, arg: string, buffer: string) => Promise<MetaOutcome>;

/** `\watch`'s interval when none is given, as psql's. */
const WATCH_DEFAULT_SECONDS = 2;

const rowsFooter = (n: number): string => `(${n} ${n === 1 ? 'row' : 'rows'})`;

/** A table of rows with its row count, as the `\d` family shows them. */
function table(
  shell: ShellContext,
  fields: readonly string[],
  rows: readonly Record<string, unknown>[],
  options: { numeric?: readonly string[]; footer?: boolean } = {},
): string {
  const text = renderTable(
    fields.map((name) => ({ name, type: options.numeric?.includes(name) ? 'int8' : 'text' })),
    rows,
    { maxWidth: shell.output.width },
  );
  return options.footer === false ? text : `${text}\n${rowsFooter(rows.length)}`;
}

/** `\l`, `\df`, `\du`: the engine's own catalog, through the pool (not the metrics history). */
async function catalog(shell: ShellContext, listing: CatalogListing): Promise<void> {
  const query = CATALOG_QUERIES[listing][shell.session.sqlDialect];
  if ('none' in query) {
    await shell.output.message(query.none);
    return;
  }
  await shell.operation(async (signal) => {
    const r = await shell.session.pool.query(query.sql, [], { signal });
    await shell.output.show(
      table(
        shell,
        r.fields.map((f) => f.name),
        r.rows,
      ),
      signal,
    );
  });
}

function findTable(schema: SchemaInfo, name: string) {
  const wanted = name.replace(/"/g, '').toLowerCase();
  return schema.tables.find(
    (t) => t.name.toLowerCase() === wanted || `${t.schema}.${t.name}`.toLowerCase() === wanted,
  );
}

/** `\x`, `\timing` and `\pset pager`: on/off (and auto for `\x`); alone, they toggle. */
function onOff(arg: string, current: boolean): boolean | undefined {
  if (arg === '') return !current;
  return parseSwitch(arg);
}

async function describe(shell: ShellContext, arg: string): Promise<void> {
  const schema = await shell.session.introspect();
  const t = findTable(schema, arg);
  if (!t) {
    await shell.output.message(`Did not find any relation named "${arg}".`);
    return;
  }
  const rows = t.columns.map((c) => ({
    column: c.name,
    type: c.type,
    nullable: c.nullable ? 'yes' : 'no',
    default: c.default ?? '',
    comment: c.comment ?? '',
  }));
  const extra = [
    t.primaryKey.length ? `Primary key: (${t.primaryKey.join(', ')})` : '',
    ...t.foreignKeys.map(
      (fk) =>
        `Foreign key: (${fk.columns.join(', ')}) -> ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`,
    ),
    ...t.indexes.map((i) => `Index: ${i.name} (${i.columns.join(', ')})${i.unique ? ' unique' : ''}`),
  ].filter(Boolean);
  const fields = ['column', 'type', 'nullable', 'default', 'comment'];
  await shell.output.show(
    `${t.kind} ${t.schema ? `${t.schema}.` : ''}${t.name}${t.comment ? ` — ${t.comment}` : ''}\n${renderTable(
      fields.map((name) => ({ name, type: 'text' })),
      rows,
      { maxWidth: shell.output.width },
    )}\n${extra.join('\n')}`,
  );
}

/** `\e`: the text in $VISUAL / $EDITOR (default vi), in a private temporary file removed afterwards. */
async function edit(shell: ShellContext, text: string): Promise<string> {
  const editor = (process.env.VISUAL || process.env.EDITOR || 'vi').trim().split(/\s+/);
  const [cmd = 'vi', ...args] = editor;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aishell-edit-'));
  const file = path.join(dir, 'statement.sql');
  try {
    await writeFile(file, text.endsWith('\n') || text === '' ? text : `${text}\n`, { mode: 0o600 });
    await shell.lendTerminal(async () => {
      const child = spawn(cmd, [...args, file], { stdio: 'inherit' });
      const [code] = (await Promise.race([
        once(child, 'close'),
        once(child, 'error').then(([e]) => Promise.reject(e)),
      ])) as [number | null];
      if (code !== 0) throw new Error(`${cmd} exited with ${code}; nothing was run`);
    });
    return (await readFile(file, 'utf8')).replace(/\s+$/, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const HANDLERS: Record<string, Handler> = {
  '\\q': async () => 'quit',
  '\\quit': async () => 'quit',
  '\\?': async (shell) => {
    await shell.output.message(metaHelpText());
    return undefined;
  },
  '\\conninfo': async (shell) => {
    const { target, dialect } = shell.session;
    await shell.output.message(
      `${target.url} (${dialect}, from ${target.source}${shell.readOnly ? ', read-only' : ''}${shell.output.file ? `; results to ${shell.output.file}` : ''})`,
    );
    return undefined;
  },
  '\\x': async (shell, arg) => {
    const mode = arg.toLowerCase();
    if (mode && mode !== 'on' && mode !== 'off' && mode !== 'auto') {
      await shell.output.message('\\x: expected on, off or auto');
      return undefined;
    }
    shell.settings.expanded = (mode || (shell.settings.expanded === 'off' ? 'on' : 'off')) as ExpandedMode;
    await shell.output.message(
      `Expanded display is ${shell.settings.expanded === 'auto' ? 'used automatically' : shell.settings.expanded}.`,
    );
    return undefined;
  },
  '\\timing': async (shell, arg) => {
    const on = onOff(arg, shell.settings.timing);
    if (on === undefined) {
      await shell.output.message('\\timing: expected on or off');
      return undefined;
    }
    shell.settings.timing = on;
    await shell.output.message(`Timing is ${on ? 'on' : 'off'}.`);
    return undefined;
  },
  '\\i': async (shell, arg) => {
    if (!arg) {
      await shell.output.message('\\i: missing file name');
      return undefined;
    }
    await shell.runSql(await readTextFile(arg));
    return undefined;
  },
  '\\o': async (shell, arg) => {
    const file = arg.replace(/^'(.*)'$/, '$1');
    await shell.output.redirect(file || undefined);
    if (file) await shell.output.message(`Results go to ${file} (\\o alone brings them back).`);
    return undefined;
  },
  '\\dt': async (shell) => {
    const schema = await shell.session.introspect();
    const rows = schema.tables.map((t) => ({
      schema: t.schema ?? '',
      name: t.name,
      type: t.kind,
      rows: t.rowEstimate ?? '',
      comment: t.comment ?? '',
    }));
    // No row count under \dt, as before (psql has none under its lists either).
    await shell.output.show(
      table(shell, ['schema', 'name', 'type', 'rows', 'comment'], rows, { numeric: ['rows'], footer: false }),
    );
    return undefined;
  },
  '\\dv': async (shell) => {
    const schema = await shell.session.introspect();
    const rows = schema.tables
      .filter((t) => t.kind !== 'table')
      .map((t) => ({ schema: t.schema ?? '', name: t.name, type: t.kind, comment: t.comment ?? '' }));
    await shell.output.show(table(shell, ['schema', 'name', 'type', 'comment'], rows));
    return undefined;
  },
  '\\di': async (shell) => {
    const schema = await shell.session.introspect();
    const rows = schema.tables.flatMap((t) =>
      t.indexes.map((i) => ({
        schema: t.schema ?? '',
        name: i.name,
        table: t.name,
        columns: i.columns.join(', '),
        unique: i.unique ? 'yes' : '',
      })),
    );
    await shell.output.show(table(shell, ['schema', 'name', 'table', 'columns', 'unique'], rows));
    return undefined;
  },
  '\\dn': async (shell) => {
    const schema = await shell.session.introspect();
    const names = new Set([...schema.schemas, ...schema.tables.map((t) => t.schema ?? '')].filter(Boolean));
    const rows = [...names].sort().map((n) => ({ schema: n }));
    await shell.output.show(table(shell, ['schema'], rows));
    return undefined;
  },
  '\\d': async (shell, arg) => {
    if (!arg) return HANDLERS['\\dt']?.(shell, '', '');
    await describe(shell, arg);
    return undefined;
  },
  '\\l': async (shell) => {
    await catalog(shell, 'databases');
    return undefined;
  },
  '\\df': async (shell) => {
    await catalog(shell, 'functions');
    return undefined;
  },
  '\\du': async (shell) => {
    await catalog(shell, 'roles');
    return undefined;
  },
  '\\c': async (shell, arg) => {
    if (!arg) {
      await shell.output.message('\\c: which connection? A saved name or a URL, as -c takes.');
      return undefined;
    }
    if (await shell.switchTo(arg)) {
      const { target, dialect } = shell.session;
      await shell.output.message(`You are now connected to ${target.url} (${dialect}).`);
    }
    return undefined;
  },
  '\\e': async (shell, arg, buffer) => {
    const start = arg ? await readTextFile(arg) : buffer || shell.lastQuery || '';
    const edited = await edit(shell, start);
    if (edited.trim() === '') return undefined;
    // As psql: an edited statement that ends with `;` runs; otherwise it waits at the prompt.
    if (shell.interactive && !inputComplete(edited, shell.session.sqlDialect, true)) shell.setPending(edited);
    else {
      await shell.output.message(edited);
      await shell.runSql(edited);
    }
    return undefined;
  },
  '\\g': async (shell, _arg, buffer) => {
    const sql = buffer || shell.lastQuery;
    if (sql) await shell.runSql(sql);
    else await shell.output.message('\\g: no query to run');
    return undefined;
  },
  '\\r': async (shell) => {
    await shell.output.message('Query buffer reset (cleared).');
    return undefined;
  },
  '\\watch': async (shell, arg, buffer) => {
    const sql = buffer || shell.lastQuery;
    if (!sql) {
      await shell.output.message('\\watch: run a query first (or write one above \\watch)');
      return undefined;
    }
    const seconds = arg ? Number(arg) : WATCH_DEFAULT_SECONDS;
    if (!Number.isFinite(seconds) || seconds <= 0) {
      await shell.output.message('\\watch: expected a number of seconds above 0');
      return undefined;
    }
    await shell.operation(async (signal) => {
      while (!signal.aborted) {
        await shell.output.message(`${new Date().toString().replace(/ \(.*\)$/, '')} (every ${seconds}s)\n`);
        if (!(await shell.runSql(sql, { signal }))) return;
        try {
          await sleep(seconds * 1000, undefined, { signal });
        } catch {
          return; // Ctrl-C while waiting: the watch ends quietly
        }
      }
    });
    return undefined;
  },
  '\\set': async (shell, arg) => {
    const s = shell.settings;
    if (!arg) {
      const lines = [
        `color = ${s.color ? 'on' : 'off'}`,
        ...[...s.variables].map(([k, v]) => `${k} = '${v}'`),
      ];
      await shell.output.message(lines.join('\n'));
      return undefined;
    }
    const m = /^(\S+)\s*(.*)$/s.exec(arg);
    const name = m?.[1] ?? '';
    const value = (m?.[2] ?? '').replace(/^'(.*)'$/s, '$1');
    if (name.toLowerCase() === 'color' || name.toLowerCase() === 'colour') {
      const on = parseSwitch(value);
      if (on === undefined) await shell.output.message('\\set color: expected on or off');
      else s.color = on && shell.interactive && !process.env.NO_COLOR;
      return undefined;
    }
    if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) {
      await shell.output.message(`\\set: invalid variable name "${name}"`);
      return undefined;
    }
    s.variables.set(name, value);
    return undefined;
  },
  '\\unset': async (shell, arg) => {
    shell.settings.variables.delete(arg.trim());
    return undefined;
  },
  '\\pset': async (shell, arg) => {
    const s = shell.settings;
    const [option = '', ...rest] = arg.split(/\s+/).filter(Boolean);
    const value = rest.join(' ').replace(/^'(.*)'$/s, '$1');
    switch (option.toLowerCase()) {
      case '':
        await shell.output.message(
          `format = ${s.format}\nnull = '${s.nullDisplay}'\npager = ${s.pager ? 'on' : 'off'}\nexpanded = ${s.expanded}`,
        );
        return undefined;
      case 'format': {
        const f = value.toLowerCase() === 'table' ? 'aligned' : value.toLowerCase();
        if (!PSET_FORMATS.includes(f as PsetFormat)) {
          await shell.output.message(`\\pset format: expected ${PSET_FORMATS.join(', ')}`);
          return undefined;
        }
        s.format = f as PsetFormat;
        await shell.output.message(`Output format is ${s.format}.`);
        return undefined;
      }
      case 'null':
        s.nullDisplay = value;
        await shell.output.message(`Null display is "${value}".`);
        return undefined;
      case 'pager': {
        const on = onOff(value, s.pager);
        if (on === undefined) await shell.output.message('\\pset pager: expected on or off');
        else {
          s.pager = on;
          await shell.output.message(`Pager usage is ${on ? 'on' : 'off'}.`);
        }
        return undefined;
      }
      case 'expanded':
      case 'x':
        return HANDLERS['\\x']?.(shell, value, '');
      default:
        await shell.output.message(`\\pset: unknown option ${option} (format, null, pager, expanded)`);
        return undefined;
    }
  },
  '\\copy': async (shell, arg) => {
    const spec = parseCopy(arg, shell.session.sqlDialect);
    await shell.operation(async (signal) => {
      const count = await runCopy(shell.session, spec, {
        signal,
        readOnly: shell.readOnly,
        inTransaction: shell.transaction !== 'idle',
        write: (text) => shell.output.show(text.replace(/\n$/, ''), signal),
      });
      await shell.output.message(`COPY ${count}`);
    });
    if (spec.direction === 'from') shell.completer.refresh();
    return undefined;
  },
  '\\ask': async (shell, arg) => {
    if (arg) await shell.ask(arg);
    else await shell.output.message('\\ask: what is the question?');
    return undefined;
  },
  '\\reset': async (shell) => {
    const n = shell.resetConversation();
    await shell.output.message(
      n === 0
        ? 'No conversation to forget: the next question starts afresh.'
        : `Conversation forgotten (${n} question${n === 1 ? '' : 's'}): the next question starts afresh.`,
    );
    return undefined;
  },
  '\\sql': async (shell, arg) => {
    if (arg) await shell.runSql(arg);
    else shell.forceSqlNext();
    return undefined;
  },
  '\\explain': async (shell, arg) => {
    if (!arg) {
      await shell.output.message('\\explain: which statement?');
      return undefined;
    }
    await shell.operation(async (signal) => {
      const plan = await explain(shell.session, arg, { signal });
      await shell.output.show(
        await renderPlanText(plan, { color: shell.settings.color && !shell.output.file }),
        signal,
      );
    });
    return undefined;
  },
  '\\refresh': async (shell) => {
    shell.completer.refresh(true);
    const schema = await shell.completer.ready();
    await shell.output.message(`Schema read again: ${schema.tables.length} tables and views.`);
    return undefined;
  },
  '\\cache': async (shell) => {
    if (shell.session.cacheMode === 'off') {
      await shell.output.message('The query cache is off: no Redis URL (AISHELL_REDIS_URL or REDIS_URL).');
      return undefined;
    }
    const { statsText } = await import('../commands/cache/stats.js');
    await using cache = await openCache({});
    const { local: _local, ...stats } = await cache.stats();
    const lookups = stats.hits + stats.misses;
    await shell.output.show(
      statsText({
        ...stats,
        hitRate: lookups === 0 ? null : Math.round((stats.hits / lookups) * 10_000) / 10_000,
      }),
    );
    return undefined;
  },
  '\\metrics': async (shell) => {
    const { metricsText } = await import('../commands/metrics.js');
    const report = await readMetrics({ top: 10, paths: shell.paths });
    await shell.output.show(metricsText(report, shell.output.width));
    return undefined;
  },
};
HANDLERS['\\connect'] = HANDLERS['\\c'] as Handler;
HANDLERS['\\d+'] = HANDLERS['\\d'] as Handler;
HANDLERS['\\include'] = HANDLERS['\\i'] as Handler;
HANDLERS['\\out'] = HANDLERS['\\o'] as Handler;
HANDLERS['\\edit'] = HANDLERS['\\e'] as Handler;

/** Runs one backslash command (`buffer`: SQL lines typed above it, psql's query buffer). */
export async function runMetaCommand(
  shell: ShellContext,
  command: string,
  buffer: string,
): Promise<MetaOutcome> {
  const m = /^(\\[^\s]*)\s*(.*)$/s.exec(command.trim());
  const verb = m?.[1] ?? command;
  const arg = (m?.[2] ?? '').trim();
  const handler = HANDLERS[verb];
  if (!handler) {
    await shell.output.message(`invalid command ${verb}; try \\? for help`);
    if (buffer) shell.setPending(buffer);
    return undefined;
  }
  const outcome = await handler(shell, arg, buffer);
  // The lines above a command that does not use them stay for the next prompt, as psql keeps its buffer.
  if (buffer && !['\\e', '\\edit', '\\g', '\\r', '\\watch', '\\q', '\\quit'].includes(verb))
    shell.setPending(buffer);
  return outcome;
}
