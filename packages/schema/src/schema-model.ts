// The schema model: plain, JSON-serialisable data read from a database's catalog, one shape per dialect.
// Definitions are kept as the server prints them (pg_get_*def, information_schema, sqlite_schema), so
// that two models read from the same kind of server compare text to text.

/** The engines this package reads and plans for; PGlite is `postgres`, MariaDB is `mysql`. */
export type SchemaDialect = 'postgres' | 'mysql' | 'sqlite';

/** Every dialect, in a stable order. */
export const SCHEMA_DIALECTS: readonly SchemaDialect[] = ['postgres', 'mysql', 'sqlite'];

/** A schema read from any dialect. */
export type SchemaModel = PostgresSchemaModel | MysqlSchemaModel | SqliteSchemaModel;

/** One privilege granted to a role other than the object's owner (PostgreSQL, with `privileges: true`). */
export interface PgGrant {
  /** The role, or `PUBLIC`. */
  readonly grantee: string;
  /** `SELECT`, `INSERT`, `USAGE`, `EXECUTE`... */
  readonly privilege: string;
  readonly grantable: boolean;
}

/** An object of a kind the differ does not plan for; any difference between two models is `unsupported`. */
export interface UnmodelledObject {
  /** What it is: `rule`, `aggregate`, `foreign table`, `event trigger`, `statistics`, `column privileges`... */
  readonly kind: string;
  /** Its qualified name. */
  readonly name: string;
  /** Its definition as the catalog prints it (compared text to text). */
  readonly definition: string;
}

// ---------------------------------------------------------------- PostgreSQL

export interface PostgresSchemaModel {
  readonly dialect: 'postgres';
  /** `server_version_num` (150020 for 15.20). */
  readonly serverVersion: number;
  /** Whether privileges were read (`privileges: true`); grants are compared only when both models have them. */
  readonly privileges: boolean;
  /** The `schemas` option it was read with, or null for every non-system schema (applyCheck reads again so). */
  readonly schemaFilter: readonly string[] | null;
  readonly schemas: readonly PgSchema[];
  readonly extensions: readonly PgExtension[];
  readonly enums: readonly PgEnum[];
  readonly domains: readonly PgDomain[];
  readonly compositeTypes: readonly PgCompositeType[];
  readonly sequences: readonly PgSequence[];
  readonly tables: readonly PgTable[];
  readonly views: readonly PgView[];
  readonly functions: readonly PgFunction[];
  readonly triggers: readonly PgTrigger[];
  readonly unmodelled: readonly UnmodelledObject[];
}

