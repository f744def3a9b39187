import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePlan } from './analyze-plan.js';
import { PlanParseError, PlanUnsupportedError } from './errors.js';
import { parsePlan } from './parse-plan.js';
import type { ParsedNode, ParsedPlan } from './types.js';

// Captured from this machine's PostgreSQL 15, MariaDB 10.11 and sqlite3 (mysql8-*: MySQL 8's formats,
// written after its manual, as no MySQL 8 server runs here).
const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function flat(node: ParsedNode): ParsedNode[] {
  return [node, ...node.children.flatMap(flat)];
}

function shape(plan: ParsedPlan): unknown[] {
  return flat(plan.root).map((n) => [
    n.nodeType,
    n.relation,
    n.index,
    n.estimatedRows,
    n.actualRows,
    n.loops,
  ]);
}

function parseError(input: unknown): PlanParseError {
  try {
    parsePlan(input);
  } catch (e) {
    if (e instanceof PlanParseError) return e;
    throw e;
  }
  throw new Error('parsed');
}

describe('parsePlan: PostgreSQL text', () => {
  it('reads psql output with its header, dashes and row count', () => {
    const plan = parsePlan(fixture('psql-analyze.txt'));
    expect(plan.format).toBe('postgres-text');
    expect(shape(plan)).toEqual([
      ['Sort', null, null, 1, 1, 1],
      ['Seq Scan', 'tt', null, 1, 1, 1],
    ]);
    const scan = plan.root.children[0];
    expect(scan).toMatchObject({
      filter: "((b ~~ 'ab%'::text) AND (a = 5))",
      rowsRemovedByFilter: 19999,
      parentRelationship: 'Outer',
      startupCost: 0,
      totalCost: 487,
      actualTotalMs: 1.346,
    });
    expect(scan?.buffers?.sharedHit).toBe(187);
    expect(plan.root).toMatchObject({
      sortKey: ['b'],
      sortMethod: 'quicksort',
      sortSpaceType: 'Memory',
      sortSpaceUsedKb: 25,
    });
    expect(plan.planningMs).toBe(0.811);
    expect(plan.executionMs).toBe(1.408);
  });

  it("joins the lines psql's wrapped format cut, at its '.' marks", () => {
    const wrapped = parsePlan(fixture('psql-wrapped.txt'));
    const aligned = parsePlan(fixture('psql-analyze.txt'));
    expect(shape(wrapped)).toEqual(shape(aligned));
    expect(wrapped.root.children[0]?.actualTotalMs).toBe(5.35);
  });

  it('reads a border=2 frame', () => {
    const plan = parsePlan(fixture('psql-border2.txt'));
    expect(shape(plan)).toEqual([
      ['Merge Join', null, null, 2, null, null],
      ['Index Scan', 'tt', 'tt_pkey', 20000, null, null],
      ['Sort', null, null, 2, null, null],
      ['Seq Scan', 'tt', null, 2, null, null],
    ]);
    expect(plan.root.joinType).toBe('Semi');
    expect(plan.root.children[1]?.children[0]?.alias).toBe('tt_1');
  });

  it("reads VERBOSE parallel plans, keeping workers' own lines off the node", () => {
    const plan = parsePlan(fixture('psql-parallel-verbose.txt'));
    const [agg, gather, partial, scan] = flat(plan.root);
    expect(agg).toMatchObject({
      nodeType: 'Aggregate',
      strategy: 'Hashed',
      partialMode: 'Finalize',
      groupKey: ['tt.a'],
    });
    expect(gather).toMatchObject({ nodeType: 'Gather', workersPlanned: 2, workersLaunched: 2 });
    expect(partial).toMatchObject({
      nodeType: 'Aggregate',
      partialMode: 'Partial',
      loops: 3,
      aggregateBatches: 1,
    });
    expect(partial?.buffers?.sharedHit).toBe(187);
    expect(scan).toMatchObject({
      nodeType: 'Seq Scan',
      parallelAware: true,
      schema: 'public',
      relation: 'tt',
    });
    expect(scan?.properties.Workers).toHaveLength(2);
    expect(scan?.buffers?.sharedHit).toBe(187);
  });

  it('reads SubPlans, InitPlans and CTEs with their names and relationships', () => {
    const sub = parsePlan(fixture('psql-subplan.txt'));
    expect(sub.root.children[0]).toMatchObject({
      nodeType: 'Aggregate',
      parentRelationship: 'SubPlan',
      subplanName: 'SubPlan 1',
      loops: 19,
    });
    const log = parsePlan(fixture('auto-explain.log'));
    const names = log.root.children.map((c) => [c.parentRelationship, c.subplanName ?? null, c.nodeType]);
    expect(names).toEqual([
      ['InitPlan', 'CTE x', 'Seq Scan'],
      ['InitPlan', 'InitPlan 3 (returns $2)', 'Result'],
      ['InitPlan', 'InitPlan 4 (returns $3)', 'Aggregate'],
      ['Outer', null, 'Merge Join'],
    ]);
    expect(
      flat(log.root)
        .filter((n) => n.nodeType === 'CTE Scan')
        .map((n) => [n.cteName, n.alias]),
    ).toEqual([
      ['x', 'a'],
      ['x', 'b'],
    ]);
    const backward = flat(log.root).find((n) => n.nodeType === 'Index Only Scan');
    expect(backward).toMatchObject({
      scanDirection: 'Backward',
      index: 'tt_pkey',
      relation: 'tt',
      alias: 'tt_1',
      heapFetches: 1,
    });
  });

  it('reads an auto_explain entry from a server log: prefix, tab-indented lines, Query Text', () => {
    const plan = parsePlan(fixture('auto-explain.log'));
    expect(plan.format).toBe('postgres-text');
    expect(plan.queryText).toMatch(/^with x as materialized/);
    expect(plan.root).toMatchObject({ nodeType: 'Aggregate', actualTotalMs: 20.567 });
    expect(flat(plan.root)).toHaveLength(12);
  });

  it('reads an auto_explain entry in JSON (log_format = json)', () => {
    const plan = parsePlan(fixture('auto-explain-json.log'));
    expect(plan.format).toBe('postgres-json');
    expect(plan.queryText).toBe('select count(*) from tt where a = 3;');
    expect(shape(plan)).toEqual([
      ['Aggregate', null, null, 1, 1, 1],
      ['Seq Scan', 'tt', null, 200, 200, 1],
    ]);
  });

  it('reads the message auto_explain sends a client (no prefix, no tabs)', () => {
    const text = fixture('auto-explain.log')
      .split('\n')
      .slice(1, -2)
      .map((l, i) => (i === 0 ? l.replace(/^.* LOG: {2}/, 'LOG:  ') : l.replace(/^\t/, '')))
      .join('\n');
    expect(shape(parsePlan(text))).toEqual(shape(parsePlan(fixture('auto-explain.log'))));
  });

  it('joins lines a terminal wrapped inside parentheses', () => {
    const text = [
      'Seq Scan on orders  (cost=0.00..1693.00 rows=1 width=41) (actual time=0.011..9.1',
      '21 rows=3 loops=1)',
      '  Filter: ((customer_id = 42) AND',
      '(status = 1))',
      '  Rows Removed by Filter: 99997',
    ].join('\n');
    const plan = parsePlan(text);
    expect(plan.root).toMatchObject({
      actualTotalMs: 9.121,
      actualRows: 3,
      filter: '((customer_id = 42) AND(status = 1))',
    });
  });

  it('reads plans without costs (COSTS OFF) when the node names are known', () => {
    const plan = parsePlan(
      'Hash Join\n  Hash Cond: (a.id = b.id)\n  ->  Seq Scan on a\n  ->  Hash\n        ->  Seq Scan on b\n',
    );
    expect(shape(plan)).toEqual([
      ['Hash Join', null, null, null, null, null],
      ['Seq Scan', 'a', null, null, null, null],
      ['Hash', null, null, null, null, null],
      ['Seq Scan', 'b', null, null, null, null],
    ]);
    expect(plan.root.children.map((c) => c.parentRelationship)).toEqual(['Outer', 'Inner']);
  });

  it('reads a PostgreSQL subtree copied from its arrow', () => {
    const plan = parsePlan('->  Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n      Filter: (a = 1)\n');
    expect(plan.format).toBe('postgres-text');
    expect(plan.root).toMatchObject({ nodeType: 'Seq Scan', relation: 't', filter: '(a = 1)' });
  });

  it('reads text plans as pgAdmin copies them, each line in double quotes', () => {
    const text = fixture('psql-analyze.txt')
      .split('\n')
      .slice(2, 14)
      .map((l) => `"${l.slice(1).trimEnd()}"`)
      .join('\n');
    expect(shape(parsePlan(text))).toEqual(shape(parsePlan(fixture('psql-analyze.txt'))));
  });

  it('reads node names as the JSON form has them', () => {
    const text = [
      'Insert on public.t  (cost=0.00..0.01 rows=0 width=0)',
      '  ->  Nested Loop Left Join  (cost=0.00..0.01 rows=1 width=4)',
      '        ->  Result  (cost=0.00..0.01 rows=1 width=4)',
      '        ->  Function Scan on generate_series g  (cost=0.00..0.01 rows=1 width=4)',
      '  ->  HashSetOp Except All  (cost=0.00..0.01 rows=1 width=4)',
      '        ->  Bitmap Heap Scan on t x  (cost=0.00..0.01 rows=1 width=4)',
      '              Recheck Cond: (a = 1)',
      '              ->  Bitmap Index Scan on t_a_idx  (cost=0.00..0.01 rows=1 width=0)',
      '                    Index Cond: (a = 1)',
    ].join('\n');
    expect(
      flat(parsePlan(text).root).map((n) => [
        n.nodeType,
        n.operation ?? n.joinType ?? n.strategy ?? null,
        n.relation,
        n.index,
        n.functionName ?? null,
      ]),
    ).toEqual([
      ['ModifyTable', 'Insert', 't', null, null],
      ['Nested Loop', 'Left', null, null, null],
      ['Result', null, null, null, null],
      ['Function Scan', null, null, null, 'generate_series'],
      ['SetOp', 'Hashed', null, null, null],
      ['Bitmap Heap Scan', null, 't', null, null],
      ['Bitmap Index Scan', null, null, 't_a_idx', null],
    ]);
  });
});

