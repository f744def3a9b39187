// The MySQL/MariaDB differ. Each table's changes are grouped by what the server can do without copying
// the table, and each group is one ALTER TABLE with the ALGORITHM (and LOCK) that holds it to that:
// drops of indexes and checks (INPLACE), column adds, drops and defaults, comments (INSTANT), copies
// (type and character set changes, checks, stored generated columns: no ALGORITHM, TABLE_REBUILD),
// rebuilds InnoDB does in place (nullability, column order, primary key: INPLACE, TABLE_REBUILD), index
// builds (INPLACE, LOCK=NONE), FULLTEXT and SPATIAL builds (LOCK=SHARED). With a copy in the plan the
// other groups ride along in it (one copy, not several). Foreign keys come last, views and triggers
// after the tables. Claims about algorithms were checked on MariaDB 10.11 (the corpus applies each one).
import { SchemaError } from '../errors.js';
import { hazard, type PlanBuilder } from '../plan-builder.js';
import type {
  MysqlColumn,
  MysqlForeignKey,
  MysqlIndex,
  MysqlRoutine,
  MysqlSchemaModel,
  MysqlTable,
  MysqlTrigger,
  MysqlView,
  UnmodelledObject,
} from '../schema-model.js';
import type { Hazard } from '../schema-plan.js';
import { mysqlString, mysqlIdent as q } from '../sql-quoting.js';
import { topoSort } from '../topo-sort.js';
import { mysqlFlavor } from './mysql-introspect.js';
import { classifyMysqlTypeChange } from './mysql-type-change.js';

const P = {
  RENAME_TABLES: 0,
  RENAME_COLUMNS: 1,
  DROP_TRIGGERS: 5,
  DROP_VIEWS: 6,
  DROP_ROUTINES: 7,
  DROP_FKS: 8,
  DROP_TABLES: 10,
  TABLES: 20,
  ALTER: 21,
  FKS: 30,
  ROUTINES: 35,
  VIEWS: 36,
  TRIGGERS: 37,
} as const;

/** What ALTER TABLE needs for a change, cheapest first. */
type AlterClass = 'drop' | 'instant' | 'inplace' | 'rebuild' | 'shared' | 'copy';

interface Clause {
  readonly sql: string;
  readonly cls: AlterClass;
  readonly hazards: readonly Hazard[];
}

interface Capabilities {
  /** ALGORITHM=INSTANT for ADD COLUMN anywhere and DROP COLUMN (MariaDB 10.4, MySQL 8.0.29). */
  readonly instantColumns: boolean;
  /** RENAME COLUMN and RENAME INDEX (MariaDB 10.5, MySQL 8.0). */
  readonly renameClauses: boolean;
  /** CREATE OR REPLACE TRIGGER / FUNCTION / PROCEDURE (MariaDB). */
  readonly orReplace: boolean;
  /** `IGNORED` (MariaDB) or `INVISIBLE` (MySQL) for an index the optimizer skips. */
  readonly ignoredWord: 'IGNORED' | 'INVISIBLE';
}

function capabilities(model: MysqlSchemaModel): Capabilities {
  const v = mysqlFlavor(model.serverVersion);
  const atLeast = (major: number, minor: number, patch = 0) =>
    v.major > major || (v.major === major && (v.minor > minor || (v.minor === minor && v.patch >= patch)));
  return model.flavor === 'mariadb'
    ? {
        instantColumns: atLeast(10, 4),
        renameClauses: atLeast(10, 5),
        orReplace: true,
        ignoredWord: 'IGNORED',
      }
    : { instantColumns: atLeast(8, 0, 29), renameClauses: true, orReplace: false, ignoredWord: 'INVISIBLE' };
}

const byName = <T extends { name: string }>(list: readonly T[]): Map<string, T> =>
  new Map(list.map((x) => [x.name, x]));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const mdl = (table: string) =>
  hazard(
    'METADATA_LOCK',
    `waits for an exclusive metadata lock on ${table}; queries on it queue behind the wait`,
  );
const rebuild = (table: string) => hazard('TABLE_REBUILD', `${table} is copied row by row`);