export interface PgSchema {
  readonly name: string;
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

export interface PgExtension {
  readonly name: string;
  readonly schema: string;
  readonly version: string;
}

export interface PgEnum {
  readonly schema: string;
  readonly name: string;
  /** Labels in their sort order. */
  readonly values: readonly string[];
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

export interface PgDomain {
  readonly schema: string;
  readonly name: string;
  /** The base type as format_type prints it. */
  readonly type: string;
  /** A collation other than the base type's, quoted (`"C"`). */
  readonly collation: string | null;
  readonly default: string | null;
  readonly notNull: boolean;
  readonly constraints: readonly PgDomainConstraint[];
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

export interface PgDomainConstraint {
  readonly name: string;
  /** `CHECK (...)`, without `NOT VALID`. */
  readonly definition: string;
  readonly valid: boolean;
}

export interface PgCompositeType {
  readonly schema: string;
  readonly name: string;
  readonly attributes: readonly { readonly name: string; readonly type: string }[];
  readonly comment: string | null;
}

export interface PgSequence {
  readonly schema: string;
  readonly name: string;
  /** `smallint`, `integer` or `bigint`. */
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** The column that owns it (`ALTER SEQUENCE ... OWNED BY`), as table schema, table and column. */
  readonly ownedBy: { readonly schema: string; readonly table: string; readonly column: string } | null;
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

export interface PgTable {
  readonly schema: string;
  readonly name: string;
  /** `partitioned` for a table declared with PARTITION BY. */
  readonly kind: 'table' | 'partitioned';
  readonly unlogged: boolean;
  /** `RANGE (created_at)` as pg_get_partkeydef prints it. */
  readonly partitionKey: string | null;
  /** The parent and bound of a partition (`FOR VALUES FROM (...) TO (...)`, `DEFAULT`). */
  readonly partitionOf: { readonly schema: string; readonly table: string; readonly bound: string } | null;
  /** Parents by classic inheritance (INHERITS), qualified; not planned (unsupported when they differ). */
  readonly inherits: readonly string[];
  /** Storage parameters (`fillfactor=70`), sorted. */
  readonly options: readonly string[];
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  readonly columns: readonly PgColumn[];
  readonly constraints: readonly PgConstraint[];
  readonly indexes: readonly PgIndex[];
  readonly policies: readonly PgPolicy[];
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

export interface PgIdentity {
  readonly generation: 'ALWAYS' | 'BY DEFAULT';
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

export interface PgColumn {
  readonly name: string;
  /** As format_type prints it: `character varying(20)`, `integer[]`, `public.mood`. */
  readonly type: string;
  readonly notNull: boolean;
  /** The default expression (pg_get_expr), or null. Not set for identity and generated columns. */
  readonly default: string | null;
  /** Functions the default calls (`schema.name(argument types)`), to order it after them. */
  readonly defaultCalls: readonly string[];
  readonly identity: PgIdentity | null;
  /** A `GENERATED ALWAYS AS (...)` column's expression, STORED or (PostgreSQL 18) VIRTUAL. */
  readonly generated: { readonly expression: string; readonly stored: boolean } | null;
  /** A collation other than the type's default, quoted (`"C"`, `"de-x-icu"`). */
  readonly collation: string | null;
  readonly comment: string | null;
  /** False for a column a partition or child takes from its parent. */
  readonly local: boolean;
}

export type PgConstraintType = 'primary' | 'unique' | 'check' | 'exclusion' | 'foreign';

export interface PgConstraint {
  readonly name: string;
  readonly type: PgConstraintType;
  /** pg_get_constraintdef without a trailing `NOT VALID` (`FOREIGN KEY (a) REFERENCES t(id) DEFERRABLE`). */
  readonly definition: string;
  /** False for a constraint added NOT VALID and not validated since. */
  readonly valid: boolean;
  /** The constrained columns, in key order. */
  readonly columns: readonly string[];
  /** The table a foreign key references, qualified, and its columns. */
  readonly references: {
    readonly schema: string;
    readonly table: string;
    readonly columns: readonly string[];
  } | null;
  /** The index a primary key, unique or exclusion constraint owns (or a foreign key relies on). */
  readonly index: string | null;
  readonly comment: string | null;
}

export interface PgIndex {
  readonly name: string;
  /** pg_get_indexdef: `CREATE [UNIQUE] INDEX name ON schema.table USING method (...) ...`. */
  readonly definition: string;
  readonly unique: boolean;
  /** `btree`, `gin`, `gist`, `brin`, `hash`... */
  readonly method: string;
  /** False for an index a failed CREATE INDEX CONCURRENTLY left behind. */
  readonly valid: boolean;
  /** Columns the index keys on (expressions are not listed), for dependencies. */
  readonly columns: readonly string[];
  readonly comment: string | null;
}

export interface PgTrigger {
  /** The table or view it is on. */
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** pg_get_triggerdef: `CREATE [CONSTRAINT] TRIGGER ...`. */
  readonly definition: string;
  /** `O` (on), `D` (disabled), `R` (replica), `A` (always). */
  readonly enabled: 'O' | 'D' | 'R' | 'A';
  /** The trigger function, `schema.name()`. */
  readonly function: string;
  /** True for a CONSTRAINT TRIGGER (it cannot be replaced in place). */
  readonly constraint: boolean;
  readonly comment: string | null;
}

export interface PgPolicy {
  readonly name: string;
  readonly permissive: boolean;
  /** `ALL`, `SELECT`, `INSERT`, `UPDATE`, `DELETE`. */
  readonly command: string;
  /** Role names, sorted; `PUBLIC` for everyone. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly withCheck: string | null;
  readonly comment: string | null;
}

export interface PgView {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  /** pg_get_viewdef, without its trailing `;`. */
  readonly definition: string;
  /** `security_barrier=true`, `check_option=local`..., sorted. */
  readonly options: readonly string[];
  /** Relations (`schema.name`) and functions (`schema.name(argument types)`) the definition uses. */
  readonly dependsOn: readonly string[];
  /** Indexes of a materialized view. */
  readonly indexes: readonly PgIndex[];
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

export interface PgFunction {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'function' | 'procedure';
  /** pg_get_function_identity_arguments: `a integer, b text` (what DROP FUNCTION takes). */
  readonly arguments: string;
  /** The input argument types, `integer, text`: with schema and name, what the function is known by. */
  readonly argumentTypes: string;
  /** The result type (`integer`, `SETOF t`, `TABLE(...)`, `trigger`); empty for a procedure. */
  readonly result: string;
  readonly language: string;
  /** pg_get_functiondef: the whole `CREATE OR REPLACE FUNCTION` statement. */
  readonly definition: string;
  /** Relations and functions the catalog records it uses (row types, `BEGIN ATOMIC` bodies). */
  readonly dependsOn: readonly string[];
  readonly comment: string | null;
  readonly grants: readonly PgGrant[];
}

// ---------------------------------------------------------------- MySQL / MariaDB

export interface MysqlSchemaModel {
  readonly dialect: 'mysql';
  readonly flavor: 'mysql' | 'mariadb';
  /** `10.11.19-MariaDB-0+deb12u1`, `8.4.3`. */
  readonly serverVersion: string;
  /** The database read; definitions are stored with it removed, so that two databases compare. */
  readonly database: string;
  readonly defaultCharset: string;
  readonly defaultCollation: string;
  readonly tables: readonly MysqlTable[];
  readonly views: readonly MysqlView[];
  readonly triggers: readonly MysqlTrigger[];
  readonly routines: readonly MysqlRoutine[];
  readonly unmodelled: readonly UnmodelledObject[];
}

export interface MysqlTable {
  readonly name: string;
  readonly engine: string;
  readonly charset: string;
  readonly collation: string;
  readonly comment: string;
  /** `row_format=DYNAMIC` and the like from CREATE_OPTIONS, sorted (without `partitioned`). */
  readonly options: readonly string[];
  readonly columns: readonly MysqlColumn[];
  readonly indexes: readonly MysqlIndex[];
  readonly foreignKeys: readonly MysqlForeignKey[];
  readonly checks: readonly MysqlCheck[];
}

export interface MysqlColumn {
  readonly name: string;
  /** COLUMN_TYPE: `int(11) unsigned`, `varchar(20)`, `enum('a','b')`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as SQL (`'abc'`, `0`, `current_timestamp()`), or null for none. */
  readonly default: string | null;
  /** `on update current_timestamp()` and the like, or null. */
  readonly onUpdate: string | null;
  readonly autoIncrement: boolean;
  /** A generated column's expression and whether it is stored. */
  readonly generated: { readonly expression: string; readonly stored: boolean } | null;
  readonly invisible: boolean;
  readonly charset: string | null;
  readonly collation: string | null;
  readonly comment: string;
}

export interface MysqlIndex {
  /** `PRIMARY` for the primary key. */
  readonly name: string;
  readonly unique: boolean;
  /** `BTREE`, `HASH`, `FULLTEXT`, `SPATIAL`. */
  readonly type: string;
  readonly parts: readonly MysqlIndexPart[];
  readonly comment: string;
  /** IGNORED (MariaDB) / INVISIBLE (MySQL). */
  readonly ignored: boolean;
}

export interface MysqlIndexPart {
  /** The column, or null for a functional part. */
  readonly column: string | null;
  /** The expression of a functional part (MySQL 8). */
  readonly expression: string | null;
  readonly length: number | null;
  readonly descending: boolean;
}

export interface MysqlForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  /** The referenced database when it is not the one read, else null. */
  readonly referencedSchema: string | null;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onUpdate: string;
  readonly onDelete: string;
}

export interface MysqlCheck {
  readonly name: string;
  readonly clause: string;
}

export interface MysqlView {
  readonly name: string;
  readonly definition: string;
  readonly checkOption: 'NONE' | 'CASCADED' | 'LOCAL';
  readonly security: 'DEFINER' | 'INVOKER';
  readonly algorithm: string;
  /** Views and tables whose names appear in the definition, for ordering. */
  readonly dependsOn: readonly string[];
}

export interface MysqlTrigger {
  readonly name: string;
  readonly table: string;
  /** `BEFORE` or `AFTER`. */
  readonly timing: string;
  /** `INSERT`, `UPDATE`, `DELETE`. */
  readonly event: string;
  readonly body: string;
}

export interface MysqlRoutine {
  readonly name: string;
  readonly kind: 'FUNCTION' | 'PROCEDURE';
  /** `IN a int, OUT b varchar(10)` (procedures), `a int` (functions). */
  readonly parameters: string;
  /** The result type of a function; empty for a procedure. */
  readonly returns: string;
  readonly body: string;
  readonly deterministic: boolean;
  /** `CONTAINS SQL`, `NO SQL`, `READS SQL DATA`, `MODIFIES SQL DATA`. */
  readonly dataAccess: string;
  readonly security: 'DEFINER' | 'INVOKER';
  readonly comment: string;
}

// ---------------------------------------------------------------- SQLite

export interface SqliteSchemaModel {
  readonly dialect: 'sqlite';
  readonly serverVersion: string;
  /** `PRAGMA foreign_keys` of the session read: a table rebuild turns it off and back to this. */
  readonly foreignKeys: boolean;
  readonly tables: readonly SqliteTable[];
  readonly indexes: readonly SqliteObject[];
  readonly views: readonly SqliteObject[];
  readonly triggers: readonly SqliteObject[];
  readonly unmodelled: readonly UnmodelledObject[];
}

export interface SqliteTable {
  readonly name: string;
  /** The CREATE TABLE statement as sqlite_schema stores it. */
  readonly sql: string;
  readonly columns: readonly SqliteColumn[];
}

export interface SqliteColumn {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  readonly primaryKey: number;
  /** 0 plain, 2 virtual generated, 3 stored generated (pragma table_xinfo's `hidden`). */
  readonly hidden: number;
}

/** An index, view or trigger: its name, its table and its statement. */
export interface SqliteObject {
  readonly name: string;
  readonly table: string;
  readonly sql: string;
}
