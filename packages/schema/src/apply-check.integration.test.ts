// The trial run on real databases: a plan that converges, one the database refuses (reported, not
// thrown, with the session's settings put back), and one that leaves something unplanned.
import { afterAll, describe, expect, it } from 'vitest';
import { applyCheck } from './apply-check.js';
import { diffSchemas } from './diff-schemas.js';
import { introspectSchema } from './introspect-schema.js';
import { loadSchemaScript } from './load-schema-script.js';
import { PgliteScratches, pgScratch, type Scratch } from './test-support/scratch.js';

const pglite = new PgliteScratches();
afterAll(() => pglite.close());

async function pair(open: () => Promise<Scratch>, from: string, to: string) {
  const a = await open();
  const b = await open();
  await loadSchemaScript(a.run, from, 'postgres');
  await loadSchemaScript(b.run, to, 'postgres');
  const fromModel = await introspectSchema(a.run, 'postgres');
  const toModel = await introspectSchema(b.run, 'postgres');
  return { a, b, fromModel, toModel, close: () => Promise.all([a.close(), b.close()]) };
}

describe('applyCheck', () => {
  it('applies a plan, reads the schema again and finds nothing left', async () => {
    const p = await pair(
      () => pglite.get(),
      'create table t (id int);',
      'create table t (id int primary key, v text); create index t_v on t (v);',
    );
    try {
      const plan = diffSchemas(p.fromModel, p.toModel);
      const result = await applyCheck(p.a.run, plan, p.toModel);
      expect(result).toEqual({ converged: true, residue: [], applied: plan.statements.length, failed: null });
    } finally {
      await p.close();
    }
  });

  it('reports the statement the database refuses and puts the session settings back', async () => {
    const p = await pair(
      pgScratch,
      'create table t (id int, email text);',
      'create table t (id int, email text not null);',
    );
    try {
      await p.a.run('insert into t values (1, null)');
      const plan = diffSchemas(p.fromModel, p.toModel);
      const result = await applyCheck(p.a.run, plan, p.toModel);
      expect(result.converged).toBe(false);
      expect(result.failed).toMatchObject({
        sql: expect.stringMatching(/VALIDATE CONSTRAINT/),
        sqlState: '23514',
      });
      expect(result.applied).toBe(1);
      // The temporary CHECK is still there: the second plan wants it gone and the column NOT NULL.
      expect(result.residue.map((r) => r.sql)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/SET NOT NULL$/),
          expect.stringMatching(/DROP CONSTRAINT "aishell_nn_/),
        ]),
      );
      expect((await p.a.run('show lock_timeout')).rows).toEqual([{ lock_timeout: '0' }]);
    } finally {
      await p.close();
    }
  });

  it('does not converge while a difference cannot be planned', async () => {
    const p = await pair(
      () => pglite.get(),
      `create type mood as enum ('a', 'b');`,
      `create type mood as enum ('b', 'a');`,
    );
    try {
      const plan = diffSchemas(p.fromModel, p.toModel);
      expect(plan.statements).toEqual([]);
      const result = await applyCheck(p.a.run, plan, p.toModel);
      expect(result.converged).toBe(false);
      expect(result.residue).toEqual([
        { sql: null, message: expect.stringMatching(/^enum public.mood: values removed or reordered/) },
      ]);
    } finally {
      await p.close();
    }
  });

  it('refuses a plan of another dialect', async () => {
    const p = await pair(() => pglite.get(), '', '');
    try {
      await expect(
        applyCheck(p.a.run, { dialect: 'mysql', statements: [], unsupported: [] }, p.toModel),
      ).rejects.toMatchObject({
        code: 'SCHEMA_BAD_OPTION',
      });
    } finally {
      await p.close();
    }
  });
});
