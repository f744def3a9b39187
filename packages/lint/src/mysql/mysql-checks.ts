// The checks behind MYSQL_RULES, one per rule name. Each sees one statement with what the statements
// before it established (MyFile), including column definitions known from earlier files of the run.

import type { MYSQL_RULES } from './mysql-rules.js';
import { type MyAction, type MyColumn, type MyStatement, unquote } from './mysql-statement.js';

export type MysqlRuleName = (typeof MYSQL_RULES)[number]['name'];
type CheckedRule = Exclude<MysqlRuleName, 'syntax-error' | 'ignore-without-reason' | 'unused-ignore'>;

export type Report = (offset: number, message: string, fix?: string) => void;

export interface MyCheck {
  statement(s: MyStatement, f: MyFile, report: Report): void;
}

/** Column definitions of the tables the migrations created, across the files of one run. */
export type MySchema = Map<string, Map<string, MyColumn>>;

/** What the statements before the current one established. */
export class MyFile {
  readonly schema: MySchema;
  /** Tables created earlier in this file: new, unused, so the lock rules do not apply. */
  readonly newTables = new Set<string>();
  lockWaitTimeout = false;
  foreignKeyChecksOff = false;
  /** Inside START TRANSACTION / BEGIN with no DDL yet (the first DDL commits it). */
  inTransaction = false;
  readonly memo = new Map<string, unknown>();

  constructor(schema: MySchema) {
    this.schema = schema;
  }

  isNew(table: string): boolean {
    return this.newTables.has(table);
  }

  /** The definition of `table.column` as earlier statements (of this run) left it. */
  column(table: string, column: string): MyColumn | undefined {
    return this.schema.get(table)?.get(column);
  }

  observe(s: MyStatement): void {
    if (s.ddl) this.inTransaction = false;
    switch (s.kind) {
      case 'begin':
        this.inTransaction = true;
        return;
      case 'commit':
      case 'rollback':
        this.inTransaction = false;
        return;
      case 'set':
        for (const [name, value] of s.settings) {
          const v = unquote(value.replace(/^'|'$/g, '')).toLowerCase();
          if (name === 'lock_wait_timeout') this.lockWaitTimeout = v !== '' && v !== 'default';
          if (name === 'foreign_key_checks')
            this.foreignKeyChecksOff = v === '0' || v === 'off' || v === 'false';
        }
        return;
      case 'create-table': {
        this.newTables.add(s.table);
        const columns =
          s.like === undefined
            ? new Map(s.columns.map((c) => [c.name, c]))
            : new Map(this.schema.get(s.like) ?? []);
        this.schema.set(s.table, columns);
        return;
      }
      case 'alter-table': {
        const columns = this.schema.get(s.table);
        for (const a of s.actions) {
          if (a.kind === 'rename-table') {
            this.#renameTable(s.table, a.to);
            continue;
          }
          if (columns === undefined) continue;
          if (a.kind === 'add-column') for (const c of a.columns) columns.set(c.name, c);
          else if (a.kind === 'modify-column') {
            columns.delete(a.from);
            columns.set(a.column.name, a.column);
          } else if (a.kind === 'drop-column') columns.delete(a.column);
          else if (a.kind === 'rename-column') {
            const c = columns.get(a.from);
            columns.delete(a.from);
            if (c !== undefined) columns.set(a.to, { ...c, name: a.to });
          }
        }
        return;
      }
      case 'rename-table':
        for (const [from, to] of s.pairs) this.#renameTable(from, to);
        return;
      case 'drop':
        if (s.object === 'TABLE')
          for (const name of s.names) {
            this.schema.delete(name);
            this.newTables.delete(name);
          }
        return;
      default:
        return;
    }
  }

