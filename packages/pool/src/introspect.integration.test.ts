import { DIALECTS, suffix, TestDatabases } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type DialectName, type Pool, type SchemaInfo, type TableInfo } from './index.js';

const dbs = new TestDatabases();
afterAll(() => dbs.cleanup());

interface Fixture {
  /** Schema the tables live in, or null for the connection's default. */
  schema(sfx: string): string | null;
  create(sfx: string): string[];
  drop(sfx: string): string[];
  /** Whether the engine stores table and column comments. */
  comments: boolean;
  intType: RegExp;
}

const pg: Fixture = {
  schema: (s) => `intro_${s}`,
  create: (s) => [
    `create schema intro_${s}`,
    `create table intro_${s}.parent (id serial primary key, name varchar(40) not null default 'x', note text)`,
    `comment on table intro_${s}.parent is 'the parents'`,
    `comment on column intro_${s}.parent.name is 'display name'`,
    `create table intro_${s}.child (id int primary key, parent_id int not null references intro_${s}.parent(id), code text)`,
    `create unique index child_parent_code on intro_${s}.child (parent_id, code)`,
    `create view intro_${s}.parent_names as select name from intro_${s}.parent`,
    `create materialized view intro_${s}.parent_count as select count(*) as n from intro_${s}.parent`,
    `analyze intro_${s}.parent`,
  ],
  drop: (s) => [`drop schema intro_${s} cascade`],
  comments: true,
  intType: /^integer$/,
};

const FIXTURES: Record<DialectName, Fixture> = {
  postgres: pg,
  pglite: pg,
  mysql: {
    schema: () => null,
    create: (s) => [
      `create table parent_${s} (id int auto_increment primary key, name varchar(40) not null default 'x' comment 'display name', note text) comment 'the parents'`,
      `create table child_${s} (id int primary key, parent_id int not null, code varchar(20), constraint fk_${s} foreign key (parent_id) references parent_${s}(id))`,
      `create unique index child_parent_code on child_${s} (parent_id, code)`,
      `create view parent_names_${s} as select name from parent_${s}`,
    ],
    drop: (s) => [`drop view parent_names_${s}`, `drop table child_${s}`, `drop table parent_${s}`],
    comments: true,
    intType: /^int(\(11\))?$/,
  },
  sqlite: {
    schema: () => 'main',
    create: (s) => [
      `create table parent_${s} (id integer primary key, name varchar(40) not null default 'x', note text)`,
      `create table child_${s} (id int primary key, parent_id int not null references parent_${s}(id), code text)`,
      `create unique index child_parent_code on child_${s} (parent_id, code)`,
      `create view parent_names_${s} as select name from parent_${s}`,
    ],
    drop: (s) => [`drop view parent_names_${s}`, `drop table child_${s}`, `drop table parent_${s}`],
    comments: false,
    intType: /^integer$/i,
  },
};

describe.each(DIALECTS)('%s introspection', (dialect) => {
  const fx = FIXTURES[dialect];
  const sfx = suffix();
  const usesSchema = dialect === 'postgres' || dialect === 'pglite';
  const name = (base: string) => (usesSchema ? base : `${base}_${sfx}`);
  let pool: Pool;
  let info: SchemaInfo;

  beforeAll(async () => {
    pool = createPool(await dbs.url(dialect));
    for (const stmt of fx.create(sfx)) await pool.query(stmt);
    const schema = fx.schema(sfx);
    info = await pool.introspect(schema !== null && usesSchema ? { schemas: [schema] } : {});
  }, 180_000);

  afterAll(async () => {
    for (const stmt of fx.drop(sfx)) await pool?.query(stmt).catch(() => {});
    await pool?.close();
  });

  const table = (base: string): TableInfo => {
    const t = info.tables.find((x) => x.name === name(base));
    if (!t) throw new Error(`${name(base)} not introspected`);
    return t;
  };

  it('names the dialect, the database and the schemas', () => {
    expect(info.dialect).toBe(dialect);
    if (dialect !== 'sqlite') expect(info.database).toBeTruthy();
    const schema = fx.schema(sfx);
    if (schema !== null) expect(info.schemas).toEqual([schema]);
    else expect(info.schemas.length).toBeGreaterThan(0);
  });

  it('lists tables and views with their kind', () => {
    expect(table('parent').kind).toBe('table');
    expect(table('child').kind).toBe('table');
    expect(table('parent_names').kind).toBe('view');
    if (usesSchema) expect(table('parent_count').kind).toBe('materialized_view');
  });

  it('describes columns in order with type, nullability, default and comment', () => {
    const cols = table('parent').columns;
    expect(cols.map((c) => c.name)).toEqual(['id', 'name', 'note']);
    const [id, nameCol, note] = cols;
    expect(id?.type).toMatch(fx.intType);
    expect(id?.nullable).toBe(false);
    expect(nameCol?.type.toLowerCase()).toMatch(/^(character varying|varchar)\(40\)$/);
    expect(nameCol?.nullable).toBe(false);
    expect(nameCol?.default).toMatch(/'x'/);
    expect(note?.nullable).toBe(true);
    expect(note?.default).toBeNull();
    expect(nameCol?.comment).toBe(fx.comments ? 'display name' : null);
    expect(table('parent').comment).toBe(fx.comments ? 'the parents' : null);
  });

  it('gives primary keys and foreign keys', () => {
    expect(table('parent').primaryKey).toEqual(['id']);
    const fks = table('child').foreignKeys;
    expect(fks).toHaveLength(1);
    expect(fks[0]).toMatchObject({
      columns: ['parent_id'],
      referencedTable: name('parent'),
      referencedColumns: ['id'],
    });
    if (usesSchema) expect(fks[0]?.referencedSchema).toBe(fx.schema(sfx));
  });

  it('gives indexes with their columns, uniqueness and primary flag', () => {
    const idx = table('child').indexes.find((i) => i.name === 'child_parent_code');
    expect(idx).toEqual({
      name: 'child_parent_code',
      columns: ['parent_id', 'code'],
      unique: true,
      primary: false,
    });
    if (dialect !== 'sqlite') {
      expect(table('child').indexes.some((i) => i.primary && i.columns.join() === 'id')).toBe(true);
    }
  });

  it('gives a row estimate for tables and none for views', () => {
    if (dialect !== 'sqlite') expect(typeof table('parent').rowEstimate).toBe('number');
    expect(table('parent_names').rowEstimate).toBeNull();
  });
});
