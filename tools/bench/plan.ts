// pnpm bench plan [--json]: parse and analyse a generated 5,000-node plan, as EXPLAIN (ANALYZE, BUFFERS,
// FORMAT JSON) text and as psql-style text. Baseline measured in the same run: JSON.parse of the same
// JSON text (the least any reader of it must do), so the ratio shows aishell's own cost. Goal: under
// 50 ms for parse + analyse of either form.
import { performance } from 'node:perf_hooks';
// tools/bench/package.json does not list @aishell/plan yet (that file is edited elsewhere); the
// package's source is imported directly until it does.
import { analyzePlan, explainDocument, parsePlan, renderPlan } from '@aishell/plan';

const NODES = 5000;
const ROUNDS = 30;
const WARMUP = 5;

type Raw = Record<string, unknown>;

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

let made = 0;
function scan(): Raw {
  made++;
  const rows = 1 + Math.floor(random() * 5000);
  const removed = Math.floor(random() * 20000);
  const total = random() * 5;
  return {
    'Node Type': 'Seq Scan',
    'Relation Name': `t${made}`,
    Alias: `t${made}`,
    'Startup Cost': 0,
    'Total Cost': Number((rows / 10 + removed / 100).toFixed(2)),
    'Plan Rows': Math.max(1, Math.floor(rows * (0.2 + random() * 3))),
    'Plan Width': 16,
    'Actual Startup Time': 0.01,
    'Actual Total Time': Number(total.toFixed(3)),
    'Actual Rows': rows,
    'Actual Loops': 1,
    Filter: `(c${made} = ${made})`,
    'Rows Removed by Filter': removed,
    'Shared Hit Blocks': Math.floor(random() * 500),
    'Shared Read Blocks': Math.floor(random() * 50),
  };
}

function sum(children: Raw[], key: string): number {
  return children.reduce((s, c) => s + ((c[key] as number) ?? 0), 0);
}

function over(type: string, children: Raw[], extra: Raw = {}): Raw {
  made++;
  const time = sum(children, 'Actual Total Time') + random();
  const rows = Math.max(1, Math.floor(sum(children, 'Actual Rows') / children.length));
  return {
    'Node Type': type,
    ...extra,
    'Startup Cost': 1,
    'Total Cost': Number((sum(children, 'Total Cost') + 10).toFixed(2)),
    'Plan Rows': rows,
    'Plan Width': 32,
    'Actual Startup Time': 0.5,
    'Actual Total Time': Number(time.toFixed(3)),
    'Actual Rows': rows,
    'Actual Loops': 1,
    'Shared Hit Blocks': sum(children, 'Shared Hit Blocks'),
    'Shared Read Blocks': sum(children, 'Shared Read Blocks'),
    Plans: children.map((c, i) => ({ ...c, 'Parent Relationship': i === 0 ? 'Outer' : 'Inner' })),
  };
}

/** A plan of exactly `n` nodes: hash joins over scans and hashes, with sorts and aggregates. */
function build(n: number): Raw {
  if (n <= 1) return scan();
  if (n === 2) return over('Sort', [scan()], { 'Sort Key': ['x'], 'Sort Method': 'quicksort' });
  if (n === 3) return over('Aggregate', [over('Sort', [scan()])], { Strategy: 'Sorted' });
  const left = Math.floor((n - 2) / 2);
  const right = n - 2 - left;
  const hash = over('Hash', [build(right)], {
    'Hash Buckets': 1024,
    'Hash Batches': 1,
    'Peak Memory Usage': 64,
  });
  return over('Hash Join', [build(left), hash], { 'Join Type': 'Inner', 'Hash Cond': '(a.id = b.id)' });
}

