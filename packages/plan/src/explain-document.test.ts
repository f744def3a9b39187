import { describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { explainDocument } from './explain-document.js';
import { parsePlan } from './parse-plan.js';

describe('explainDocument', () => {
  const doc = explainDocument(
    analyzePlan(
      parsePlan({
        Plan: {
          'Node Type': 'Seq Scan',
          'Relation Name': 'orders',
          'Total Cost': 1693,
          'Plan Rows': 1,
          'Actual Total Time': 9.1,
          'Actual Rows': 3,
          'Actual Loops': 1,
          Filter: '(customer_id = 42)',
          'Rows Removed by Filter': 99997,
          'Async Capable': false,
        },
        'Execution Time': 9.2,
      }),
    ),
  );

  it("has PRODUCT.md's fields: dialect, plan with nodeType and children, findings with code and node, summary", () => {
    expect(doc.dialect).toBe('postgres');
    expect(doc.plan).toMatchObject({ nodeType: 'Seq Scan', relation: 'orders', children: [] });
    expect(
      doc.findings.every((f) => typeof f.code === 'string' && f.node === '0' && f.message.length > 0),
    ).toBe(true);
    expect(doc.summary).toMatch(/^Ran in 9\.200 ms\. Most of the time goes to Seq Scan on orders \[0\]/);
  });

  it('gives every node the same leading keys, null when unknown, and children last', () => {
    expect(Object.keys(doc.plan).slice(0, 19)).toEqual([
      'id',
      'nodeType',
      'relation',
      'index',
      'startupCost',
      'totalCost',
      'estimatedRows',
      'actualRows',
      'loops',
      'exclusiveMs',
      'inclusiveMs',
      'timeShare',
      'exclusiveCost',
      'costShare',
      'estimateFactor',
      'estimateDirection',
      'actualStartupMs',
      'actualTotalMs',
      'buffers',
    ]);
    expect(Object.keys(doc.plan).at(-1)).toBe('children');
    expect(doc.plan.index).toBeNull();
    expect(doc.plan.properties).toEqual({ 'Async Capable': false });
  });

  it('survives JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