export function diffMysql(fromInput: MysqlSchemaModel, to: MysqlSchemaModel, b: PlanBuilder): void {
  const caps = capabilities(fromInput);
  const from = applyMysqlRenames(fromInput, to, b.options.renames, b, caps);
  const fromTables = byName(from.tables);
  const toTables = byName(to.tables);

  // Foreign keys that must go before the indexes or columns under them change, and come back after.
  const rebuiltFks = new Set<string>();
  for (const t of from.tables) {
    const next = toTables.get(t.name);
    if (!next) continue;
    for (const fk of t.foreignKeys) {
      const target = toTables.get(fk.referencedTable);
      const fromTarget = fromTables.get(fk.referencedTable);
      const touches = (ft: MysqlTable | undefined, tt: MysqlTable | undefined, cols: readonly string[]) =>
        !!ft &&
        !!tt &&
        (ft.indexes.some(
          (i) =>
            leadingColumns(i, cols) &&
            !same(indexShape(i), indexShape(byName(tt.indexes).get(i.name) ?? null)),
        ) ||
          cols.some((c) => {
            const a = ft.columns.find((x) => x.name === c);
            const z = tt.columns.find((x) => x.name === c);
            return (
              !!a && !!z && (a.type !== z.type || a.charset !== z.charset || a.collation !== z.collation)
            );
          }));
      if (
        touches(t, next, fk.columns) ||
        (fk.referencedSchema === null && touches(fromTarget, target, fk.referencedColumns))
      )
        rebuiltFks.add(`${t.name}.${fk.name}`);
    }
  }

  for (const t of to.tables) {
    const old = fromTables.get(t.name);
    if (!old) createTable(b, t, caps);
    else alterTable(b, old, t, caps, rebuiltFks);
  }
  for (const t of from.tables) {
    if (toTables.has(t.name)) continue;
    const refs = t.foreignKeys.filter(
      (fk) =>
        fk.referencedSchema === null &&
        fk.referencedTable !== t.name &&
        !toTables.has(fk.referencedTable) &&
        fromTables.has(fk.referencedTable),
    );
    if (refs.length)
      b.add(
        P.DROP_FKS,
        `ALTER TABLE ${q(t.name)} ${refs.map((fk) => `DROP FOREIGN KEY ${q(fk.name)}`).join(', ')}`,
        {
          hazards: [mdl(t.name)],
        },
      );
    b.add(P.DROP_TABLES, `DROP TABLE ${q(t.name)}`, {
      hazards: [hazard('DELETES_DATA', `every row of ${t.name} is deleted`), mdl(t.name)],
    });
  }
  views(b, from, to);
  routines(b, from, to, caps);
  triggers(b, from, to, caps, fromTables);
  unmodelled(b, from.unmodelled, to.unmodelled);
}

// ------------------------------------------------------------ definitions

function columnDefinition(c: MysqlColumn): string {
  let s = `${q(c.name)} ${c.type}`;
  if (c.charset) s += ` CHARACTER SET ${c.charset}`;
  if (c.collation) s += ` COLLATE ${c.collation}`;
  if (c.generated)
    s += ` GENERATED ALWAYS AS (${c.generated.expression}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`;
  else {
    s += c.nullable ? ' NULL' : ' NOT NULL';
    if (c.default !== null) s += ` DEFAULT ${c.default}`;
    if (c.onUpdate) s += ` ON UPDATE ${c.onUpdate}`;
    if (c.autoIncrement) s += ' AUTO_INCREMENT';
  }
  if (c.invisible) s += ' INVISIBLE';
  if (c.comment) s += ` COMMENT ${mysqlString(c.comment)}`;
  return s;
}

function indexParts(i: MysqlIndex): string {
  return i.parts
    .map(
      (p) =>
        `${p.column === null ? `(${p.expression})` : q(p.column)}${p.length ? `(${p.length})` : ''}${p.descending ? ' DESC' : ''}`,
    )
    .join(', ');
}

function indexDefinition(i: MysqlIndex, caps: Capabilities): string {
  const kind =
    i.name === 'PRIMARY'
      ? 'PRIMARY KEY'
      : i.type === 'FULLTEXT'
        ? `FULLTEXT KEY ${q(i.name)}`
        : i.type === 'SPATIAL'
          ? `SPATIAL KEY ${q(i.name)}`
          : `${i.unique ? 'UNIQUE ' : ''}KEY ${q(i.name)}`;
  let s = `${kind} (${indexParts(i)})`;
  if (i.type === 'HASH') s += ' USING HASH';
  if (i.comment) s += ` COMMENT ${mysqlString(i.comment)}`;
  if (i.ignored) s += ` ${caps.ignoredWord}`;
  return s;
}