describe('parsePlan: PostgreSQL JSON', () => {
  it("reads psql's JSON output with its '+' newline marks", () => {
    const plan = parsePlan(fixture('psql-json.txt'));
    expect(plan.format).toBe('postgres-json');
    expect(shape(plan)).toEqual([
      ['Sort', null, null, 1, 1, 1],
      ['Seq Scan', 'tt', null, 1, 1, 1],
    ]);
  });

  it("reads psql's unicode wrapped JSON ('↵' and '…' marks)", () => {
    expect(shape(parsePlan(fixture('psql-json-unicode-wrapped.txt')))).toEqual(
      shape(parsePlan(fixture('psql-json.txt'))),
    );
  });

  it("reads the JSON value, its text, and pg's rows ({ 'QUERY PLAN': [...] })", () => {
    const value = [
      { Plan: { 'Node Type': 'Result', 'Total Cost': 0.01, 'Plan Rows': 1 }, 'Planning Time': 0.1 },
    ];
    for (const input of [
      value,
      value[0],
      JSON.stringify(value),
      JSON.stringify(value, null, 2),
      [{ 'QUERY PLAN': value }],
    ])
      expect(parsePlan(input)).toMatchObject({
        format: 'postgres-json',
        root: { nodeType: 'Result' },
        planningMs: 0.1,
      });
  });

  it("reads pg's rows of a text EXPLAIN, one line per row", () => {
    const rows = fixture('psql-analyze.txt')
      .split('\n')
      .slice(2, 14)
      .map((l) => ({ 'QUERY PLAN': l.slice(1) }));
    expect(shape(parsePlan(rows))).toEqual(shape(parsePlan(fixture('psql-analyze.txt'))));
  });
});