/** PostgreSQL's text form of the same plan. */
function toText(node: Raw, column: number, out: string[], arrow: boolean): void {
  const pad = ' '.repeat(column);
  const type = node['Node Type'] as string;
  const name =
    type === 'Seq Scan'
      ? `Seq Scan on ${node['Relation Name']}`
      : type === 'Aggregate'
        ? 'GroupAggregate'
        : type;
  const cost = `(cost=${(node['Startup Cost'] as number).toFixed(2)}..${(node['Total Cost'] as number).toFixed(2)} rows=${node['Plan Rows']} width=${node['Plan Width']})`;
  const actual = `(actual time=${(node['Actual Startup Time'] as number).toFixed(3)}..${(node['Actual Total Time'] as number).toFixed(3)} rows=${node['Actual Rows']} loops=${node['Actual Loops']})`;
  out.push(`${pad}${arrow ? '->  ' : ''}${name}  ${cost} ${actual}`);
  const inner = ' '.repeat(column + (arrow ? 6 : 2));
  if (node['Hash Cond']) out.push(`${inner}Hash Cond: ${node['Hash Cond']}`);
  if (node['Sort Key']) out.push(`${inner}Sort Key: ${(node['Sort Key'] as string[]).join(', ')}`);
  if (node['Sort Method']) out.push(`${inner}Sort Method: ${node['Sort Method']}  Memory: 25kB`);
  if (node['Hash Buckets'])
    out.push(
      `${inner}Buckets: ${node['Hash Buckets']}  Batches: ${node['Hash Batches']}  Memory Usage: 64kB`,
    );
  if (node.Filter) out.push(`${inner}Filter: ${node.Filter}`);
  if (node['Rows Removed by Filter'] !== undefined)
    out.push(`${inner}Rows Removed by Filter: ${node['Rows Removed by Filter']}`);
  out.push(`${inner}Buffers: shared hit=${node['Shared Hit Blocks']} read=${node['Shared Read Blocks']}`);
  for (const child of (node.Plans as Raw[] | undefined) ?? []) toText(child, inner.length, out, true);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function measure(fn: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const root = build(NODES);
const json = JSON.stringify(
  [{ Plan: root, 'Planning Time': 1.2, Triggers: [], 'Execution Time': 9999 }],
  null,
  2,
);
const lines: string[] = [];
toText(root, 0, lines, false);
lines.push('Planning Time: 1.200 ms', 'Execution Time: 9999.000 ms');
const text = lines.join('\n');

const check = analyzePlan(parsePlan(text));
const checkJson = analyzePlan(parsePlan(json));
if (check.nodeCount !== NODES || checkJson.nodeCount !== NODES)
  throw new Error(`expected ${NODES} nodes, got ${check.nodeCount} (text) and ${checkJson.nodeCount} (JSON)`);

const jsonParseMs = measure(() => JSON.parse(json));
const jsonMs = measure(() => analyzePlan(parsePlan(json)));
const textMs = measure(() => analyzePlan(parsePlan(text)));
const analyzeOnlyMs = measure(() => analyzePlan(parsePlan(JSON.parse(json))));
const documentMs = measure(() => JSON.stringify(explainDocument(checkJson)));
const renderMs = measure(() => renderPlan(checkJson));

const figures = {
  nodes: NODES,
  jsonBytes: json.length,
  textLines: lines.length,
  findings: checkJson.findings.length,
  jsonParseBaselineMs: Number(jsonParseMs.toFixed(2)),
  jsonParseAnalyzeMs: Number(jsonMs.toFixed(2)),
  textParseAnalyzeMs: Number(textMs.toFixed(2)),
  valueParseAnalyzeMs: Number(analyzeOnlyMs.toFixed(2)),
  documentJsonMs: Number(documentMs.toFixed(2)),
  renderMs: Number(renderMs.toFixed(2)),
  jsonRatioToJsonParse: Number((jsonMs / jsonParseMs).toFixed(2)),
  textRatioToJsonParse: Number((textMs / jsonParseMs).toFixed(2)),
  goalMs: 50,
  withinGoal: jsonMs < 50 && textMs < 50,
};
if (!process.argv.includes('--json')) {
  console.log(`${NODES}-node plan: JSON ${json.length} bytes, text ${lines.length} lines`);
  console.log(`  JSON.parse (baseline)          ${figures.jsonParseBaselineMs} ms`);
  console.log(
    `  parse + analyse, JSON text     ${figures.jsonParseAnalyzeMs} ms (${figures.jsonRatioToJsonParse}x)`,
  );
  console.log(
    `  parse + analyse, psql text     ${figures.textParseAnalyzeMs} ms (${figures.textRatioToJsonParse}x)`,
  );
  console.log(`  explainDocument + stringify    ${figures.documentJsonMs} ms`);
  console.log(`  renderPlan                     ${figures.renderMs} ms`);
}
console.log(JSON.stringify(figures));
