// The plain-English summary: where the time (or the cost) goes, and what to try, each tied to a node.
import { conditionColumns, indexColumns } from './condition-columns.js';
import type { PlanContext } from './findings.js';
import { formatCost, formatCount, formatMs, formatShare, nodeLabel } from './plan-format.js';
import type { Finding, PlanDialect, PlanNode, Suggestion } from './types.js';

function quoteIdentifier(name: string, dialect: PlanDialect): string {
  if (dialect === 'mysql')
    return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : `\`${name.replaceAll('`', '``')}\``;
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function tableName(node: PlanNode, dialect: PlanDialect): string {
  const relation = node.relation ?? '';
  const name = quoteIdentifier(relation, dialect);
  return node.schema ? `${quoteIdentifier(node.schema, dialect)}.${name}` : name;
}

/** Powers of two in MB, at least 1: what a person would type for work_mem. */
function megabytes(kb: number): number {
  let mb = 1;
  while (mb * 1024 < kb) mb *= 2;
  return mb;
}

const INDEXABLE_SCANS = new Set([
  'Seq Scan',
  'Index Scan',
  'Bitmap Heap Scan',
  'ALL',
  'ref',
  'range',
  'index',
]);

function indexSuggestion(node: PlanNode, finding: Finding, dialect: PlanDialect): Suggestion | null {
  if (!node.relation || node.filter === undefined || !INDEXABLE_SCANS.has(node.nodeType)) return null;
  // MySQL names a table by its alias in plans; MySQL 8 qualifies columns as `db`.`table`.`column`.
  const qualified = dialect === 'mysql' ? /`[^`]+`\.`([^`]+)`\.`[^`]+`/.exec(node.filter)?.[1] : undefined;
  const relation = qualified ?? node.relation;
  const names = [node.relation, relation, ...(node.alias ? [node.alias] : [])];
  const fromIndex = node.indexCond ? indexColumns(conditionColumns(node.indexCond, names)) : [];
  const fromFilter = conditionColumns(node.filter, names);
  const columns = [...new Set([...fromIndex, ...indexColumns(fromFilter)])];
  if (columns.length === 0) return null;
  const table = tableName({ ...node, relation }, dialect);
  const list = columns.map((c) => quoteIdentifier(c, dialect)).join(', ');
  const sql =
    dialect === 'mysql'
      ? `ALTER TABLE ${table} ADD INDEX (${list});`
      : dialect === 'postgres'
        ? `CREATE INDEX ON ${table} (${list});`
        : null;
  const loops = node.loops ?? 1;
  const read = ((node.actualRows ?? 0) + (node.rowsRemovedByFilter ?? 0)) * loops;
  const why =
    finding.code === 'SEQ_SCAN_LARGE' || node.rowsRemovedByFilter !== undefined
      ? `reads ${formatCount(Math.round(read))} rows to keep ${formatCount(Math.round((node.actualRows ?? 0) * loops))}`
      : 'filters out most of the rows it reads';
  return {
    kind: 'index',
    node: node.id,
    table: relation,
    columns,
    sql,
    message: `an index on ${relation} (${columns.join(', ')}): ${nodeLabel(node)} [${node.id}] ${why}${sql ? ` — ${sql}` : ''}${dialect === 'mysql' && !qualified ? ' (MySQL plans name tables by their alias: check the table name)' : ''}`,
  };
}

function suggestionsOf(
  nodes: readonly PlanNode[],
  findings: readonly Finding[],
  ctx: PlanContext,
): Suggestion[] {
  const byId = new Map<string, PlanNode>();
  for (const n of nodes) byId.set(n.id, n);
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const push = (s: Suggestion | null): void => {
    if (!s) return;
    const key = `${s.kind} ${s.table ?? s.node} ${s.columns.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  const dialect = ctx.dialect;
  for (const f of findings) {
    const node = byId.get(f.node);
    if (!node) continue;
    const label = `${nodeLabel(node)} [${node.id}]`;
    switch (f.code) {
      case 'SEQ_SCAN_LARGE':
        push(indexSuggestion(node, f, dialect));
        break;
      case 'FILTER_REMOVES_ROWS':
        if (f.level === 'crit') push(indexSuggestion(node, f, dialect));
        break;
      case 'MISESTIMATE': {
        if (f.level === 'info' || !node.relation || dialect === 'sqlite') break;
        const table = tableName(node, dialect);
        // MariaDB estimates conditions from its own histograms, which only PERSISTENT FOR ALL collects.
        const sql =
          dialect === 'postgres'
            ? `ANALYZE ${table};`
            : ctx.format === 'mariadb-analyze-json'
              ? `ANALYZE TABLE ${table} PERSISTENT FOR ALL;`
              : `ANALYZE TABLE ${table};`;
        push({
          kind: 'analyze',
          node: node.id,
          table: node.relation,
          columns: [],
          sql,
          message: `ANALYZE ${node.relation}: the row estimate of ${label} is ${formatCount(Math.round(f.value))}x off, its statistics look stale — ${sql}`,
        });
        break;
      }
      case 'DISK_SORT': {
        if (dialect !== 'postgres') {
          push({
            kind: 'work_mem',
            node: node.id,
            table: null,
            columns: [],
            sql: null,
            message: `a larger sort_buffer_size for ${label}, which sorted on disk`,
          });
          break;
        }
        const kb = node.sortSpaceUsedKb;
        // An in-memory sort takes more room than its data on disk: about three times, to be safe.
        const mb = megabytes((kb ?? 1024) * 3);
        const sql = `SET work_mem = '${mb}MB';`;
        push({
          kind: 'work_mem',
          node: node.id,
          table: null,
          columns: [],
          sql,
          message: `more work_mem for ${label}, which sorted ${kb !== undefined ? `${formatCount(kb)} kB ` : ''}on disk — ${sql} (for the session, or SET LOCAL in a transaction)`,
        });
        break;
      }
      case 'HASH_BATCHES': {
        if (dialect !== 'postgres') break;
        const batches = node.hashBatches ?? node.aggregateBatches ?? 2;
        const needKb = (node.peakMemoryKb ?? node.diskUsageKb ?? 1024) * batches;
        const sql = `SET work_mem = '${megabytes(needKb)}MB';`;
        push({
          kind: 'work_mem',
          node: node.id,
          table: null,
          columns: [],
          sql,
          message: `more work_mem for ${label}, whose hash needs about ${formatCount(Math.ceil(needKb / 1024))} MB in one batch — ${sql}`,
        });
        break;
      }
      case 'HEAP_FETCHES': {
        if (f.level === 'info' || !node.relation) break;
        const sql = `VACUUM ${tableName(node, dialect)};`;
        push({
          kind: 'vacuum',
          node: node.id,
          table: node.relation,
          columns: [],
          sql,
          message: `VACUUM ${node.relation}: ${label} read ${formatShare(f.value)} of its rows from the table — ${sql}`,
        });
        break;
      }
      case 'WORKERS_NOT_LAUNCHED':
        push({
          kind: 'parallel_workers',
          node: node.id,
          table: null,
          columns: [],
          sql: null,
          message: `more parallel workers (max_parallel_workers, max_worker_processes) or fewer parallel queries at once: ${label} launched ${node.workersLaunched} of ${node.workersPlanned}`,
        });
        break;
      default:
        break;
    }
  }
  return out;
}

function whereTimeGoes(nodes: readonly PlanNode[], ctx: PlanContext): string {
  const minShare = ctx.thresholds.slowNodeShare.info ?? 0.1;
  if (ctx.timed && ctx.totalMs !== null) {
    const hot = nodes
      .filter((n) => (n.timeShare ?? 0) > minShare)
      .sort((a, b) => (b.exclusiveMs ?? 0) - (a.exclusiveMs ?? 0))
      .slice(0, 3);
    const head = `Ran in ${formatMs(ctx.totalMs)}.`;
    if (hot.length === 0)
      return `${head} The time is spread out: no node takes more than ${formatShare(minShare)}.`;
    const parts = hot.map(
      (n) => `${nodeLabel(n)} [${n.id}] (${formatShare(n.timeShare ?? 0)}, ${formatMs(n.exclusiveMs ?? 0)})`,
    );
    return `${head} Most of the time goes to ${parts.join(', then ')}.`;
  }
  if (ctx.totalCost !== null) {
    const head = `Estimated cost ${formatCost(ctx.totalCost)}${ctx.analyzed ? ' (timing was off: rows are known, times are not)' : ' (no ANALYZE: times are not known)'}.`;
    const hot = nodes
      .filter((n) => (n.costShare ?? 0) > minShare)
      .sort((a, b) => (b.exclusiveCost ?? 0) - (a.exclusiveCost ?? 0))
      .slice(0, 3);
    if (hot.length === 0) return head;
    const parts = hot.map((n) => `${nodeLabel(n)} [${n.id}] (${formatShare(n.costShare ?? 0)})`);
    return `${head} Most of the cost is in ${parts.join(', then ')}.`;
  }
  const scans = nodes.filter((n) => n.nodeType === 'SCAN' && n.relation);
  if (ctx.dialect === 'sqlite' && scans.length > 0)
    return `SQLite shows no costs or times. Full scans: ${scans.map((n) => `${n.relation} [${n.id}]`).join(', ')}.`;
  return 'The plan shows no costs or times.';
}

/** Suggestions and the summary text of an analysed plan. */
export function summarize(
  nodes: readonly PlanNode[],
  findings: readonly Finding[],
  ctx: PlanContext,
): { suggestions: Suggestion[]; summary: string } {
  const suggestions = suggestionsOf(nodes, findings, ctx);
  const lines = [whereTimeGoes(nodes, ctx)];
  if (suggestions.length > 0) {
    lines.push('Try:');
    for (const s of suggestions) lines.push(`- ${s.message}`);
  } else {
    const serious = findings.filter((f) => f.level !== 'info');
    lines.push(
      serious.length === 0
        ? 'Nothing stands out.'
        : `${serious.length} finding${serious.length === 1 ? '' : 's'} to look at; none points to one fix.`,
    );
  }
  return { suggestions, summary: lines.join('\n') };
}
