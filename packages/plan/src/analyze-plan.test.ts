import { describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { parsePlan } from './parse-plan.js';
import type { AnalyzedPlan, PlanNode } from './types.js';

type Raw = Record<string, unknown>;

/** A node of PostgreSQL's JSON with the figures a test cares about. */
function pg(type: string, ms: number | null, loops: number, extra: Raw = {}, plans: Raw[] = []): Raw {
  return {
    'Node Type': type,
    'Startup Cost': 0,
    'Total Cost': 100,
    'Plan Rows': 10,
    'Plan Width': 4,
    ...(ms === null ? {} : { 'Actual Startup Time': 0, 'Actual Total Time': ms }),
    'Actual Rows': 10,
    'Actual Loops': loops,
    ...extra,
    ...(plans.length ? { Plans: plans } : {}),
  };
}

function analyze(root: Raw, doc: Raw = {}): AnalyzedPlan {
  return analyzePlan(parsePlan([{ Plan: root, ...doc }]));
}

function byId(plan: AnalyzedPlan, id: string): PlanNode {
  const stack = [plan.root];
  while (stack.length) {
    const n = stack.pop() as PlanNode;
    if (n.id === id) return n;
    stack.push(...n.children);
  }
  throw new Error(`no node ${id}`);
}

describe('analyzePlan figures', () => {
  it('multiplies per-loop time by loops and takes the children out of a node', () => {
    const plan = analyze(
      pg('Nested Loop', 10, 1, {}, [
        pg('Seq Scan', 2, 1, { 'Parent Relationship': 'Outer', 'Relation Name': 'a' }),
        pg('Index Scan', 0.01, 500, { 'Parent Relationship': 'Inner', 'Relation Name': 'b' }),
      ]),
      { 'Execution Time': 12.5 },
    );
    expect(byId(plan, '0.1').inclusiveMs).toBe(5);
    expect(byId(plan, '0.1').exclusiveMs).toBe(5);
    expect(byId(plan, '0').inclusiveMs).toBe(10);
    expect(byId(plan, '0').exclusiveMs).toBe(3);
    expect(byId(plan, '0.0').exclusiveMs).toBe(2);
    expect(plan.totalMs).toBe(12.5);
    expect(byId(plan, '0').timeShare).toBe(0.24);
    expect(byId(plan, '0.1').timeShare).toBe(0.4);
  });

  it('counts the nodes under a Gather once, not once per worker (pev2)', () => {
    const plan = analyze(
      pg('Aggregate', 101, 1, { Strategy: 'Plain', 'Partial Mode': 'Finalize' }, [
        pg('Gather', 100, 1, { 'Workers Planned': 2, 'Workers Launched': 2 }, [
          pg('Aggregate', 95, 3, { 'Partial Mode': 'Partial' }, [
            pg('Seq Scan', 90, 3, { 'Parallel Aware': true, 'Relation Name': 't' }),
          ]),
        ]),
      ]),
    );
    expect(byId(plan, '0.0.0').workers).toBe(2);
    expect(byId(plan, '0.0.0.0').inclusiveMs).toBe(90);
    expect(byId(plan, '0.0.0').exclusiveMs).toBe(5);
    expect(byId(plan, '0.0').exclusiveMs).toBe(5);
    expect(byId(plan, '0').exclusiveMs).toBe(1);
  });

  it('divides by the workers launched, not planned', () => {
    const plan = analyze(
      pg('Gather', 50, 1, { 'Workers Planned': 4, 'Workers Launched': 1 }, [
        pg('Seq Scan', 40, 2, { 'Relation Name': 't' }),
      ]),
    );
    expect(byId(plan, '0.0').inclusiveMs).toBe(40);
    expect(byId(plan, '0').exclusiveMs).toBe(10);
  });

  it("charges an InitPlan to the node whose condition uses its value, not to the InitPlan's parent", () => {
    const plan = analyze(
      pg('Limit', 20, 1, {}, [
        pg(
          'Aggregate',
          5,
          1,
          { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1 (returns $0)' },
          [pg('Seq Scan', 4, 1, { 'Parent Relationship': 'Outer', 'Relation Name': 'u' })],
        ),
        pg('Seq Scan', 18, 1, { 'Parent Relationship': 'Outer', 'Relation Name': 't', Filter: '(a > $0)' }),
      ]),
    );
    expect(byId(plan, '0').exclusiveMs).toBe(2);
    expect(byId(plan, '0.1').exclusiveMs).toBe(13);
    expect(byId(plan, '0.0').exclusiveMs).toBe(1);
    const sum = [byId(plan, '0'), byId(plan, '0.0'), byId(plan, '0.0.0'), byId(plan, '0.1')].reduce(
      (s, n) => s + (n.exclusiveMs ?? 0),
      0,
    );
    expect(sum).toBe(20);
  });

  it("recognises PostgreSQL 16's InitPlan references, (InitPlan 1).col1", () => {
    const plan = analyze(
      pg('Seq Scan', 10, 1, { 'Relation Name': 't', Filter: '(a > (InitPlan 1).col1)' }, [
        pg('Result', 3, 1, { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1' }),
      ]),
    );
    expect(byId(plan, '0').exclusiveMs).toBe(7);
  });

  it("takes a Result's InitPlans out of the Result itself", () => {
    const plan = analyze(
      pg('Result', 5, 1, {}, [
        pg('Limit', 4, 1, { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1 (returns $0)' }),
      ]),
    );
    expect(byId(plan, '0').exclusiveMs).toBe(1);
  });

  it("charges a CTE to its CTE Scans in proportion to their time (pev2), not to the CTE's parent", () => {
    const plan = analyze(
      pg('Hash Join', 30, 1, {}, [
        pg('Seq Scan', 6, 1, {
          'Parent Relationship': 'InitPlan',
          'Subplan Name': 'CTE x',
          'Relation Name': 't',
        }),
        pg('CTE Scan', 14, 1, { 'Parent Relationship': 'Outer', 'CTE Name': 'x', Alias: 'a' }),
        pg('Hash', 8, 1, { 'Parent Relationship': 'Inner' }, [
          pg('CTE Scan', 7, 1, { 'Parent Relationship': 'Outer', 'CTE Name': 'x', Alias: 'b' }),
        ]),
      ]),
    );
    expect(byId(plan, '0').exclusiveMs).toBe(8);
    expect(byId(plan, '0.0').exclusiveMs).toBe(6);
    expect(byId(plan, '0.1').exclusiveMs).toBe(10);
    expect(byId(plan, '0.2.0').exclusiveMs).toBe(5);
    expect(byId(plan, '0.2').exclusiveMs).toBe(1);
  });

  it('takes a SubPlan out of the node that evaluates it, per loop', () => {
    const plan = analyze(
      pg('Seq Scan', 30, 1, { 'Relation Name': 't', Filter: '(SubPlan 1)' }, [
        pg('Index Scan', 0.02, 1000, { 'Parent Relationship': 'SubPlan', 'Subplan Name': 'SubPlan 1' }),
      ]),
    );
    expect(byId(plan, '0.0').inclusiveMs).toBe(20);
    expect(byId(plan, '0').exclusiveMs).toBe(10);
  });

  it('gives a node that never ran zero time and no estimate factor', () => {
    const plan = analyze(
      pg('Hash Join', 1, 1, {}, [
        pg('Seq Scan', 1, 1, { 'Parent Relationship': 'Outer' }),
        pg('Hash', 0, 0, { 'Parent Relationship': 'Inner', 'Actual Rows': 0 }),
      ]),
    );
    const hash = byId(plan, '0.1');
    expect(hash.neverExecuted).toBe(true);
    expect(hash.inclusiveMs).toBe(0);
    expect(hash.estimateFactor).toBeNull();
  });

  it('measures estimates either way, counting rows below one as one', () => {
    const plan = analyze(
      pg('Append', 1, 1, {}, [
        pg('Seq Scan', 0.1, 1, { 'Plan Rows': 100, 'Actual Rows': 1 }),
        pg('Seq Scan', 0.1, 1, { 'Plan Rows': 1, 'Actual Rows': 5000 }),
        pg('Seq Scan', 0.1, 1, { 'Plan Rows': 1, 'Actual Rows': 0 }),
        pg('Seq Scan', 0.1, 1, { 'Plan Rows': 10, 'Actual Rows': 10 }),
      ]),
    );
    expect(
      [1, 2, 3, 4].map((i) => [
        byId(plan, `0.${i - 1}`).estimateFactor,
        byId(plan, `0.${i - 1}`).estimateDirection,
      ]),
    ).toEqual([
      [100, 'over'],
      [5000, 'under'],
      [1, 'over'],
      [1, 'exact'],
    ]);
  });

  it('computes exclusive cost and its share of the total cost', () => {
    const plan = analyze({
      ...pg('Hash Join', null, 1, {}, [
        { ...pg('Seq Scan', null, 1), 'Total Cost': 300 },
        { ...pg('Hash', null, 1), 'Total Cost': 200 },
      ]),
      'Total Cost': 1000,
    });
    expect(byId(plan, '0').exclusiveCost).toBe(500);
    expect(byId(plan, '0').costShare).toBe(0.5);
    expect(byId(plan, '0.0').costShare).toBe(0.3);
    expect(plan.totalCost).toBe(1000);
    expect(plan.timed).toBe(false);
    expect(plan.analyzed).toBe(true);
  });

  it("counts a Limit's input at most at the Limit's cost", () => {
    const plan = analyze({
      ...pg('Limit', null, 1, {}, [
        { ...pg('Index Scan', null, 1, { 'Plan Rows': 20000 }), 'Total Cost': 768.29 },
      ]),
      'Total Cost': 0.33,
    });
    expect(byId(plan, '0').exclusiveCost).toBe(0);
    expect(byId(plan, '0.0').exclusiveCost).toBe(0.33);
    expect(plan.findings.filter((f) => f.code === 'MISESTIMATE')).toEqual([]);
  });

  it('has no times and no time findings without ANALYZE', () => {
    const plan = analyzePlan(
      parsePlan([{ Plan: { 'Node Type': 'Seq Scan', 'Total Cost': 10, 'Plan Rows': 5 } }]),
    );
    expect(plan.root.inclusiveMs).toBeNull();
    expect(plan.root.timeShare).toBeNull();
    expect(plan.analyzed).toBe(false);
    expect(plan.findings.map((f) => f.code)).toEqual(['COSTLY_NODE']);
  });
});
