// The SQLite differ. SQLite alters little in place: a column appended (ADD COLUMN) or dropped (DROP
// COLUMN), a table or column renamed. Any other change to a table is SQLite's documented rebuild: a new
// table with the target definition, the rows copied, the old one dropped and the new one renamed, then
// its indexes and triggers created again, with foreign keys off around it (a DROP TABLE with them on
// would run ON DELETE actions). Statements compare normalised (case, quoting and spacing aside).
import { SchemaError } from '../errors.js';
import { hazard, type PlanBuilder } from '../plan-builder.js';
import type { SqliteObject, SqliteSchemaModel, SqliteTable, UnmodelledObject } from '../schema-model.js';
import { ident } from '../sql-quoting.js';
import { topoSort } from '../topo-sort.js';

const P = {
  RENAMES: 0,
  DROP_TRIGGERS: 5,
  DROP_VIEWS: 6,
  DROP_INDEXES: 7,
  FK_OFF: 8,
  DROP_TABLES: 10,
  TABLES: 20,
  ALTER: 21,
  REBUILD: 22,
  FK_ON: 23,
  INDEXES: 30,
  VIEWS: 31,
  TRIGGERS: 32,
} as const;

/** `sql` with case, identifier quotes and spacing normalised; string literals kept as they are. */
export function normalizeSqlite(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      while (j < sql.length && !(sql[j] === close && sql[j + 1] !== close)) j += sql[j] === close ? 2 : 1;
      const name = sql.slice(i + 1, j).replaceAll(close + close, close);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
        ? name.toLowerCase()
        : `"${name.toLowerCase().replaceAll('"', '""')}"`;
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else {
      out += c.toLowerCase();
      i++;
    }
  }
  return out
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .trim();
}