  #renameTable(from: string, to: string): void {
    const columns = this.schema.get(from);
    if (columns !== undefined) {
      this.schema.delete(from);
      this.schema.set(to, columns);
    }
    if (this.newTables.delete(from)) this.newTables.add(to);
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

/** ALTER TABLE / CREATE INDEX / DROP INDEX on a table not created earlier in this file. */
function existingTarget(s: MyStatement, f: MyFile): string | undefined {
  if (s.kind === 'alter-table' || s.kind === 'create-index' || s.kind === 'drop-index')
    return f.isNew(s.table) ? undefined : s.table;
  return undefined;
}

function eachAction(s: MyStatement, f: MyFile, visit: (a: MyAction, table: string) => void): void {
  if (s.kind !== 'alter-table' || f.isNew(s.table)) return;
  for (const a of s.actions) visit(a, s.table);
}

/** Columns a statement defines (CREATE TABLE, ADD COLUMN, MODIFY / CHANGE). */
function definedColumns(s: MyStatement): MyColumn[] {
  if (s.kind === 'create-table') return [...s.columns];
  if (s.kind !== 'alter-table') return [];
  const out: MyColumn[] = [];
  for (const a of s.actions) {
    if (a.kind === 'add-column') out.push(...a.columns);
    else if (a.kind === 'modify-column') out.push(a.column);
  }
  return out;
}

const INSTANT_ACTIONS = new Set(['drop-column', 'rename-column', 'alter-column', 'rename-table']);

/** The clause to add: INSTANT when every action can be instant (MySQL 8.0.29+), else INPLACE with LOCK=NONE. */
function onlineClause(s: MyStatement): string {
  if (s.kind !== 'alter-table') return 'ALGORITHM=INPLACE LOCK=NONE';
  const instant = s.actions.every(
    (a) =>
      INSTANT_ACTIONS.has(a.kind) ||
      (a.kind === 'add-column' &&
        a.columns.every(
          (c) => c.generated !== 'stored' && !c.autoIncrement && !c.primaryKey && !c.unique && !c.references,
        )),
  );
  return instant ? 'ALGORITHM=INSTANT' : 'ALGORITHM=INPLACE, LOCK=NONE';
}

/** The statement with its ALGORITHM= / LOCK= clauses replaced by `clause`, ending in `;`. */
function withClause(s: MyStatement, clause: string): string {
  const kept = s.text.replace(/,?\s*\b(ALGORITHM|LOCK)\b\s*=?\s*\w+/gi, '').replace(/\s*$/, '');
  return `${kept}${s.kind === 'alter-table' ? ', ' : ' '}${clause};`;
}

/** Bytes per character of a charset (for VARCHAR's length prefix: 1 byte up to 255 bytes). */
const bytesPerChar = (charset: string | undefined): number =>
  charset === undefined
    ? 4
    : /^(latin|ascii|binary|cp125|hebrew|greek|koi8|armscii|tis620|geostd)/.test(charset)
      ? 1
      : charset.startsWith('utf8mb3') || charset === 'utf8'
        ? 3
        : charset.startsWith('ucs2')
          ? 2
          : 4;

/** Same type, or a VARCHAR lengthened within its length-prefix size: MySQL changes it in place. */
function sameStorage(old: MyColumn, next: MyColumn): boolean {
  if (
    old.type === next.type &&
    old.args.join(',') === next.args.join(',') &&
    old.unsigned === next.unsigned &&
    (next.charset === undefined || next.charset === old.charset)
  )
    return true;
  if (
    old.type === 'varchar' &&
    next.type === 'varchar' &&
    (next.charset === undefined || next.charset === old.charset)
  ) {
    const a = Number(old.args[0]);
    const b = Number(next.args[0]);
    const bpc = bytesPerChar(old.charset);
    return Number.isFinite(a) && Number.isFinite(b) && b >= a && a * bpc < 256 === b * bpc < 256;
  }
  return false;
}

/** Members appended at the end within the same storage size: MySQL changes the ENUM / SET instantly. */
function appendsMembers(old: MyColumn, next: MyColumn): boolean {
  if (old.type !== next.type) return false;
  if (next.args.length < old.args.length) return false;
  for (let i = 0; i < old.args.length; i++) if (old.args[i] !== next.args[i]) return false;
  if (next.type === 'enum') return old.args.length <= 255 === next.args.length <= 255;
  return Math.ceil(old.args.length / 8) === Math.ceil(next.args.length / 8);
}

const SMALL_INTS = new Set(['int', 'integer', 'mediumint', 'smallint', 'tinyint']);
const MAX_IDENTIFIER = 64;

// ---- the checks ------------------------------------------------------------------------------------

export const MYSQL_CHECKS: Readonly<Record<CheckedRule, MyCheck>> = {
  'adding-foreign-key-constraint': {
    statement(s, f, report) {
      if (f.foreignKeyChecksOff) return;
      eachAction(s, f, (a, table) => {
        const references = a.kind === 'add-column' && a.columns.some((c) => c.references);
        if (a.kind !== 'add-foreign-key' && !references) return;
        report(
          a.offset,
          `Adding a foreign key to ${table} with foreign_key_checks on makes MySQL copy the table (ALGORITHM=COPY) while writes wait, and check every row.`,
          `SET foreign_key_checks = 0;\nALTER TABLE ${table} ${a.text}, ALGORITHM=INPLACE, LOCK=NONE;\nSET foreign_key_checks = 1;\n-- then look for orphans with a LEFT JOIN on the parent`,
        );
      });
    },
  },

  'adding-not-nullable-field': {
    statement(s, f, report) {
      eachAction(s, f, (a, table) => {
        if (a.kind !== 'add-column') return;
        for (const c of a.columns) {
          if (
            c.notNull !== true ||
            c.hasDefault ||
            c.autoIncrement ||
            c.generated !== undefined ||
            c.primaryKey
          )
            continue;
          const value = /int|dec|num|float|double|bit|bool|year/.test(c.type)
            ? '0'
            : /char|text|enum|set/.test(c.type)
              ? "''"
              : undefined;
          report(
            c.offset,
            `Adding ${c.name} as NOT NULL without a DEFAULT fills the existing rows of ${table} with an implicit value, and inserts that omit it fail.`,
            value === undefined
              ? `Add ${c.name} nullable, backfill it, then MODIFY it to NOT NULL.`
              : `ALTER TABLE ${table} ADD COLUMN ${c.text} DEFAULT ${value}, ALGORITHM=INSTANT;`,
          );
        }
      });
    },
  },

  'adding-serial-primary-key-field': {
    statement(s, f, report) {
      eachAction(s, f, (a, table) => {
        if (a.kind === 'add-primary-key')
          report(a.offset, `Adding a primary key to ${table} rebuilds the whole table.`);
        else if (a.kind === 'add-column' && a.columns.some((c) => c.autoIncrement || c.primaryKey))
          report(
            a.offset,
            `Adding an AUTO_INCREMENT or PRIMARY KEY column to ${table} rebuilds the table and cannot run beside concurrent writes.`,
          );
      });
    },
  },

  'ban-ddl-in-transaction': {
    statement(s, f, report) {
      if (s.ddl && f.inTransaction)
        report(
          s.start,
          'MySQL commits the open transaction implicitly before this DDL: it cannot be rolled back, and the statements before it are committed too.',
          'Run the DDL outside START TRANSACTION ... COMMIT.',
        );
    },
  },

  'ban-drop-column': {
    statement(s, f, report) {
      eachAction(s, f, (a, table) => {
        if (a.kind === 'drop-column')
          report(a.offset, `Dropping column ${a.column} of ${table} breaks the queries that still use it.`);
      });
    },
  },

  'ban-drop-database': {
    statement(s, _f, report) {
      if (s.kind === 'drop' && s.object === 'DATABASE')
        report(
          s.start,
          `DROP DATABASE ${s.names.join(', ')} loses all of its tables and cannot be rolled back.`,
        );
    },
  },

  'ban-drop-table': {
    statement(s, f, report) {
      if (s.kind !== 'drop' || s.object !== 'TABLE') return;
      const existing = s.names.filter((n) => !f.isNew(n));
      if (existing.length > 0)
        report(
          s.start,
          `Dropping table ${existing.join(', ')} loses its rows and breaks the queries that still use it.`,
        );
    },
  },

  'ban-utf8-charset': {
    statement(s, _f, report) {
      const t = s.tokens;
      const word = (i: number): string =>
        t[i]?.type === 'word'
          ? s.text.slice((t[i]?.start ?? 0) - s.start, (t[i]?.end ?? 0) - s.start).toUpperCase()
          : '';
      const raw = (i: number): string =>
        s.text.slice((t[i]?.start ?? 0) - s.start, (t[i]?.end ?? 0) - s.start);
      for (let i = 0; i < t.length; i++) {
        const w = word(i);
        let valueAt = -1;
        let collation = false;
        if (w === 'CHARSET' || (w === 'CHARACTER' && word(i + 1) === 'SET'))
          valueAt = w === 'CHARSET' ? i + 1 : i + 2;
        else if (w === 'NAMES' && word(i - 1) === 'SET') valueAt = i + 1;
        else if (w === 'COLLATE') {
          valueAt = i + 1;
          collation = true;
        }
        if (valueAt === -1) continue;
        if (raw(valueAt) === '=') valueAt++;
        const value = unquote(raw(valueAt).replace(/^'|'$/g, '')).toLowerCase();
        const bad = collation ? /^utf8(mb3)?_/.test(value) : value === 'utf8' || value === 'utf8mb3';
        if (!bad) continue;
        const better = collation ? value.replace(/^utf8(mb3)?_/, 'utf8mb4_') : 'utf8mb4';
        report(
          t[valueAt]?.start ?? s.start,
          `${collation ? 'Collation' : 'Character set'} ${value} is MySQL's three-byte utf8 (utf8mb3): it cannot store emoji and other characters outside the BMP.`,
          `${s.text.slice(0, (t[valueAt]?.start ?? 0) - s.start)}${better}${s.text.slice((t[valueAt]?.end ?? 0) - s.start)};`,
        );
      }
    },
  },

  'changing-column-type': {
    statement(s, f, report) {
      if (s.algorithm === 'INPLACE' || s.algorithm === 'INSTANT') return;
      eachAction(s, f, (a, table) => {
        if (a.kind !== 'modify-column' || a.column.type === 'enum' || a.column.type === 'set') return;
        const old = f.column(table, a.from);
        if (old !== undefined && sameStorage(old, a.column)) return;
        report(
          a.offset,
          old === undefined
            ? `${a.text.split(/\s+/)[0]?.toUpperCase() ?? 'MODIFY'} of ${table}.${a.from} copies the whole table (ALGORITHM=COPY) if it changes the column's type, while writes wait.`
            : `Changing ${table}.${a.from} from ${old.type}${old.args.length > 0 ? `(${old.args.join(',')})` : ''} to ${a.column.type}${a.column.args.length > 0 ? `(${a.column.args.join(',')})` : ''} copies the whole table (ALGORITHM=COPY) while writes wait.`,
          old === undefined
            ? withClause(s, 'ALGORITHM=INPLACE, LOCK=NONE')
            : `Add a new column of the new type, backfill it in batches and switch readers, or use an online schema change tool (gh-ost, pt-online-schema-change).`,
        );
      });
    },
  },

  'enum-edit-rebuilds': {
    statement(s, f, report) {
      if (s.algorithm === 'INSTANT') return;
      eachAction(s, f, (a, table) => {
        if (a.kind !== 'modify-column' || (a.column.type !== 'enum' && a.column.type !== 'set')) return;
        const old = f.column(table, a.from);
        if (old !== undefined && appendsMembers(old, a.column)) return;
        report(
          a.offset,
          old === undefined
            ? `Changing the ${a.column.type.toUpperCase()} ${table}.${a.from} rebuilds the table unless it only appends members at the end.`
            : `The new ${a.column.type.toUpperCase()} list of ${table}.${a.from} does not only append members at the end: MySQL rebuilds the table.`,
          old === undefined
            ? withClause(s, 'ALGORITHM=INSTANT')
            : `Keep the existing members in their order and append new ones at the end: ${a.column.type}(${[...old.args, '...'].join(', ')}), ALGORITHM=INSTANT.`,
        );
      });
    },
  },

  'identifier-too-long': {
    statement(s, _f, report) {
      if (!s.ddl) return;
      for (const t of s.tokens) {
        if (t.type !== 'word' && t.type !== 'quoted') continue;
        if (t.end - t.start <= MAX_IDENTIFIER) continue;
        const name = unquote(s.text.slice(t.start - s.start, t.end - s.start));
        if ([...name].length > MAX_IDENTIFIER)
          report(
            t.start,
            `Identifier ${name} is ${[...name].length} characters; MySQL refuses names longer than ${MAX_IDENTIFIER}.`,
            `Shorten it to at most ${MAX_IDENTIFIER} characters.`,
          );
      }
    },
  },

  'mysql-table-copy': {
    statement(s, f, report) {
      if (s.kind !== 'alter-table' || f.isNew(s.table)) return;
      const table = s.table;
      let reported = false;
      const addsPk = s.actions.some(
        (a) =>
          a.kind === 'add-primary-key' || (a.kind === 'add-column' && a.columns.some((c) => c.primaryKey)),
      );
      for (const a of s.actions) {
        let why: string | undefined;
        if (a.kind === 'convert-charset') why = `CONVERT TO CHARACTER SET copies the whole table ${table}`;
        else if (a.kind === 'drop-primary-key' && !addsPk)
          why = `Dropping the primary key of ${table} without adding one copies the whole table`;
        else if (a.kind === 'add-column' && a.columns.some((c) => c.generated === 'stored'))
          why = `Adding a STORED generated column to ${table} copies the whole table`;
        else if (a.kind === 'modify-column' && a.column.generated === 'stored')
          why = `Changing a STORED generated column of ${table} copies the whole table`;
        else if (a.kind === 'partitioning') why = `Changing the partitioning of ${table} copies the table`;
        else if (a.kind === 'order-by') why = `ORDER BY copies the whole table ${table}`;
        if (why === undefined) continue;
        reported = true;
        report(a.offset, `${why} (ALGORITHM=COPY) while writes to it wait.`);
      }
      if (!reported && s.algorithm === 'COPY')
        report(
          s.start,
          `ALGORITHM=COPY copies the whole table ${table} while writes to it wait.`,
          withClause(s, 'ALGORITHM=INPLACE, LOCK=NONE'),
        );
    },
  },

  'prefer-bigint-over-int': {
    statement(s, _f, report) {
      for (const c of definedColumns(s)) {
        if (c.autoIncrement && SMALL_INTS.has(c.type))
          report(
            c.typeOffset,
            `AUTO_INCREMENT column ${c.name} is ${c.type.toUpperCase()}: inserts fail once its ids run out.`,
            `${s.text.slice(0, c.typeOffset - s.start)}bigint${s.text.slice(c.typeOffset - s.start + c.type.length).replace(/^\(\d+\)/, '')};`,
          );
      }
    },
  },

  'prefer-datetime-over-timestamp': {
    statement(s, _f, report) {
      for (const c of definedColumns(s)) {
        if (c.type === 'timestamp')
          report(
            c.typeOffset,
            `Column ${c.name} is TIMESTAMP, which ends in 2038 and converts through the session time zone.`,
            `${s.text.slice(0, c.typeOffset - s.start)}datetime${s.text.slice(c.typeOffset - s.start + c.type.length)};`,
          );
      }
    },
  },

  'prefer-robust-stmts': {
    statement(s, _f, report) {
      if (s.kind === 'create-table' && !s.ifNotExists && !s.temporary)
        report(
          s.start,
          'Missing IF NOT EXISTS: MySQL cannot roll back a half-done migration, and a second run fails here.',
          `${s.text.replace(/^(create\s+table)/i, '$1 IF NOT EXISTS')};`,
        );
      else if (s.kind === 'create' && s.object === 'DATABASE' && !s.ifNotExists)
        report(
          s.start,
          'Missing IF NOT EXISTS: a second run of the migration fails here.',
          `${s.text.replace(/^(create\s+(database|schema))/i, '$1 IF NOT EXISTS')};`,
        );
      else if (
        s.kind === 'drop' &&
        ['TABLE', 'VIEW', 'DATABASE', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT'].includes(s.object) &&
        !s.ifExists
      )
        report(
          s.start,
          'Missing IF EXISTS: MySQL cannot roll back a half-done migration, and a second run fails here.',
          `${s.text.replace(/^(drop\s+(temporary\s+)?\w+)/i, '$1 IF EXISTS')};`,
        );
    },
  },

  'renaming-column': {
    statement(s, f, report) {
      eachAction(s, f, (a, table) => {
        if (a.kind === 'rename-column')
          report(
            a.offset,
            `Renaming ${table}.${a.from} to ${a.to} breaks the queries that use the old name.`,
          );
        else if (a.kind === 'modify-column' && a.from !== a.column.name)
          report(
            a.offset,
            `CHANGE renames ${table}.${a.from} to ${a.column.name}, breaking the queries that use the old name.`,
          );
      });
    },
  },

  'renaming-table': {
    statement(s, f, report) {
      if (s.kind === 'rename-table') {
        for (const [from, to] of s.pairs)
          if (!f.isNew(from))
            report(s.start, `Renaming ${from} to ${to} breaks the queries that use the old name.`);
        return;
      }
      eachAction(s, f, (a, table) => {
        if (a.kind === 'rename-table')
          report(a.offset, `Renaming ${table} to ${a.to} breaks the queries that use the old name.`);
      });
    },
  },

  'require-algorithm-lock': {
    statement(s, f, report) {
      const table = existingTarget(s, f);
      if (table === undefined) return;
      const clause = onlineClause(s);
      if (s.algorithm === undefined)
        report(
          s.start,
          `No ALGORITHM clause: MySQL may silently copy ${table} with writes blocked instead of failing.`,
          withClause(s, clause),
        );
      else if (s.lock === undefined && s.algorithm !== 'INSTANT')
        report(
          s.start,
          `ALGORITHM=${s.algorithm} without LOCK=: MySQL may take a lock that blocks writes to ${table} instead of failing.`,
          withClause(
            s,
            `ALGORITHM=${s.algorithm === 'COPY' ? 'INPLACE' : s.algorithm}${s.kind === 'alter-table' ? ',' : ''} LOCK=NONE`,
          ),
        );
    },
  },

  'require-timeout-settings': {
    statement(s, f, report) {
      if (!s.ddl || f.lockWaitTimeout || f.memo.has('timeout')) return;
      f.memo.set('timeout', true);
      report(
        s.start,
        'Missing SET lock_wait_timeout before DDL: it waits up to a year for its metadata lock while every later query on the table queues behind it.',
        'SET SESSION lock_wait_timeout = 5;  -- first in the file',
      );
    },
  },
};