function foreignKeyDefinition(fk: MysqlForeignKey): string {
  const table = fk.referencedSchema
    ? `${q(fk.referencedSchema)}.${q(fk.referencedTable)}`
    : q(fk.referencedTable);
  return `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${fk.columns.map(q).join(', ')}) REFERENCES ${table} (${fk.referencedColumns.map(q).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
}

const indexShape = (i: MysqlIndex | null) =>
  i === null ? null : { unique: i.unique, type: i.type, parts: i.parts, comment: i.comment };
const fkShape = (fk: MysqlForeignKey) => {
  const { name: _name, ...rest } = fk;
  return rest;
};

/** Whether `index` starts with `columns` (the index a foreign key on them uses). */
function leadingColumns(index: MysqlIndex, columns: readonly string[]): boolean {
  return columns.every((c, k) => index.parts[k]?.column === c);
}

function tableOptions(t: MysqlTable): string {
  let s = `ENGINE=${t.engine} DEFAULT CHARSET=${t.charset} COLLATE=${t.collation}`;
  if (t.comment) s += ` COMMENT=${mysqlString(t.comment)}`;
  for (const o of t.options) s += ` ${o}`;
  return s;
}

// ------------------------------------------------------------ tables

function createTable(b: PlanBuilder, t: MysqlTable, caps: Capabilities): void {
  const lines = [
    ...t.columns.map(columnDefinition),
    ...t.indexes.map((i) => indexDefinition(i, caps)),
    ...t.checks.map((c) => `CONSTRAINT ${q(c.name)} CHECK (${c.clause})`),
  ];
  b.add(P.TABLES, `CREATE TABLE ${q(t.name)} (\n  ${lines.join(',\n  ')}\n) ${tableOptions(t)}`);
  if (t.foreignKeys.length)
    b.add(
      P.FKS,
      `ALTER TABLE ${q(t.name)} ${t.foreignKeys.map((fk) => `ADD ${foreignKeyDefinition(fk)}`).join(', ')}`,
    );
}

function alterTable(
  b: PlanBuilder,
  f: MysqlTable,
  t: MysqlTable,
  caps: Capabilities,
  rebuiltFks: ReadonlySet<string>,
): void {
  const name = t.name;
  const clauses: Clause[] = [];
  const add = (sql: string, cls: AlterClass, hazards: Hazard[] = []) => clauses.push({ sql, cls, hazards });

  // Foreign keys: dropped first (their own statement), added last.
  const fromFks = byName(f.foreignKeys);
  const toFks = byName(t.foreignKeys);
  const dropFks = f.foreignKeys.filter((fk) => {
    const next = toFks.get(fk.name);
    return !next || !same(fkShape(fk), fkShape(next)) || rebuiltFks.has(`${f.name}.${fk.name}`);
  });
  if (dropFks.length)
    b.add(
      P.DROP_FKS,
      `ALTER TABLE ${q(name)} ${dropFks.map((fk) => `DROP FOREIGN KEY ${q(fk.name)}`).join(', ')}, ALGORITHM=INPLACE, LOCK=NONE`,
      {
        hazards: [mdl(name)],
      },
    );
  const addFks = t.foreignKeys.filter((fk) => {
    const old = fromFks.get(fk.name);
    return !old || !same(fkShape(fk), fkShape(old)) || rebuiltFks.has(`${f.name}.${fk.name}`);
  });

  // Columns, in the target's order.
  const fromCols = byName(f.columns);
  const toCols = byName(t.columns);
  // A column of the primary key goes with the key (dropping that alone is a copy).
  const inPrimary = (c: string) =>
    f.indexes.some((i) => i.name === 'PRIMARY' && i.parts.some((p) => p.column === c));
  for (const c of f.columns)
    if (!toCols.has(c.name)) {
      const cls: AlterClass = inPrimary(c.name) ? 'copy' : caps.instantColumns ? 'instant' : 'rebuild';
      add(`DROP COLUMN ${q(c.name)}`, cls, [
        hazard('DELETES_DATA', `the values of ${name}.${c.name} are deleted`),
      ]);
    }
  const moved = movedColumns(
    f.columns.map((c) => c.name).filter((n) => toCols.has(n)),
    t.columns.map((c) => c.name).filter((n) => fromCols.has(n)),
  );
  const addedClass = new Map<string, AlterClass>();
  t.columns.forEach((c, index) => {
    const previous = t.columns[index - 1];
    const position = previous ? ` AFTER ${q(previous.name)}` : ' FIRST';
    const old = fromCols.get(c.name);
    if (!old) {
      let cls: AlterClass =
        c.autoIncrement || c.generated?.stored ? 'copy' : caps.instantColumns ? 'instant' : 'rebuild';
      const after = previous ? addedClass.get(previous.name) : undefined;
      if (after && rank(after) > rank(cls)) cls = after;
      addedClass.set(c.name, cls);
      add(
        `ADD COLUMN ${columnDefinition(c)}${position}`,
        cls,
        cls === 'copy' || cls === 'rebuild' ? [rebuild(name)] : [],
      );
      return;
    }
    const change = columnChange(old, c, name);
    const move = moved.has(c.name);
    if (!change && !move) return;
    if (change?.defaultOnly && !move) {
      add(
        `ALTER COLUMN ${q(c.name)} ${c.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${c.default}`}`,
        'instant',
      );
      return;
    }
    let cls: AlterClass = change?.cls ?? 'rebuild';
    if (move && rank(cls) < rank('rebuild')) cls = 'rebuild';
    const hazards = [
      ...(change?.hazards ?? []),
      ...(cls === 'rebuild' || cls === 'copy' ? [rebuild(name)] : []),
    ];
    add(`MODIFY COLUMN ${columnDefinition(c)}${move ? position : ''}`, cls, hazards);
  });

  // Indexes.
  const fromIdx = byName(f.indexes);
  const toIdx = byName(t.indexes);
  const renamed = new Map<string, string>();
  if (caps.renameClauses)
    for (const i of t.indexes) {
      if (fromIdx.has(i.name) || i.name === 'PRIMARY') continue;
      const match = f.indexes.find(
        (o) =>
          o.name !== 'PRIMARY' &&
          !toIdx.has(o.name) &&
          ![...renamed.values()].includes(o.name) &&
          same(indexShape(o), indexShape(i)),
      );
      if (match) {
        renamed.set(i.name, match.name);
        add(`RENAME INDEX ${q(match.name)} TO ${q(i.name)}`, 'inplace');
      }
    }
  const renamedAway = new Set(renamed.values());
  const buildClass = (i: MysqlIndex): AlterClass =>
    i.name === 'PRIMARY' ? 'rebuild' : i.type === 'FULLTEXT' || i.type === 'SPATIAL' ? 'shared' : 'inplace';
  const built = (i: MysqlIndex) => hazard('INDEX_BUILD', `builds ${i.name} on ${name}`);
  const dropped = (i: MysqlIndex) =>
    hazard('INDEX_DROPPED', `queries that used ${i.name} on ${name} may slow down`);
  for (const i of f.indexes) {
    if (toIdx.has(i.name) || renamedAway.has(i.name)) continue;
    if (i.name === 'PRIMARY') add('DROP PRIMARY KEY', 'copy', [dropped(i)]);
    else add(`DROP KEY ${q(i.name)}`, 'drop', [dropped(i)]);
  }
  for (const i of t.indexes) {
    const old = fromIdx.get(renamed.get(i.name) ?? i.name);
    const def = indexDefinition(i, caps);
    if (!old) add(`ADD ${def}`, buildClass(i), [built(i)]);
    else if (!same(indexShape(old), indexShape(i))) {
      const drop = i.name === 'PRIMARY' ? 'DROP PRIMARY KEY' : `DROP KEY ${q(i.name)}`;
      add(`${drop}, ADD ${def}`, buildClass(i), [built(i), dropped(old)]);
    } else if (old.ignored !== i.ignored)
      add(
        `ALTER INDEX ${q(i.name)} ${i.ignored ? caps.ignoredWord : caps.ignoredWord === 'IGNORED' ? 'NOT IGNORED' : 'VISIBLE'}`,
        'instant',
      );
  }

  // Checks.
  const fromChecks = byName(f.checks);
  const toChecks = byName(t.checks);
  for (const c of f.checks) {
    const next = toChecks.get(c.name);
    if (!next || next.clause !== c.clause) add(`DROP CONSTRAINT ${q(c.name)}`, 'drop');
  }
  for (const c of t.checks) {
    const old = fromChecks.get(c.name);
    if (!old || old.clause !== c.clause)
      add(`ADD CONSTRAINT ${q(c.name)} CHECK (${c.clause})`, 'copy', [
        rebuild(name),
        hazard('CORRECTNESS', `fails if a row of ${name} breaks ${c.name}`),
      ]);
  }

  // Table options.
  if (f.engine.toLowerCase() !== t.engine.toLowerCase()) add(`ENGINE=${t.engine}`, 'copy', [rebuild(name)]);
  if (f.charset !== t.charset || f.collation !== t.collation)
    add(`DEFAULT CHARACTER SET=${t.charset} COLLATE=${t.collation}`, 'instant');
  if (f.comment !== t.comment) add(`COMMENT=${mysqlString(t.comment)}`, 'instant');
  const key = (o: string) => o.split('=')[0]?.toLowerCase() ?? o;
  const oldOptions = new Map(f.options.map((o) => [key(o), o]));
  const newOptions = new Map(t.options.map((o) => [key(o), o]));
  for (const o of t.options) if (oldOptions.get(key(o)) !== o) add(o, 'rebuild', [rebuild(name)]);
  for (const [k] of oldOptions)
    if (!newOptions.has(k)) add(`${k.toUpperCase()}=DEFAULT`, 'rebuild', [rebuild(name)]);

  writeAlters(b, f, name, clauses);

  if (addFks.length)
    b.add(
      P.FKS,
      `ALTER TABLE ${q(name)} ${addFks.map((fk) => `ADD ${foreignKeyDefinition(fk)}`).join(', ')}`,
      {
        hazards: [
          rebuild(name),
          mdl(name),
          hazard(
            'CORRECTNESS',
            `fails if a row of ${name} has no match in ${addFks.map((fk) => fk.referencedTable).join(', ')}`,
          ),
        ],
        online: false,
      },
    );
}

