import { describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { FINDING_CODES, PLAN_THRESHOLDS } from './findings.js';
import { parsePlan } from './parse-plan.js';
import type { AnalyzedPlan, Finding, FindingCode } from './types.js';

type Raw = Record<string, unknown>;

function node(type: string, extra: Raw = {}, plans: Raw[] = []): Raw {
  return {
    'Node Type': type,
    'Startup Cost': 0,
    'Total Cost': 10,
    'Plan Rows': 100,
    'Actual Startup Time': 0,
    'Actual Total Time': 1,
    'Actual Rows': 100,
    'Actual Loops': 1,
    ...extra,
    ...(plans.length ? { Plans: plans } : {}),
  };
}

function analyze(root: Raw, options: Parameters<typeof analyzePlan>[1] = {}): AnalyzedPlan {
  return analyzePlan(parsePlan([{ Plan: root }]), options);
}

function of(plan: AnalyzedPlan, code: FindingCode, id?: string): Finding[] {
  return plan.findings.filter((f) => f.code === code && (id === undefined || f.node === id));
}

function level(plan: AnalyzedPlan, code: FindingCode, id: string): string | null {
  return of(plan, code, id)[0]?.level ?? null;
}

describe('finding rules', () => {
  it('has one stable code per rule', () => {
    expect(FINDING_CODES).toEqual([
      'SLOW_NODE',
      'COSTLY_NODE',
      'MISESTIMATE',
      'FILTER_REMOVES_ROWS',
      'DISK_SORT',
      'HASH_BATCHES',
      'SEQ_SCAN_LARGE',
      'NESTED_LOOP_MANY',
      'HEAP_FETCHES',
      'WORKERS_NOT_LAUNCHED',
    ]);
  });

  it.each([
    [10, null],
    [11, 'info'],
    [40, 'info'],
    [41, 'warn'],
    [90, 'warn'],
    [91, 'crit'],
  ])('SLOW_NODE: a node taking %i percent of the time is %s (pev2: above 10, 40, 90)', (pct, expected) => {
    const plan = analyze(
      node('Result', { 'Actual Total Time': 100, 'Total Cost': 1 }, [
        node('Seq Scan', { 'Actual Total Time': pct, 'Total Cost': 0.01 }),
      ]),
    );
    expect(level(plan, 'SLOW_NODE', '0.0')).toBe(expected);
  });

  it.each([
    [10, null],
    [11, 'info'],
    [41, 'warn'],
    [91, 'crit'],
  ])("COSTLY_NODE: a node with %i percent of the cost is %s (pev2's cost classes)", (pct, expected) => {
    const plan = analyze(node('Result', { 'Total Cost': 100 }, [node('Seq Scan', { 'Total Cost': pct })]));
    expect(level(plan, 'COSTLY_NODE', '0.0')).toBe(expected);
  });

  it.each([
    [100, 1000, null],
    [100, 1001, 'info'],
    [100, 10_001, 'warn'],
    [100, 100_001, 'crit'],
    [100_001, 100, 'crit'],
    [2000, 100, 'info'],
  ])(
    'MISESTIMATE: %i rows estimated, %i got, is %s (10x, 100x, 1000x either way)',
    (estimated, actual, expected) => {
      const plan = analyze(node('Seq Scan', { 'Plan Rows': estimated, 'Actual Rows': actual }));
      expect(level(plan, 'MISESTIMATE', '0')).toBe(expected);
    },
  );

  it('MISESTIMATE: is not repeated on a node that passes its input on (Hash, Sort)', () => {
    const scan = { 'Plan Rows': 10, 'Actual Rows': 50_000 };
    const plan = analyze(node('Hash', scan, [node('Seq Scan', scan)]));
    expect(of(plan, 'MISESTIMATE').map((f) => f.node)).toEqual(['0.0']);
  });

  it.each([
    [500, 500, null],
    [499, 501, 'warn'],
    [99, 901, 'crit'],
  ])(
    'FILTER_REMOVES_ROWS: %i kept, %i removed, is %s (pev2: above 50 and 90 percent)',
    (kept, removed, expected) => {
      const plan = analyze(
        node('Index Scan', {
          'Actual Rows': kept,
          'Plan Rows': kept,
          'Rows Removed by Filter': removed,
          Filter: '(a = 1)',
        }),
      );
      expect(level(plan, 'FILTER_REMOVES_ROWS', '0')).toBe(expected);
    },
  );

  it('FILTER_REMOVES_ROWS: counts loops and ignores filters that read fewer than minRows rows', () => {
    const small = { 'Actual Rows': 1, 'Plan Rows': 1, 'Rows Removed by Filter': 19, Filter: '(a = 1)' };
    expect(of(analyze(node('Seq Scan', small)), 'FILTER_REMOVES_ROWS')).toEqual([]);
    expect(
      level(analyze(node('Seq Scan', { ...small, 'Actual Loops': 200 })), 'FILTER_REMOVES_ROWS', '0'),
    ).toBe('crit');
    expect(
      level(analyze(node('Seq Scan', small), { thresholds: { minRows: 5 } }), 'FILTER_REMOVES_ROWS', '0'),
    ).toBe('crit');
  });

  it('FILTER_REMOVES_ROWS: reads join filters and index rechecks too', () => {
    const plan = analyze(
      node('Nested Loop', {
        'Actual Rows': 10,
        'Plan Rows': 10,
        'Rows Removed by Join Filter': 5000,
        'Join Filter': '(a.x < b.y)',
      }),
    );
    expect(of(plan, 'FILTER_REMOVES_ROWS')[0]?.message).toContain('join filter (a.x < b.y)');
  });

  it('DISK_SORT: an external sort, with a work_mem suggestion for the node', () => {
    const plan = analyze(
      node('Sort', {
        'Sort Method': 'external merge',
        'Sort Space Type': 'Disk',
        'Sort Space Used': 1920,
        'Sort Key': ['a'],
      }),
    );
    expect(of(plan, 'DISK_SORT')).toMatchObject([{ node: '0', level: 'warn', value: 1920 }]);
    expect(plan.suggestions).toContainEqual(
      expect.objectContaining({ kind: 'work_mem', node: '0', sql: "SET work_mem = '8MB';" }),
    );
    expect(
      of(analyze(node('Sort', { 'Sort Method': 'quicksort', 'Sort Space Type': 'Memory' })), 'DISK_SORT'),
    ).toEqual([]);
  });

  it('HASH_BATCHES: a hash in more than one batch, and a HashAggregate that spilled', () => {
    const hash = analyze(
      node('Hash', { 'Hash Batches': 16, 'Original Hash Batches': 16, 'Peak Memory Usage': 103 }),
    );
    expect(of(hash, 'HASH_BATCHES')).toMatchObject([{ node: '0', level: 'warn', value: 16 }]);
    expect(hash.suggestions[0]?.sql).toBe("SET work_mem = '2MB';");
    expect(of(analyze(node('Hash', { 'Hash Batches': 1 })), 'HASH_BATCHES')).toEqual([]);
    const agg = analyze(node('Aggregate', { Strategy: 'Hashed', 'HashAgg Batches': 5, 'Disk Usage': 4000 }));
    expect(of(agg, 'HASH_BATCHES')).toHaveLength(1);
  });

  it.each([
    [10_000, 10, null],
    [10_001, 10, 'warn'],
    [20_000, 2_500, null],
    [2_000_000, 10, 'crit'],
  ])('SEQ_SCAN_LARGE: %i rows read, %i kept, is %s', (read, kept, expected) => {
    const plan = analyze(
      node('Seq Scan', {
        'Relation Name': 'orders',
        Filter: '(customer_id = 42)',
        'Actual Rows': kept,
        'Plan Rows': kept,
        'Rows Removed by Filter': read - kept,
      }),
    );
    expect(level(plan, 'SEQ_SCAN_LARGE', '0')).toBe(expected);
  });

  it('SEQ_SCAN_LARGE: suggests an index on the filtered columns, equality first', () => {
    const plan = analyze(
      node('Seq Scan', {
        'Relation Name': 'orders',
        Alias: 'o',
        Filter: "((o.created_at > '2024-01-01'::date) AND ((o.status)::text = 'paid'::text))",
        'Actual Rows': 10,
        'Plan Rows': 10,
        'Rows Removed by Filter': 99_990,
      }),
    );
    expect(plan.suggestions[0]).toMatchObject({
      kind: 'index',
      node: '0',
      table: 'orders',
      columns: ['status', 'created_at'],
      sql: 'CREATE INDEX ON orders (status, created_at);',
    });
  });

  it('NESTED_LOOP_MANY: counts the inner loops with ANALYZE, the outer estimate without', () => {
    const analyzed = analyze(
      node('Nested Loop', {}, [
        node('Seq Scan', { 'Parent Relationship': 'Outer', 'Actual Rows': 20_000 }),
        node('Index Scan', { 'Parent Relationship': 'Inner', 'Actual Loops': 20_000, 'Relation Name': 'b' }),
      ]),
    );
    expect(of(analyzed, 'NESTED_LOOP_MANY')).toMatchObject([{ node: '0', level: 'warn', value: 20_000 }]);
    const estimated = analyzePlan(
      parsePlan([
        {
          Plan: {
            'Node Type': 'Nested Loop',
            'Total Cost': 10,
            'Plan Rows': 1,
            Plans: [
              { 'Node Type': 'Seq Scan', 'Total Cost': 5, 'Plan Rows': 200_000 },
              { 'Node Type': 'Index Scan', 'Total Cost': 1, 'Plan Rows': 1 },
            ],
          },
        },
      ]),
    );
    expect(level(estimated, 'NESTED_LOOP_MANY', '0')).toBe('crit');
  });

  it.each([
    [0, 1000, null],
    [1, 1000, 'info'],
    [500, 1000, 'warn'],
    [950, 1000, 'crit'],
  ])(
    'HEAP_FETCHES: %i heap fetches for %i rows is %s (pev2: above 0, 40 and 90 percent)',
    (fetches, rows, expected) => {
      const plan = analyze(
        node('Index Only Scan', {
          'Heap Fetches': fetches,
          'Actual Rows': rows,
          'Plan Rows': rows,
          'Relation Name': 't',
        }),
      );
      expect(level(plan, 'HEAP_FETCHES', '0')).toBe(expected);
    },
  );

  it('WORKERS_NOT_LAUNCHED: fewer workers than planned is warn, none is crit', () => {
    const some = analyze(node('Gather', { 'Workers Planned': 4, 'Workers Launched': 2 }));
    const none = analyze(node('Gather', { 'Workers Planned': 2, 'Workers Launched': 0 }));
    const all = analyze(node('Gather', { 'Workers Planned': 2, 'Workers Launched': 2 }));
    expect(level(some, 'WORKERS_NOT_LAUNCHED', '0')).toBe('warn');
    expect(level(none, 'WORKERS_NOT_LAUNCHED', '0')).toBe('crit');
    expect(of(all, 'WORKERS_NOT_LAUNCHED')).toEqual([]);
  });

  it('takes thresholds from the options, the others from PLAN_THRESHOLDS', () => {
    const plan = analyze(node('Seq Scan', { 'Plan Rows': 100, 'Actual Rows': 300 }), {
      thresholds: { misestimateFactor: { warn: 2 } },
    });
    expect(level(plan, 'MISESTIMATE', '0')).toBe('warn');
    expect(PLAN_THRESHOLDS.misestimateFactor).toEqual({ info: 10, warn: 100, crit: 1000 });
  });

  it('lists the most severe findings first', () => {
    const plan = analyze(
      node('Result', { 'Actual Total Time': 100, 'Total Cost': 100 }, [
        node('Seq Scan', { 'Actual Total Time': 15, 'Total Cost': 1 }),
        node('Gather', {
          'Actual Total Time': 1,
          'Workers Planned': 2,
          'Workers Launched': 0,
          'Total Cost': 1,
        }),
      ]),
    );
    const levels = plan.findings.map((f) => f.level);
    expect(levels).toEqual(
      [...levels].sort((a, b) => ['crit', 'warn', 'info'].indexOf(a) - ['crit', 'warn', 'info'].indexOf(b)),
    );
    expect(plan.findings[0]?.level).toBe('crit');
    expect(of(plan, 'WORKERS_NOT_LAUNCHED')[0]?.level).toBe('crit');
  });
});
