// SQLite: candidates from EXPLAIN QUERY PLAN, never proven. Its plan shows the tables scanned without an
// index (SCAN t) and the sorts it builds (USE TEMP B-TREE FOR ORDER BY / GROUP BY / DISTINCT), but no
// condition, cost or row count: the columns come from the statement itself. SQLite's own answer,
// the sqlite3_expert extension behind the shell's .expert, is compiled into the sqlite3 shell only,
// not into the library better-sqlite3 builds, so advise cannot ask it.
import { type ParsedNode, parsePlan } from '@aishell/plan';
import { throwIfAborted } from './errors.js';
import {
  columnsFromStatement,
  type ForeignStatement,
  foreignUsedColumns,
  readForeignStatement,
  relationNames,
  tableForPlanName,
} from './foreign-statement.js';
import { columnKey, type ExistingIndex, type TableInfo } from './index-candidates.js';
import { pickColumns, type StatementCandidate, unprovenAdvice, unprovenReport } from './plan-candidates.js';
import type { ResolvedOptions } from './postgres-advisor.js';
import { placeholderCount } from './postgres-spelling.js';
import { num } from './row-values.js';
import type { AdviceReport, AdviseRun, StatementAdvice } from './types.js';

export const SQLITE_UNPROVEN =
  "not proven: SQLite has no hypothetical indexes, and its own .expert analysis (sqlite3_expert) is built into the sqlite3 shell only, not into better-sqlite3's library";

function nodes(root: ParsedNode): ParsedNode[] {
  const out: ParsedNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop() as ParsedNode;
    out.unshift(n);
    stack.push(...n.children);
  }
  return out;
}