describe('parsePlan: MySQL and MariaDB', () => {
  it("reads MariaDB's ANALYZE FORMAT=JSON with its r_ figures", () => {
    const plan = parsePlan(fixture('mariadb-analyze.json'));
    expect(plan).toMatchObject({ dialect: 'mysql', format: 'mariadb-analyze-json', planningMs: 0.159126995 });
    const mt = flat(plan.root).find((n) => n.relation === 'mt');
    expect(mt).toMatchObject({
      nodeType: 'ALL',
      estimatedRows: 20250,
      actualRows: 90,
      loops: 1,
      rowsRemovedByFilter: 19910,
    });
    expect(mt?.filter).toBe("mt.b like 'ab%' and mt.a is not null");
    const mu = flat(plan.root).find((n) => n.relation === 'mu');
    expect(mu).toMatchObject({ nodeType: 'eq_ref', index: 'PRIMARY', loops: 90 });
    expect(flat(plan.root).map((n) => n.nodeType)).toEqual([
      'query_block',
      'nested_loop',
      'read_sorted_file',
      'filesort',
      'ALL',
      'eq_ref',
    ]);
  });

  it("reads the mysql client's vertical (\\G) output", () => {
    const plan = parsePlan(fixture('mysql-client-vertical.txt'));
    expect(plan.format).toBe('mysql-json');
    expect(flat(plan.root).map((n) => n.nodeType)).toEqual([
      'query_block',
      'filesort',
      'temporary_table',
      'nested_loop',
      'ALL',
    ]);
  });

  it("reads MySQL 8's JSON costs (numbers as strings)", () => {
    const plan = parsePlan(fixture('mysql8-explain.json'));
    const table = plan.root.children[0];
    expect(table).toMatchObject({
      nodeType: 'ALL',
      relation: 'orders',
      estimatedRows: 10033,
      totalCost: 10107.25,
    });
    expect(plan.root.totalCost).toBe(10107.25);
  });

  it("reads MySQL 8's EXPLAIN ANALYZE tree, folding a Filter into its table scan", () => {
    const plan = parsePlan(fixture('mysql8-analyze-tree.txt'));
    expect(plan.format).toBe('mysql-tree');
    expect(shape(plan)).toEqual([
      ['Sort', null, null, null, 120, 1],
      ['Nested loop inner join', null, null, 10033, 120, 1],
      ['ALL', 'o', null, 10033, 120, 1],
      ['eq_ref', 'c', 'PRIMARY', 1, 1, 120],
    ]);
    expect(flat(plan.root)[2]).toMatchObject({ filter: "(o.`status` = 'paid')", rowsRemovedByFilter: 99880 });
    const analyzed = analyzePlan(plan);
    expect(analyzed.findings.map((f) => f.code)).toContain('SEQ_SCAN_LARGE');
    expect(analyzed.suggestions[0]?.sql).toBe('ALTER TABLE o ADD INDEX (status);');
  });
});

