/**
 * Builds the pool's introspection shape from a SQLite database (PRAGMA table_info, foreign_key_list,
 * index_list), for tests and the evaluation harness. The product gets the same shape from the pool.
 */

/** The part of a SQLite database these helpers use: openSqlite's, or a better-sqlite3 Database. */
export interface SqliteLike {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

/** The pool's `SchemaInfo` of a SQLite database (nl reads it as its `NlSchema`). */
export interface SqliteSchema {
  dialect: 'sqlite';
  database: null;
  schemas: string[];
  tables: SqliteTable[];
}

export interface SqliteTable {
  schema: null;
  name: string;
  kind: 'table' | 'view';
  comment: null;
  rowEstimate: null;
  columns: { name: string; type: string; nullable: boolean; default: string | null; comment: null }[];
  primaryKey: string[];
  foreignKeys: {
    name: null;
    columns: string[];
    referencedSchema: null;
    referencedTable: string;
    referencedColumns: string[];
  }[];
  indexes: { name: string; columns: string[]; unique: boolean; primary: boolean }[];
}

/** Runs one read-only query and returns its rows: nl's `Probe`. */
export type SqliteProbe = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

interface ColumnRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface FkRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
}

/** The schema of a SQLite database in the shape of the pool's SchemaInfo. */
export function sqliteSchema(db: SqliteLike): SqliteSchema {
  const names = db
    .prepare(
      "SELECT name, type FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all() as { name: string; type: string }[];
  const q = (n: string): string => `"${n.replace(/"/g, '""')}"`;
  const tables = names.map(({ name, type }): SqliteTable => {
    const cols = db.prepare(`PRAGMA table_info(${q(name)})`).all() as ColumnRow[];
    const fks = db.prepare(`PRAGMA foreign_key_list(${q(name)})`).all() as FkRow[];
    const byId = new Map<number, FkRow[]>();
    for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
    const indexes = db.prepare(`PRAGMA index_list(${q(name)})`).all() as {
      name: string;
      unique: number;
      origin: string;
    }[];
    return {
      schema: null,
      name,
      kind: type === 'view' ? 'view' : 'table',
      comment: null,
      rowEstimate: null,
      columns: cols.map((c) => ({
        name: c.name,
        type: c.type,
        nullable: c.notnull === 0,
        default: c.dflt_value,
        comment: null,
      })),
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      foreignKeys: [...byId.values()].map((rows) => {
        const sorted = rows.sort((a, b) => a.seq - b.seq);
        return {
          name: null,
          columns: sorted.map((r) => r.from),
          referencedSchema: null,
          referencedTable: sorted[0]!.table,
          referencedColumns: sorted.every((r) => r.to !== null) ? sorted.map((r) => r.to!) : [],
        };
      }),
      indexes: indexes.map((ix) => ({
        name: ix.name,
        columns: (db.prepare(`PRAGMA index_info(${q(ix.name)})`).all() as { name: string }[]).map(
          (r) => r.name,
        ),
        unique: ix.unique === 1,
        primary: ix.origin === 'pk',
      })),
    };
  });
  return { dialect: 'sqlite', database: null, schemas: ['main'], tables };
}

/** A probe over a SQLite database. */
export function sqliteProbe(db: SqliteLike): SqliteProbe {
  return async (sql, params) => db.prepare(sql).all(...params) as Record<string, unknown>[];
}
