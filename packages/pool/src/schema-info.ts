import type { DialectName } from './connection-config.js';

/** One shape of a database's schema for every engine. */
export interface SchemaInfo {
  dialect: DialectName;
  database: string | null;
  schemas: string[];
  tables: TableInfo[];
}

export interface TableInfo {
  /** PostgreSQL schema, MySQL database, SQLite `main`. */
  schema: string | null;
  name: string;
  kind: 'table' | 'view' | 'materialized_view';
  comment: string | null;
  /** The planner's estimate (pg reltuples, MySQL TABLE_ROWS); null when unknown. */
  rowEstimate: number | null;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  indexes: IndexInfo[];
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
}

export interface ForeignKeyInfo {
  name: string | null;
  columns: string[];
  referencedSchema: string | null;
  referencedTable: string;
  referencedColumns: string[];
}

export interface IndexInfo {
  name: string;
  /** Column names in index order; an expression column appears as its SQL text. */
  columns: string[];
  unique: boolean;
  primary: boolean;
}