describe('parsePlan: SQLite', () => {
  it("reads the sqlite3 shell's tree", () => {
    const plan = parsePlan(fixture('sqlite-shell.txt'));
    expect(plan).toMatchObject({ dialect: 'sqlite', format: 'sqlite' });
    expect(flat(plan.root).map((n) => [n.nodeType, n.relation, n.index])).toEqual([
      ['QUERY PLAN', null, null],
      ['SCAN', 't1', null],
      ['CORRELATED SCALAR SUBQUERY 1', null, null],
      ['SCAN', 'x', null],
      ['SEARCH', 't2', 'sqlite_autoindex_t2_1'],
      ['USE TEMP B-TREE', null, null],
    ]);
  });

  it('reads EXPLAIN QUERY PLAN rows as objects or as arrays', () => {
    const rows = [
      { id: 2, parent: 0, notused: 0, detail: 'SCAN t1' },
      { id: 4, parent: 0, notused: 0, detail: 'SEARCH t2 USING INTEGER PRIMARY KEY (rowid=?)' },
    ];
    const a = parsePlan(rows);
    const b = parsePlan(rows.map((r) => [r.id, r.parent, r.notused, r.detail]));
    expect(shape(a)).toEqual(shape(b));
    expect(a.root.children[1]).toMatchObject({
      nodeType: 'SEARCH',
      relation: 't2',
      index: 'INTEGER PRIMARY KEY',
      indexCond: 'rowid=?',
    });
  });
});