/** The comma-separated parts of a CREATE TABLE's body (column definitions and table constraints). */
function tableParts(sql: string): { head: string; parts: string[]; tail: string } | null {
  const open = sql.indexOf('(');
  if (open === -1) return null;
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  let i = open + 1;
  for (; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i++;
      while (i < sql.length && sql[i] !== close) i++;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(sql.slice(start, i).trim());
  return { head: sql.slice(0, open), parts, tail: sql.slice(i + 1) };
}

const CONSTRAINT_START = /^(constraint|primary|unique|check|foreign)\b/i;
const isColumnPart = (p: string) => !CONSTRAINT_START.test(p);
const byName = <T extends { name: string }>(list: readonly T[]) =>
  new Map(list.map((x) => [x.name.toLowerCase(), x]));
const sameSql = (a: string, b: string) => normalizeSqlite(a) === normalizeSqlite(b);

export function diffSqlite(fromInput: SqliteSchemaModel, to: SqliteSchemaModel, b: PlanBuilder): void {
  const from = applySqliteRenames(fromInput, to, b.options.renames, b);
  const fromTables = byName(from.tables);
  const toTables = byName(to.tables);
  const rebuilt = new Set<string>();

  for (const t of to.tables) {
    const old = fromTables.get(t.name.toLowerCase());
    if (!old) b.add(P.TABLES, t.sql);
    else if (!sameSql(old.sql, t.sql) && !alterInPlace(b, old, t)) rebuilt.add(t.name.toLowerCase());
  }
  for (const t of from.tables)
    if (!toTables.has(t.name.toLowerCase()))
      b.add(P.DROP_TABLES, `DROP TABLE ${ident(t.name)}`, {
        hazards: [hazard('DELETES_DATA', `every row of ${t.name} is deleted`)],
      });

  if (rebuilt.size > 0) {
    b.add(P.FK_OFF, 'PRAGMA foreign_keys = OFF', { transactional: false });
    for (const key of rebuilt)
      rebuildTable(b, fromTables.get(key) as SqliteTable, toTables.get(key) as SqliteTable);
    if (to.foreignKeys || from.foreignKeys)
      b.add(P.FK_ON, 'PRAGMA foreign_keys = ON', { transactional: false });
  }

  // Indexes and triggers of a rebuilt table go with it; views are rebuilt around any table rebuild
  // (a rename re-checks every view).
  const gone = (o: SqliteObject) =>
    rebuilt.has(o.table.toLowerCase()) || !toTables.has(o.table.toLowerCase());
  objects(
    b,
    from.indexes,
    to.indexes,
    (o) => gone(o) && !toTables.has(o.table.toLowerCase()),
    (o) => rebuilt.has(o.table.toLowerCase()),
    'INDEX',
    P.DROP_INDEXES,
    P.INDEXES,
  );
  const viewDeps = (list: readonly SqliteObject[]) => (v: SqliteObject) =>
    list
      .filter((o) => o !== v && new RegExp(`\\b${o.name.toLowerCase()}\\b`).test(normalizeSqlite(v.sql)))
      .map((o) => o.name.toLowerCase());
  const allViews = rebuilt.size > 0;
  const fromViews = byName(from.views);
  const toViews = byName(to.views);
  const droppedViews = from.views.filter(
    (v) =>
      allViews ||
      !toViews.has(v.name.toLowerCase()) ||
      !sameSql(v.sql, toViews.get(v.name.toLowerCase())?.sql ?? ''),
  );
  for (const v of topoSort(droppedViews, (v) => v.name.toLowerCase(), viewDeps(from.views)).reverse())
    b.add(P.DROP_VIEWS, `DROP VIEW ${ident(v.name)}`);
  const createdViews = to.views.filter(
    (v) =>
      allViews ||
      !fromViews.has(v.name.toLowerCase()) ||
      !sameSql(v.sql, fromViews.get(v.name.toLowerCase())?.sql ?? ''),
  );
  for (const v of topoSort(createdViews, (v) => v.name.toLowerCase(), viewDeps(to.views)))
    b.add(P.VIEWS, v.sql);
  objects(
    b,
    from.triggers,
    to.triggers,
    (o) => !toTables.has(o.table.toLowerCase()) && !toViews.has(o.table.toLowerCase()),
    (o) => rebuilt.has(o.table.toLowerCase()) || (allViews && toViews.has(o.table.toLowerCase())),
    'TRIGGER',
    P.DROP_TRIGGERS,
    P.TRIGGERS,
  );
  unmodelled(b, from.unmodelled, to.unmodelled);
}

/** Indexes or triggers: dropped, created, or both when they differ. */
function objects(
  b: PlanBuilder,
  from: readonly SqliteObject[],
  to: readonly SqliteObject[],
  droppedWithTable: (o: SqliteObject) => boolean,
  recreate: (o: SqliteObject) => boolean,
  kind: 'INDEX' | 'TRIGGER',
  dropPhase: number,
  createPhase: number,
): void {
  const fromO = byName(from);
  const toO = byName(to);
  const spec = (o: SqliteObject, what: 'build' | 'drop') =>
    kind === 'INDEX'
      ? {
          hazards: [
            what === 'build'
              ? hazard('INDEX_BUILD', `builds ${o.name} on ${o.table}`)
              : hazard('INDEX_DROPPED', `queries that used ${o.name} may slow down`),
          ],
        }
      : {};
  for (const o of from) {
    const next = toO.get(o.name.toLowerCase());
    if (droppedWithTable(o) || (next && recreate(next))) continue;
    if (!next || !sameSql(o.sql, next.sql))
      b.add(dropPhase, `DROP ${kind} ${ident(o.name)}`, spec(o, 'drop'));
  }
  for (const o of to) {
    const old = fromO.get(o.name.toLowerCase());
    if (!old || recreate(o) || !sameSql(old.sql, o.sql)) b.add(createPhase, o.sql, spec(o, 'build'));
  }
}

/** ADD COLUMN or DROP COLUMN when that is the whole difference; false when the table must be rebuilt. */
function alterInPlace(b: PlanBuilder, f: SqliteTable, t: SqliteTable): boolean {
  const a = tableParts(f.sql);
  const z = tableParts(t.sql);
  if (!a || !z || normalizeSqlite(a.tail) !== normalizeSqlite(z.tail)) return false;
  const norm = (ps: string[]) => ps.map(normalizeSqlite);
  const aCols = norm(a.parts.filter(isColumnPart));
  const zCols = z.parts.filter(isColumnPart);
  const aCons = norm(a.parts.filter((p) => !isColumnPart(p)));
  const zCons = norm(z.parts.filter((p) => !isColumnPart(p)));
  if (aCons.join(',') !== zCons.join(',')) return false;
  const zNorm = norm(zCols);
  const target = ident(t.name);
  // Appended columns: constant defaults, no key, no NOT NULL without a default (SQLite's rules).
  if (zNorm.length > aCols.length && aCols.every((c, i) => zNorm[i] === c)) {
    const added = zCols.slice(aCols.length);
    if (added.some((c) => /\b(primary|unique)\b/i.test(c) || /\bstored\b/i.test(c))) return false;
    if (added.some((c) => /\bnot null\b/i.test(c) && !/\bdefault\b/i.test(c))) return false;
    if (added.some((c) => /\bdefault\s*\(/i.test(c))) return false;
    for (const c of added) b.add(P.ALTER, `ALTER TABLE ${target} ADD COLUMN ${c}`);
    return true;
  }
  // Dropped columns, the others unchanged and in order.
  if (zNorm.length < aCols.length) {
    const names = (ps: string[]) => ps.map((p) => p.split(' ')[0] as string);
    const kept = names(zNorm);
    const remaining = aCols.filter((c) => kept.includes(c.split(' ')[0] as string));
    if (remaining.join(',') !== zNorm.join(',')) return false;
    const dropped = aCols.filter((c) => !kept.includes(c.split(' ')[0] as string));
    if (dropped.some((c) => /\b(primary|unique|references)\b/.test(c))) return false;
    for (const c of dropped) {
      const name = f.columns.find(
        (col) => col.name.toLowerCase() === (c.split(' ')[0] as string).replace(/^"|"$/g, ''),
      )?.name;
      if (!name) return false;
      b.add(P.ALTER, `ALTER TABLE ${target} DROP COLUMN ${ident(name)}`, {
        hazards: [hazard('DELETES_DATA', `the values of ${t.name}.${name} are deleted`)],
      });
    }
    return true;
  }
  return false;
}

/** SQLite's twelve-step rebuild, with the rows of the columns both definitions have. */
function rebuildTable(b: PlanBuilder, f: SqliteTable, t: SqliteTable): void {
  const parts = tableParts(t.sql);
  if (!parts) throw new SchemaError('SCHEMA_UNSUPPORTED', `cannot read the definition of ${t.name}`);
  const temp = `_aishell_new_${t.name}`;
  const head = parts.head.replace(/^(\s*create\s+table\s+).*$/is, `$1${ident(temp)} `);
  const created = `${head}(${parts.parts.join(', ')})${parts.tail}`;
  const stored = (c: { hidden: number }) => c.hidden === 0 || c.hidden === 1;
  const target = new Map(t.columns.filter(stored).map((c) => [c.name.toLowerCase(), c.name]));
  const common = f.columns
    .filter((c) => stored(c) && target.has(c.name.toLowerCase()))
    .map((c) => ident(c.name));
  const lost = f.columns.filter((c) => stored(c) && !target.has(c.name.toLowerCase())).map((c) => c.name);
  const copy = hazard('TABLE_REBUILD', `${t.name} is copied into a new table with the target definition`);
  const fails = hazard('CORRECTNESS', `fails if a row of ${t.name} breaks the new definition`);
  b.add(P.REBUILD, created, { hazards: [copy] });
  b.add(
    P.REBUILD,
    `INSERT INTO ${ident(temp)} (${common.join(', ')}) SELECT ${common.join(', ')} FROM ${ident(t.name)}`,
    {
      hazards: [
        copy,
        fails,
        hazard('IMPACTS_DATABASE_PERFORMANCE', `reads and writes every row of ${t.name}`),
      ],
      online: false,
    },
  );
  b.add(P.REBUILD, `DROP TABLE ${ident(t.name)}`, {
    hazards: lost.length
      ? [
          hazard(
            'DELETES_DATA',
            `the values of ${lost.map((c) => `${t.name}.${c}`).join(', ')} are not copied`,
          ),
        ]
      : [],
  });
  b.add(P.REBUILD, `ALTER TABLE ${ident(temp)} RENAME TO ${ident(t.name)}`);
}

function unmodelled(
  b: PlanBuilder,
  from: readonly UnmodelledObject[],
  to: readonly UnmodelledObject[],
): void {
  const fromU = new Map(from.map((u) => [u.name, u]));
  const toU = new Map(to.map((u) => [u.name, u]));
  for (const u of to) {
    const old = fromU.get(u.name);
    if (!old) b.unsupported(u.kind, u.name, 'only in the target schema; not planned');
    else if (!sameSql(old.definition, u.definition)) b.unsupported(u.kind, u.name, 'differs; not planned');
  }
  for (const u of from)
    if (!toU.has(u.name)) b.unsupported(u.kind, u.name, 'only in the source schema; not dropped');
}

/** `renames` for SQLite: `table` or `table.column`. */
function applySqliteRenames(
  from: SqliteSchemaModel,
  to: SqliteSchemaModel,
  renames: Readonly<Record<string, string>>,
  b: PlanBuilder,
): SqliteSchemaModel {
  let model = from;
  const entries = Object.entries(renames).map(([k, v]) => ({
    parts: k.split('.'),
    value: v.split('.').pop() as string,
    key: k,
  }));
  const tableRenames = new Map<string, string>();
  for (const { parts, value, key } of entries.filter((e) => e.parts.length === 1)) {
    const old = parts[0] as string;
    const table = model.tables.find((t) => t.name.toLowerCase() === old.toLowerCase());
    if (!table)
      throw new SchemaError('SCHEMA_BAD_OPTION', `rename ${key}: no such table in the source schema`);
    if (!to.tables.some((t) => t.name.toLowerCase() === value.toLowerCase()))
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `rename ${key} -> ${value}: no table ${value} in the target schema`,
      );
    tableRenames.set(old.toLowerCase(), value);
    b.add(P.RENAMES, `ALTER TABLE ${ident(table.name)} RENAME TO ${ident(value)}`, {
      hazards: [hazard('CORRECTNESS', `queries that still name ${table.name} fail once it is ${value}`)],
    });
    const swap = (s: string) =>
      s.replace(new RegExp(`(["\`\\[]?)\\b${escapeRegExp(table.name)}\\b(["\`\\]]?)`, 'gi'), `"${value}"`);
    model = {
      ...model,
      tables: model.tables.map((t) =>
        t === table ? { ...t, name: value, sql: swap(t.sql) } : { ...t, sql: swap(t.sql) },
      ),
      indexes: model.indexes.map((o) => ({
        ...o,
        table: o.table.toLowerCase() === old.toLowerCase() ? value : o.table,
        sql: swap(o.sql),
      })),
      triggers: model.triggers.map((o) => ({
        ...o,
        table: o.table.toLowerCase() === old.toLowerCase() ? value : o.table,
        sql: swap(o.sql),
      })),
    };
  }
  for (const { parts, value, key } of entries.filter((e) => e.parts.length === 2)) {
    const tableName = tableRenames.get((parts[0] as string).toLowerCase()) ?? (parts[0] as string);
    const column = parts[1] as string;
    const table = model.tables.find((t) => t.name.toLowerCase() === tableName.toLowerCase());
    const col = table?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
    if (!table || !col)
      throw new SchemaError('SCHEMA_BAD_OPTION', `rename ${key}: no column ${column} in ${tableName}`);
    if (
      !to.tables
        .find((t) => t.name.toLowerCase() === table.name.toLowerCase())
        ?.columns.some((c) => c.name.toLowerCase() === value.toLowerCase())
    )
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `rename ${key} -> ${value}: no column ${value} in the target table ${table.name}`,
      );
    b.add(P.RENAMES, `ALTER TABLE ${ident(table.name)} RENAME COLUMN ${ident(col.name)} TO ${ident(value)}`, {
      hazards: [
        hazard('CORRECTNESS', `queries that still name ${table.name}.${col.name} fail once it is ${value}`),
      ],
    });
    const swap = (s: string) =>
      s.replace(new RegExp(`(["\`\\[]?)\\b${escapeRegExp(col.name)}\\b(["\`\\]]?)`, 'gi'), `"${value}"`);
    const own = (o: SqliteObject) => o.table.toLowerCase() === table.name.toLowerCase();
    model = {
      ...model,
      tables: model.tables.map((t) =>
        t === table
          ? { ...t, sql: swap(t.sql), columns: t.columns.map((c) => (c === col ? { ...c, name: value } : c)) }
          : t,
      ),
      indexes: model.indexes.map((o) => (own(o) ? { ...o, sql: swap(o.sql) } : o)),
      triggers: model.triggers.map((o) => (own(o) ? { ...o, sql: swap(o.sql) } : o)),
    };
  }
  return model;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