const RANK: Record<AlterClass, number> = { drop: 0, instant: 1, inplace: 2, rebuild: 3, shared: 4, copy: 5 };
const rank = (c: AlterClass) => RANK[c];

/** One ALTER TABLE per class of change; with a copy, the rest rides along in it. */
function writeAlters(b: PlanBuilder, f: MysqlTable, name: string, clauses: readonly Clause[]): void {
  if (clauses.length === 0) return;
  const target = `ALTER TABLE ${q(name)}`;
  const hasFulltext = f.indexes.some((i) => i.type === 'FULLTEXT');
  const emit = (list: readonly Clause[], algorithm: string, online: boolean) => {
    if (list.length === 0) return;
    const rebuilds = list.some((c) => rank(c.cls) >= rank('rebuild') && c.cls !== 'shared');
    const hazards = [...list.flatMap((c) => c.hazards), ...(rebuilds ? [rebuild(name)] : []), mdl(name)];
    b.add(P.ALTER, `${target} ${list.map((c) => c.sql).join(', ')}${algorithm}`, { hazards, online });
  };
  if (!b.options.online) {
    const heavy = clauses.some((c) => rank(c.cls) >= rank('rebuild'));
    emit(clauses, '', !heavy);
    return;
  }
  const of = (...classes: AlterClass[]) => clauses.filter((c) => classes.includes(c.cls));
  emit(of('drop'), ', ALGORITHM=INPLACE, LOCK=NONE', true);
  emit(of('instant'), ', ALGORITHM=INSTANT', true);
  if (of('copy').length > 0) {
    emit(of('copy', 'rebuild', 'inplace', 'shared'), '', false);
    return;
  }
  // InnoDB rebuilds a table holding a FULLTEXT index only under a shared lock.
  emit(
    of('rebuild'),
    hasFulltext ? ', ALGORITHM=INPLACE, LOCK=SHARED' : ', ALGORITHM=INPLACE, LOCK=NONE',
    !hasFulltext,
  );
  emit(of('inplace'), ', ALGORITHM=INPLACE, LOCK=NONE', true);
  emit(
    of('shared').map((c) => ({
      ...c,
      hazards: [...c.hazards, hazard('TABLE_REBUILD', `${name} may be rebuilt for its first FULLTEXT index`)],
    })),
    ', ALGORITHM=INPLACE, LOCK=SHARED',
    false,
  );
}

