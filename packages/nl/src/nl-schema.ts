/**
 * The schema description the translator needs. It is a structural subset of the pool's
 * introspection result (`SchemaInfo`), so the engine hands that in unchanged; nl never imports pool.
 */

/** Dialects the translator writes SQL for. PGlite speaks PostgreSQL. */
export type NlDialect = 'postgres' | 'mysql' | 'sqlite';

/** One column of a table. */
export interface NlColumn {
  readonly name: string;
  /** The type as the database reports it (`integer`, `varchar(40)`, `timestamptz`, ...). */
  readonly type: string;
  readonly nullable: boolean;
  readonly comment?: string | null;
}

/** A foreign key: `columns` of this table reference `referencedColumns` of `referencedTable`. */
export interface NlForeignKey {
  readonly columns: readonly string[];
  readonly referencedSchema: string | null;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
}

/** One table or view. */
export interface NlTable {
  readonly schema: string | null;
  readonly name: string;
  readonly kind?: string;
  readonly comment?: string | null;
  readonly rowEstimate?: number | null;
  readonly columns: readonly NlColumn[];
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly NlForeignKey[];
}

/** A database schema as introspected by the pool. */
export interface NlSchema {
  readonly dialect: 'postgres' | 'mysql' | 'sqlite' | 'pglite';
  readonly tables: readonly NlTable[];
}

/** Runs one read-only query on the connection and returns its rows (handed in by the engine). */
export type Probe = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Maps a schema's dialect to the SQL dialect written for it. */
export function sqlDialectOf(dialect: NlSchema['dialect']): NlDialect {
  return dialect === 'pglite' ? 'postgres' : dialect;
}
