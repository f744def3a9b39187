// Runs one corpus pair on two scratch databases: load both schemas, plan, assert, apply the plan to
// `from`, check it converges, then plan the way back on the same database and check that too.
import { splitStatements } from '@aishell/sql';
import { expect } from 'vitest';
import { applyCheck } from '../apply-check.js';
import type { SchemaPair } from '../corpus/schema-pair.js';
import { diffSchemas } from '../diff-schemas.js';
import { introspectSchema } from '../introspect-schema.js';
import { loadSchemaScript } from '../load-schema-script.js';
import { dataLoss, planSteps, renderPlan } from '../plan-steps.js';
import type { SchemaDialect } from '../schema-model.js';
import type { SchemaPlan } from '../schema-plan.js';
import type { Scratch } from './scratch.js';

const codes = (plan: SchemaPlan) =>
  [...new Set(plan.statements.flatMap((s) => s.hazards.map((h) => h.code)))].sort();

export async function runPair(
  pair: SchemaPair,
  dialect: SchemaDialect,
  open: () => Promise<Scratch>,
): Promise<void> {
  const from = await open();
  const to = await open();
  try {
    for (const db of [from, to])
      if (pair.setup)
        await loadSchemaScript(db.run, pair.setup, dialect).catch((e: unknown) => {
          if (!/already exists|duplicate/i.test(String((e as Error).message))) throw e;
        });
    await loadSchemaScript(from.run, pair.from, dialect, { name: 'from' });
    await loadSchemaScript(to.run, pair.to, dialect, { name: 'to' });
    if (pair.data) await loadSchemaScript(from.run, pair.data, dialect, { name: 'data' });
    const options = pair.introspect ?? {};
    const fromModel = await introspectSchema(from.run, dialect, options);
    const toModel = await introspectSchema(to.run, dialect, options);
    const introspect = () => introspectSchema(from.run, dialect, options);

    expect(diffSchemas(toModel, toModel).statements, 'a schema against itself plans nothing').toEqual([]);
    const plan = diffSchemas(fromModel, toModel, pair.options);
    const script = renderPlan(plan);
    // The rendered script splits back into the very steps (psql and the mysql client can run it).
    const uncommented = (text: string) => text.replace(/^(--[^\n]*\n)+/, '');
    expect(
      splitStatements(script, dialect).map((s) => uncommented(s.text)),
      script,
    ).toEqual(planSteps(plan).map((s) => s.sql));
    expect(codes(plan), `hazards of\n${script}`).toEqual([...new Set(pair.hazards)].sort());
    expect(plan.unsupported.map((u) => u.kind).sort(), `unsupported of\n${script}`).toEqual(
      [...(pair.unsupported ?? [])].sort(),
    );
    if (pair.empty) expect(plan.statements, script).toEqual([]);
    else if (!pair.unsupported?.length)
      expect(plan.statements.length, 'a plan with statements').toBeGreaterThan(0);
    if (pair.online !== undefined)
      expect(
        plan.statements.every((s) => s.online),
        `online of\n${script}`,
      ).toBe(pair.online);
    expect(dataLoss(plan).length > 0, 'dataLoss').toBe(pair.hazards.includes('DELETES_DATA'));
    let at = 0;
    for (const pattern of pair.sql ?? []) {
      const found = plan.statements.findIndex((s, i) => i >= at && pattern.test(s.sql));
      expect(found, `${pattern} in order in\n${script}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }

    const forward = await applyCheck(from.run, plan, toModel, { introspect });
    expect(forward.failed, `applying\n${script}`).toBeNull();
    if (pair.unsupported?.length) return;
    expect(forward.residue, `residue after\n${script}`).toEqual([]);
    expect(forward.converged).toBe(true);

    if (pair.reverse === false) return;
    const after = await introspect();
    const back = diffSchemas(after, fromModel, reverseOptions(pair));
    const backScript = renderPlan(back);
    expect(back.unsupported, `the way back:\n${backScript}`).toEqual([]);
    const backward = await applyCheck(from.run, back, fromModel, { introspect });
    expect(backward.failed, `applying the way back\n${backScript}`).toBeNull();
    expect(backward.residue, `residue of the way back\n${backScript}`).toEqual([]);
  } finally {
    await Promise.all([from.close(), to.close()]);
  }
}

function reverseOptions(pair: SchemaPair) {
  const renames = pair.options?.renames;
  if (!renames) return pair.options;
  return {
    ...pair.options,
    renames: Object.fromEntries(
      Object.entries(renames).map(([k, v]) => [reverseKey(k, v), k.split('.').pop() as string]),
    ),
  };
}

/** The key of the way back: `t.old -> new` is `t.new -> old` (with the table renamed too when it was). */
function reverseKey(key: string, value: string): string {
  const parts = key.split('.');
  parts[parts.length - 1] = value.split('.').pop() as string;
  return parts.join('.');
}