interface ColumnChange {
  readonly cls: AlterClass;
  readonly hazards: readonly Hazard[];
  /** Only the default differs: ALTER COLUMN SET/DROP DEFAULT. */
  readonly defaultOnly: boolean;
}

function columnChange(a: MysqlColumn, z: MysqlColumn, table: string): ColumnChange | null {
  if (same(a, z)) return null;
  const { default: _ad, ...restA } = a;
  const { default: _zd, ...restZ } = z;
  if (same(restA, restZ) && !z.generated) return { cls: 'instant', hazards: [], defaultOnly: true };
  const hazards: Hazard[] = [];
  let cls: AlterClass = 'instant';
  const raise = (c: AlterClass) => {
    if (rank(c) > rank(cls)) cls = c;
  };
  const key = `${table}.${z.name}`;
  const typeChange = classifyMysqlTypeChange(a.type, z.type, z.charset);
  if (typeChange === 'metadata') raise(/^(enum|set)\b/i.test(z.type) ? 'instant' : 'inplace');
  else if (typeChange === 'widening') raise('copy');
  else if (typeChange === 'narrowing') {
    raise('copy');
    hazards.push(hazard('DELETES_DATA', `${a.type} -> ${z.type} may cut values of ${key}, or fail on them`));
  }
  if (a.charset !== z.charset || a.collation !== z.collation) {
    raise('copy');
    if (a.charset !== z.charset && z.charset !== 'utf8mb4')
      hazards.push(hazard('DELETES_DATA', `characters of ${key} that ${z.charset} cannot hold are lost`));
  }
  if (a.autoIncrement !== z.autoIncrement) raise('copy');
  if (!same(a.generated, z.generated))
    raise(a.generated && z.generated && !a.generated.stored && !z.generated.stored ? 'inplace' : 'copy');
  if (a.nullable !== z.nullable) {
    raise('rebuild');
    if (!z.nullable)
      hazards.push(
        hazard('CORRECTNESS', `fails (or, outside strict mode, writes zero values) if ${key} holds a null`),
      );
  }
  if (a.onUpdate !== z.onUpdate || a.invisible !== z.invisible) raise('inplace');
  if (a.comment !== z.comment || a.default !== z.default) raise('instant');
  return { cls, hazards, defaultOnly: false };
}

