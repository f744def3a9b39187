import { describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { parsePlan } from './parse-plan.js';
import { renderPlan } from './render-plan.js';

const plan = analyzePlan(
  parsePlan([
    {
      Plan: {
        'Node Type': 'Sort',
        'Startup Cost': 5349.77,
        'Total Cost': 5399.77,
        'Plan Rows': 20000,
        'Actual Startup Time': 85.6,
        'Actual Total Time': 91.5,
        'Actual Rows': 20000,
        'Actual Loops': 1,
        'Sort Key': ['a.b'],
        'Sort Method': 'external merge',
        'Sort Space Used': 1920,
        'Sort Space Type': 'Disk',
        'Shared Hit Blocks': 377,
        'Shared Read Blocks': 4,
        'Temp Read Blocks': 998,
        'Temp Written Blocks': 1060,
        Plans: [
          {
            'Node Type': 'Seq Scan',
            'Parent Relationship': 'Outer',
            'Relation Name': 'orders',
            'Index Name': undefined,
            'Startup Cost': 0,
            'Total Cost': 387,
            'Plan Rows': 20,
            'Actual Startup Time': 0.01,
            'Actual Total Time': 5.3,
            'Actual Rows': 20000,
            'Actual Loops': 1,
            Filter: '(customer_id > 4)',
            'Rows Removed by Filter': 10,
            'Shared Hit Blocks': 187,
            'Shared Read Blocks': 0,
          },
        ],
      },
      'Planning Time': 0.4,
      'Execution Time': 92.4,
    },
  ]),
);

describe('renderPlan', () => {
  it('shows each node with relation, cost, rows, loops, times, buffers and its findings', () => {
    const text = renderPlan(plan);
    const [sort, , , scan] = text.split('\n');
    expect(sort).toBe(
      'Sort  [0]  cost=5349.77..5399.77  rows est=20,000 actual=20,000  loops=1  time 86.2 ms self (93%), 91.5 ms total  buffers hit=377 read=4 temp r=998 w=1,060  ✖ SLOW_NODE ✖ COSTLY_NODE ▲ DISK_SORT',
    );
    expect(scan).toBe(
      '└─ Seq Scan on orders  [0.0]  cost=0.00..387.00  rows est=20 actual=20,000  loops=1  time 5.300 ms self (5.7%), 5.300 ms total  buffers hit=187 read=0  ▲ MISESTIMATE',
    );
    expect(text).toContain('│  Sort Method: external merge  Disk: 1,920 kB');
    expect(text).toContain('      Filter: (customer_id > 4)  (removed 10)');
    expect(text).toContain('Planning 0.400 ms  Execution 92.4 ms');
    expect(text).toContain('Findings:\n  ✖ crit SLOW_NODE  [0]  Sort takes 93% of the execution time');
    expect(text).toContain(plan.summary);
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderPlan(plan)).not.toContain('\x1b[');
    const coloured = renderPlan(plan, { color: true });
    expect(coloured).toContain('\x1b[31m✖\x1b[0m SLOW_NODE');
    expect(coloured).toContain('\x1b[1mSort\x1b[0m');
  });

  it('can draw in plain ASCII and leave out details, findings and summary', () => {
    const text = renderPlan(plan, { ascii: true, details: false, findings: false, summary: false });
    expect(text).toBe(
      [
        'Sort  [0]  cost=5349.77..5399.77  rows est=20,000 actual=20,000  loops=1  time 86.2 ms self (93%), 91.5 ms total  buffers hit=377 read=4 temp r=998 w=1,060  !! SLOW_NODE !! COSTLY_NODE ! DISK_SORT',
        '`- Seq Scan on orders  [0.0]  cost=0.00..387.00  rows est=20 actual=20,000  loops=1  time 5.300 ms self (5.7%), 5.300 ms total  buffers hit=187 read=0  ! MISESTIMATE',
        'Planning 0.400 ms  Execution 92.4 ms',
        '',
      ].join('\n'),
    );
  });
});