describe('parsePlan: errors name the line and what was expected', () => {
  it('a JSON syntax error', () => {
    const e = parseError(
      '[\n  {\n    "Plan": {\n      "Node Type": "Seq Scan"\n      "Total Cost": 1\n    }\n  }\n]',
    );
    expect(e.code).toBe('PLAN_PARSE');
    expect(e.line).toBe(5);
    expect(e.expected).toBe("',' or '}' after a property value");
    expect(e.message).toBe(`line 5: expected ',' or '}' after a property value, found ""Total Cost": 1"`);
  });

  it('a node without a Node Type, in JSON text and in a JSON value', () => {
    const text =
      '[\n  {\n    "Plan": {\n      "Node Type": "Hash Join",\n      "Plans": [\n        { "Total Cost": 1 }\n      ]\n    }\n  }\n]';
    expect(parseError(text)).toMatchObject({ line: 6, expected: 'a "Node Type" in every plan node' });
    expect(parseError(JSON.parse(text))).toMatchObject({
      line: 6,
      expected: 'a "Node Type" in every plan node',
    });
  });

  it('a value of the wrong type', () => {
    expect(parseError('{"Plan": {"Node Type": "Seq Scan", "Total Cost": "cheap"}}')).toMatchObject({
      line: 1,
      expected: 'a number for "Total Cost"',
    });
  });

  it('JSON that is not a plan', () => {
    expect(parseError('{\n  "rows": []\n}').expected).toMatch(
      /"Plan" \(PostgreSQL\) or "query_block" \(MySQL\)/,
    );
  });

  it('text that is not a plan', () => {
    const e = parseError('\nhello there\n');
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^line 2: expected a plan node such as "Seq Scan on t/);
  });

  it('a line inside a text plan that is neither node, property nor subplan', () => {
    const e = parseError(
      'Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  Filter: (a = 1)\n  this is not a plan line\n',
    );
    expect(e).toMatchObject({ line: 3, found: 'this is not a plan line' });
    expect(e.expected).toMatch(/a property/);
  });

  it('malformed costs on a node line', () => {
    const e = parseError('Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  ->  Hash  (cost=cheap)\n');
    expect(e).toMatchObject({ line: 2, expected: 'costs as "(cost=<startup>..<total> rows=<n> width=<n>)"' });
  });

  it('empty input', () => {
    expect(parseError('  \n')).toMatchObject({ line: 2 });
    expect(parseError([])).toMatchObject({ line: 1 });
  });

  it('FORMAT XML and YAML are recognised and refused', () => {
    expect(() => parsePlan('<explain xmlns="http://www.postgresql.org/2009/explain">')).toThrow(
      PlanUnsupportedError,
    );
    expect(() => parsePlan('- Plan: \n    Node Type: "Result"')).toThrow(/FORMAT YAML/);
  });
});
