// Introspection options and failures on the real engines.
import { afterAll, describe, expect, it } from 'vitest';
import { diffSchemas } from './diff-schemas.js';
import { introspectSchema } from './introspect-schema.js';
import { loadSchemaScript } from './load-schema-script.js';
import type { MysqlSchemaModel, PostgresSchemaModel } from './schema-model.js';
import { mysqlScratch, PgliteScratches, pgScratch, sqliteScratch } from './test-support/scratch.js';

const pglite = new PgliteScratches();
afterAll(() => pglite.close());

describe('introspectSchema on PostgreSQL', () => {
  it('reads every schema but the system ones, or those asked for', async () => {
    const db = await pgScratch();
    try {
      await loadSchemaScript(
        db.run,
        'create schema app; create table app.a (id int); create table public.b (id int);',
        'postgres',
      );
      const all = (await introspectSchema(db.run, 'postgres')) as PostgresSchemaModel;
      expect(all.schemas.map((s) => s.name)).toEqual(['app', 'public']);
      expect(all.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['app.a', 'public.b']);
      const app = (await introspectSchema(db.run, 'postgres', { schemas: ['app'] })) as PostgresSchemaModel;
      expect(app.tables.map((t) => t.name)).toEqual(['a']);
      expect(app.extensions).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('reads the same schema alike on the server and on PGlite, apart from how each prints views', async () => {
    const script = `create type mood as enum ('a', 'b'); create table t (id int generated always as identity primary key,
      m mood, name text collate "C" not null default 'x', check (length(name) < 10)); create index t_name on t (lower(name));`;
    const server = await pgScratch();
    const embedded = await pglite.get();
    try {
      await loadSchemaScript(server.run, script, 'postgres');
      await loadSchemaScript(embedded.run, script, 'postgres');
      const a = await introspectSchema(server.run, 'postgres');
      const b = await introspectSchema(embedded.run, 'postgres');
      expect(diffSchemas(a, b).statements).toEqual([]);
    } finally {
      await Promise.all([server.close(), embedded.close()]);
    }
  });

  it('fails with SCHEMA_INTROSPECTION naming what it could not read', async () => {
    const failing = async () => {
      throw Object.assign(new Error('connection terminated'), { code: '57P01' });
    };
    await expect(introspectSchema(failing, 'postgres')).rejects.toMatchObject({
      code: 'SCHEMA_INTROSPECTION',
      sqlState: '57P01',
      message: expect.stringMatching(/^cannot read the/),
    });
  });

  it('stops when its signal fires', async () => {
    const db = await pglite.get();
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(introspectSchema(db.run, 'postgres', { signal: controller.signal })).rejects.toMatchObject(
        {
          code: 'SCHEMA_ABORTED',
        },
      );
    } finally {
      await db.close();
    }
  });

  it('refuses an unknown dialect', async () => {
    await expect(introspectSchema(async () => ({ rows: [] }), 'oracle' as 'postgres')).rejects.toMatchObject({
      code: 'SCHEMA_BAD_OPTION',
    });
  });
});

describe('introspectSchema on MariaDB', () => {
  it('reads the current database or the one named, without its name in definitions', async () => {
    const a = await mysqlScratch();
    const b = await mysqlScratch();
    try {
      await loadSchemaScript(
        a.run,
        'create table t (id int primary key, n int); create view v as select id from t where n > 0;',
        'mysql',
      );
      const own = (await introspectSchema(a.run, 'mysql')) as MysqlSchemaModel;
      expect(own.database).toBe(a.name);
      expect(own.flavor).toBe('mariadb');
      expect(own.views[0]?.definition).not.toContain(a.name);
      const named = (await introspectSchema(b.run, 'mysql', { database: a.name })) as MysqlSchemaModel;
      expect(named.tables.map((t) => t.name)).toEqual(['t']);
      expect(diffSchemas(own, named).statements).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('introspectSchema on SQLite', () => {
  it('reads tables, columns, indexes, views and triggers, and the foreign key setting', async () => {
    const db = sqliteScratch();
    try {
      await db.run('pragma foreign_keys = on');
      await loadSchemaScript(
        db.run,
        `create table t (id integer primary key, name text not null default 'x', g int as (id * 2));
         create index t_name on t (name); create view v as select id from t;
         create trigger t_trg after insert on t begin select 1; end;`,
        'sqlite',
      );
      const model = await introspectSchema(db.run, 'sqlite');
      expect(model).toMatchObject({
        dialect: 'sqlite',
        foreignKeys: true,
        tables: [
          {
            name: 't',
            columns: [
              { name: 'id', type: 'INTEGER', primaryKey: 1 },
              { name: 'name', notNull: true, default: "'x'" },
              { name: 'g', hidden: 2 },
            ],
          },
        ],
        indexes: [{ name: 't_name', table: 't' }],
        views: [{ name: 'v' }],
        triggers: [{ name: 't_trg', table: 't' }],
      });
    } finally {
      await db.close();
    }
  });
});