/** Columns common to both whose order differs: those outside a longest common subsequence. */
function movedColumns(before: readonly string[], after: readonly string[]): Set<string> {
  const n = before.length;
  const m = after.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (dp[i] as number[])[j] =
        before[i] === after[j]
          ? ((dp[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((dp[i + 1] as number[])[j] as number, (dp[i] as number[])[j + 1] as number);
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      kept.add(before[i] as string);
      i++;
      j++;
    } else if (((dp[i + 1] as number[])[j] as number) >= ((dp[i] as number[])[j + 1] as number)) i++;
    else j++;
  }
  return new Set(after.filter((c) => !kept.has(c)));
}

// ------------------------------------------------------------ views, routines, triggers

function viewSql(v: MysqlView): string {
  const check = v.checkOption === 'NONE' ? '' : ` WITH ${v.checkOption} CHECK OPTION`;
  return `CREATE OR REPLACE ALGORITHM=${v.algorithm} SQL SECURITY ${v.security} VIEW ${q(v.name)} AS ${v.definition}${check}`;
}

function views(b: PlanBuilder, from: MysqlSchemaModel, to: MysqlSchemaModel): void {
  const fromViews = byName(from.views);
  const toViews = byName(to.views);
  for (const v of from.views) if (!toViews.has(v.name)) b.add(P.DROP_VIEWS, `DROP VIEW ${q(v.name)}`);
  const changed = to.views.filter((v) => {
    const old = fromViews.get(v.name);
    const { dependsOn: _a, ...x } = v;
    return !old || !same(x, (({ dependsOn: _b, ...y }) => y)(old));
  });
  for (const v of topoSort(
    changed,
    (v) => v.name,
    (v) => v.dependsOn,
  ))
    b.add(P.VIEWS, viewSql(v));
}

function routineSql(r: MysqlRoutine, orReplace: boolean): string {
  const head = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${r.kind} ${q(r.name)}(${r.parameters})`;
  const returns = r.kind === 'FUNCTION' ? ` RETURNS ${r.returns}` : '';
  const comment = r.comment ? ` COMMENT ${mysqlString(r.comment)}` : '';
  return `${head}${returns} ${r.deterministic ? 'DETERMINISTIC' : 'NOT DETERMINISTIC'} ${r.dataAccess} SQL SECURITY ${r.security}${comment}\n${r.body}`;
}

function routines(b: PlanBuilder, from: MysqlSchemaModel, to: MysqlSchemaModel, caps: Capabilities): void {
  const key = (r: MysqlRoutine) => `${r.kind} ${r.name}`;
  const fromR = new Map(from.routines.map((r) => [key(r), r]));
  const toR = new Map(to.routines.map((r) => [key(r), r]));
  const untracked = (r: MysqlRoutine) =>
    hazard(
      'HAS_UNTRACKABLE_DEPENDENCIES',
      `what ${r.name} uses and what uses it are not tracked by the server`,
    );
  for (const r of from.routines)
    if (!toR.has(key(r))) b.add(P.DROP_ROUTINES, `DROP ${r.kind} ${q(r.name)}`, { hazards: [untracked(r)] });
  for (const r of to.routines) {
    const old = fromR.get(key(r));
    if (old && same(old, r)) continue;
    if (old && !caps.orReplace)
      b.add(P.DROP_ROUTINES, `DROP ${r.kind} ${q(r.name)}`, { hazards: [untracked(r)] });
    b.add(P.ROUTINES, routineSql(r, !!old && caps.orReplace), { hazards: [untracked(r)] });
  }
}

function triggers(
  b: PlanBuilder,
  from: MysqlSchemaModel,
  to: MysqlSchemaModel,
  caps: Capabilities,
  fromTables: Map<string, MysqlTable>,
): void {
  const toTables = byName(to.tables);
  const fromT = byName(from.triggers);
  const toT = byName(to.triggers);
  const sql = (t: MysqlTrigger, orReplace: boolean) =>
    `CREATE ${orReplace ? 'OR REPLACE ' : ''}TRIGGER ${q(t.name)} ${t.timing} ${t.event} ON ${q(t.table)} FOR EACH ROW ${t.body}`;
  for (const t of from.triggers) {
    const next = toT.get(t.name);
    if (!toTables.has(t.table) && !next) continue;
    if (!next || (!same(next, t) && (!caps.orReplace || next.table !== t.table)))
      b.add(P.DROP_TRIGGERS, `DROP TRIGGER ${q(t.name)}`, { hazards: [mdl(t.table)] });
  }
  for (const t of to.triggers) {
    const old = fromT.get(t.name);
    if (old && same(old, t)) continue;
    const replace = !!old && caps.orReplace && old.table === t.table;
    b.add(P.TRIGGERS, sql(t, replace), { hazards: fromTables.has(t.table) ? [mdl(t.table)] : [] });
  }
}

function unmodelled(
  b: PlanBuilder,
  from: readonly UnmodelledObject[],
  to: readonly UnmodelledObject[],
): void {
  const k = (u: UnmodelledObject) => `${u.kind}\u0000${u.name}`;
  const fromU = new Map(from.map((u) => [k(u), u]));
  const toU = new Map(to.map((u) => [k(u), u]));
  for (const u of to) {
    const old = fromU.get(k(u));
    if (!old) b.unsupported(u.kind, u.name, `only in the target schema (${u.definition}); not planned`);
    else if (old.definition !== u.definition)
      b.unsupported(u.kind, u.name, `differs (${old.definition} -> ${u.definition}); not planned`);
  }
  for (const u of from)
    if (!toU.has(k(u)))
      b.unsupported(u.kind, u.name, `only in the source schema (${u.definition}); not dropped`);
}

// ------------------------------------------------------------ renames

/** Applies `renames` (`table`, `table.column`; a leading database name is ignored) to `from`. */
function applyMysqlRenames(
  from: MysqlSchemaModel,
  to: MysqlSchemaModel,
  renames: Readonly<Record<string, string>>,
  b: PlanBuilder,
  caps: Capabilities,
): MysqlSchemaModel {
  let model = from;
  const entries = Object.entries(renames).map(([k, v]) => {
    let parts = k.split('.');
    if (
      parts.length === 3 ||
      (parts.length === 2 && parts[0] === from.database && !from.tables.some((t) => t.name === parts[0]))
    )
      parts = parts.slice(1);
    return { parts, value: v.split('.').pop() as string, key: k };
  });
  for (const { parts, value, key } of entries.filter((e) => e.parts.length === 1)) {
    const old = parts[0] as string;
    if (!model.tables.some((t) => t.name === old))
      throw new SchemaError('SCHEMA_BAD_OPTION', `rename ${key}: no such table in the source schema`);
    if (!to.tables.some((t) => t.name === value))
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `rename ${key} -> ${value}: no table ${value} in the target schema`,
      );
    if (old === value) continue;
    b.add(P.RENAME_TABLES, `RENAME TABLE ${q(old)} TO ${q(value)}`, {
      hazards: [mdl(old), hazard('CORRECTNESS', `queries that still name ${old} fail once it is ${value}`)],
    });
    model = {
      ...model,
      tables: model.tables.map((t) => ({
        ...t,
        name: t.name === old ? value : t.name,
        foreignKeys: t.foreignKeys.map((fk) =>
          fk.referencedSchema === null && fk.referencedTable === old ? { ...fk, referencedTable: value } : fk,
        ),
      })),
      triggers: model.triggers.map((t) => (t.table === old ? { ...t, table: value } : t)),
    };
  }
  const tableRenames = new Map(
    entries.filter((e) => e.parts.length === 1).map((e) => [e.parts[0] as string, e.value]),
  );
  for (const { parts, value, key } of entries.filter((e) => e.parts.length === 2)) {
    const table = tableRenames.get(parts[0] as string) ?? (parts[0] as string);
    const column = parts[1] as string;
    const source = model.tables.find((t) => t.name === table);
    if (!source?.columns.some((c) => c.name === column))
      throw new SchemaError('SCHEMA_BAD_OPTION', `rename ${key}: no column ${column} in ${table}`);
    const target = to.tables.find((t) => t.name === table)?.columns.find((c) => c.name === value);
    if (!target)
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `rename ${key} -> ${value}: no column ${value} in the target table ${table}`,
      );
    if (column === value) continue;
    const oldColumn = source.columns.find((c) => c.name === column) as MysqlColumn;
    b.add(
      P.RENAME_COLUMNS,
      caps.renameClauses
        ? `ALTER TABLE ${q(table)} RENAME COLUMN ${q(column)} TO ${q(value)}, ALGORITHM=INPLACE, LOCK=NONE`
        : `ALTER TABLE ${q(table)} CHANGE COLUMN ${q(column)} ${columnDefinition({ ...oldColumn, name: value })}`,
      {
        hazards: [
          mdl(table),
          hazard('CORRECTNESS', `queries that still name ${table}.${column} fail once it is ${value}`),
        ],
      },
    );
    const swap = (n: string) => (n === column ? value : n);
    const inText = (s: string) => s.replaceAll(q(column), q(value));
    model = {
      ...model,
      tables: model.tables.map((t) =>
        t.name === table
          ? {
              ...t,
              columns: t.columns.map((c) => ({
                ...c,
                name: swap(c.name),
                generated: c.generated
                  ? { ...c.generated, expression: inText(c.generated.expression) }
                  : null,
              })),
              indexes: t.indexes.map((i) => ({
                ...i,
                parts: i.parts.map((p) => ({ ...p, column: p.column === null ? null : swap(p.column) })),
              })),
              foreignKeys: t.foreignKeys.map((fk) => ({
                ...fk,
                columns: fk.columns.map(swap),
                referencedColumns:
                  fk.referencedSchema === null && fk.referencedTable === table
                    ? fk.referencedColumns.map(swap)
                    : fk.referencedColumns,
              })),
              checks: t.checks.map((c) => ({ ...c, clause: inText(c.clause) })),
            }
          : {
              ...t,
              foreignKeys: t.foreignKeys.map((fk) =>
                fk.referencedSchema === null && fk.referencedTable === table
                  ? { ...fk, referencedColumns: fk.referencedColumns.map(swap) }
                  : fk,
              ),
            },
      ),
    };
  }
  return model;
}
