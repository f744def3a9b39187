import { describe, expect, it } from 'vitest';
import { diffSchemas } from './diff-schemas.js';
import { SchemaError } from './errors.js';
import type { MysqlSchemaModel, PostgresSchemaModel, SqliteSchemaModel } from './schema-model.js';

const pg = (tables: PostgresSchemaModel['tables'] = []): PostgresSchemaModel => ({
  dialect: 'postgres',
  serverVersion: 150000,
  privileges: false,
  schemaFilter: null,
  schemas: [{ name: 'public', comment: null, grants: [] }],
  extensions: [],
  enums: [],
  domains: [],
  compositeTypes: [],
  sequences: [],
  tables,
  views: [],
  functions: [],
  triggers: [],
  unmodelled: [],
});
const table = (name: string): PostgresSchemaModel['tables'][number] => ({
  schema: 'public',
  name,
  kind: 'table',
  unlogged: false,
  partitionKey: null,
  partitionOf: null,
  inherits: [],
  options: [],
  rowSecurity: false,
  forceRowSecurity: false,
  columns: [],
  constraints: [],
  indexes: [],
  policies: [],
  comment: null,
  grants: [],
});
const sqlite: SqliteSchemaModel = {
  dialect: 'sqlite',
  serverVersion: '3.45.0',
  foreignKeys: false,
  tables: [],
  indexes: [],
  views: [],
  triggers: [],
  unmodelled: [],
};
const mysql: MysqlSchemaModel = {
  dialect: 'mysql',
  flavor: 'mariadb',
  serverVersion: '10.11.19-MariaDB',
  database: 'a',
  defaultCharset: 'utf8mb4',
  defaultCollation: 'utf8mb4_general_ci',
  tables: [],
  views: [],
  triggers: [],
  routines: [],
  unmodelled: [],
};

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof SchemaError ? e.code : String(e);
  }
  return 'no error';
};

describe('diffSchemas', () => {
  it('plans nothing between empty schemas', () => {
    expect(diffSchemas(pg(), pg())).toEqual({ dialect: 'postgres', statements: [], unsupported: [] });
    expect(diffSchemas(mysql, { ...mysql, database: 'b' }).statements).toEqual([]);
    expect(diffSchemas(sqlite, sqlite).statements).toEqual([]);
  });

  it('refuses models of two dialects', () => {
    expect(codeOf(() => diffSchemas(pg(), sqlite))).toBe('SCHEMA_BAD_OPTION');
  });

  it('refuses malformed options', () => {
    expect(codeOf(() => diffSchemas(pg(), pg(), { lockTimeoutMillis: -1 }))).toBe('SCHEMA_BAD_OPTION');
    expect(codeOf(() => diffSchemas(pg(), pg(), { online: 'yes' as unknown as boolean }))).toBe(
      'SCHEMA_BAD_OPTION',
    );
    expect(codeOf(() => diffSchemas(pg(), pg(), { renames: { a: '' } }))).toBe('SCHEMA_BAD_OPTION');
  });

  it('refuses a rename that names nothing, in either schema', () => {
    expect(codeOf(() => diffSchemas(pg([table('a')]), pg([table('b')]), { renames: { missing: 'b' } }))).toBe(
      'SCHEMA_BAD_OPTION',
    );
    expect(codeOf(() => diffSchemas(pg([table('a')]), pg([table('b')]), { renames: { a: 'c' } }))).toBe(
      'SCHEMA_BAD_OPTION',
    );
    expect(codeOf(() => diffSchemas(pg([table('a')]), pg([table('b')]), { renames: { a: 'other.b' } }))).toBe(
      'SCHEMA_BAD_OPTION',
    );
  });

  it('renames a table when asked and drops and creates it when not', () => {
    const asked = diffSchemas(pg([table('a')]), pg([table('b')]), { renames: { a: 'b' } });
    expect(asked.statements.map((s) => s.sql)).toEqual(['ALTER TABLE "public"."a" RENAME TO "b"']);
    const guessed = diffSchemas(pg([table('a')]), pg([table('b')]));
    expect(guessed.statements.map((s) => s.sql)).toEqual([
      'DROP TABLE "public"."a"',
      'CREATE TABLE "public"."b" ()',
    ]);
    expect(guessed.statements[0]?.hazards.map((h) => h.code)).toContain('DELETES_DATA');
  });
});