export async function adviseSqlite(
  run: AdviseRun,
  statements: readonly string[],
  o: ResolvedOptions,
): Promise<AdviceReport> {
  const read: ForeignStatement[] = [];
  for (const sql of statements) read.push(await readForeignStatement(sql, 'sqlite'));
  const plans = new Map<ForeignStatement, ParsedNode[] | string>();
  for (const s of read) {
    if (s.skip) continue;
    throwIfAborted(o.signal);
    try {
      // SQLite plans at prepare time, before values are bound: NULLs stand in for them.
      const text = s.sql.trim().replace(/;\s*$/, '');
      const nulls = Array.from({ length: placeholderCount(text, 'sqlite') }, () => null);
      const { rows } = await run(`EXPLAIN QUERY PLAN ${text}`, nulls);
      plans.set(
        s,
        nodes(
          parsePlan(
            rows.map((r) => ({ id: num(r.id) ?? 0, parent: num(r.parent) ?? 0, detail: String(r.detail) })),
          ).root,
        ),
      );
    } catch (error) {
      plans.set(
        s,
        `EXPLAIN QUERY PLAN failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
      );
    }
  }
  const names = new Set<string>();
  for (const [s, p] of plans) {
    if (typeof p === 'string') continue;
    for (const n of p) if (n.relation) names.add(n.relation);
    for (const n of relationNames(s.shape)) names.add(n);
  }
  const tables = await sqliteTables(run, [...names]);
  const found: StatementCandidate[] = [];
  const advice: { s: ForeignStatement; status: StatementAdvice['status']; reason: string }[] = [];
  for (const s of read) {
    const p = plans.get(s);
    if (s.skip || typeof p === 'string' || p === undefined) {
      advice.push({ s, status: 'skipped', reason: s.skip ?? (p as string | undefined) ?? 'not explained' });
      continue;
    }
    if (!s.shape) {
      advice.push({
        s,
        status: 'skipped',
        reason: "SQLite's plan names no columns and the statement could not be read for them",
      });
      continue;
    }
    const used = foreignUsedColumns(s.shape, tables);
    const sorts = p.filter((n) => n.nodeType === 'USE TEMP B-TREE');
    const scans = p.filter((n) => n.nodeType === 'SCAN' && n.relation !== null && n.index === null);
    const mine: StatementCandidate[] = [];
    for (const scan of scans) {
      const t =
        tableForPlanName(scan.alias ?? scan.relation ?? '', s.shape, tables) ??
        tableForPlanName(scan.relation ?? '', s.shape, tables);
      if (!t) continue;
      const filters = used.some(
        (u) => u.table.key === t.table.key && (u.clauses.has('where') || u.clauses.has('join')),
      );
      const columns = pickColumns(t.table, columnsFromStatement(t.table, used), 'fold');
      if (!columns) continue;
      const what = filters ? 'filters or joins on' : 'sorts or groups on';
      const temp =
        sorts.length > 0
          ? ` and builds ${sorts.map((n) => String(n.properties.detail ?? n.nodeType)).join(', ')}`
          : '';
      mine.push({
        table: t.table,
        columns,
        why: `SQLite scans ${t.table.name} without an index (SCAN ${scan.relation})${temp}; the statement ${what} ${columns.join(', ')}`,
        statement: s.sql,
        costBefore: null,
      });
    }
    found.push(...mine);
    advice.push({
      s,
      status: mine.length > 0 ? 'unproven' : 'no-gain',
      reason:
        mine.length > 0
          ? mine.map((m) => m.why).join('; ')
          : 'its plan scans no table in full where an index on its columns would serve',
    });
  }
  const { rows: existing } = await run(`SELECT name FROM sqlite_master WHERE type = 'index'`);
  const indexes = unprovenAdvice(
    found,
    'sqlite',
    new Set(existing.map((r) => String(r.name))),
    SQLITE_UNPROVEN,
  );
  return unprovenReport(
    'sqlite',
    indexes,
    advice.map(({ s, status, reason }) => ({ sql: s.sql, status, reason, cost: null })),
    SQLITE_UNPROVEN,
  );
}

/** The tables of the main database by folded name, with their columns and indexes (pragma table functions). */
async function sqliteTables(run: AdviseRun, names: readonly string[]): Promise<Map<string, TableInfo>> {
  const out = new Map<string, TableInfo>();
  for (const name of new Set(names.map((n) => n.toLowerCase()))) {
    const { rows: master } = await run(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = ?`,
      [name],
    );
    const real = master[0]?.name;
    if (typeof real !== 'string') continue;
    const { rows: columns } = await run('SELECT name, type FROM pragma_table_info(?)', [real]);
    const { rows: indexRows } = await run(
      `SELECT il.name AS index_name, il.partial AS partial, ii.seqno AS seqno, ii.name AS column_name
         FROM pragma_index_list(?) AS il JOIN pragma_index_info(il.name) AS ii
        ORDER BY il.name, ii.seqno`,
      [real],
    );
    const byIndex = new Map<string, { columns: (string | null)[]; partial: boolean }>();
    for (const r of indexRows) {
      const key = String(r.index_name);
      const entry = byIndex.get(key) ?? { columns: [], partial: num(r.partial) === 1 };
      entry.columns.push(r.column_name === null ? null : String(r.column_name));
      byIndex.set(key, entry);
    }
    const indexes: ExistingIndex[] = [...byIndex].map(([n, i]) => ({
      name: n,
      columns: i.columns,
      plainBtree: !i.partial,
    }));
    // The INTEGER PRIMARY KEY is the table's own key: an index leading with it is never needed.
    const { rows: pk } = await run('SELECT name, type FROM pragma_table_info(?) WHERE pk = 1', [real]);
    if (pk.length === 1 && /^integer$/i.test(String(pk[0]?.type)))
      indexes.push({ name: 'rowid', columns: [String(pk[0]?.name)], plainBtree: true });
    out.set(name, {
      key: real,
      schema: null,
      name: real,
      columns: new Map(
        columns.map((c) => [
          columnKey(String(c.name), 'fold'),
          { name: String(c.name), type: String(c.type), btree: true },
        ]),
      ),
      indexes,
    });
  }
  return out;
}
