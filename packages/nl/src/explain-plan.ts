import type { Condition, Expr, QueryPlan } from './query-plan.js';
import type { SchemaIndex } from './schema-index.js';

const OPS: Readonly<Record<string, string>> = {
  '=': 'is',
  '<>': 'is not',
  '>': 'is more than',
  '>=': 'is at least',
  '<': 'is less than',
  '<=': 'is at most',
  like: 'matches',
  'not like': 'does not match',
};

const FNS: Readonly<Record<string, string>> = {
  count: 'the number',
  sum: 'the total',
  avg: 'the average',
  min: 'the lowest',
  max: 'the highest',
};

/** Describes a plan in plain English ("Lists name and email of customers where country is 'France'"). */
export function explainPlan(plan: QueryPlan, index: SchemaIndex): string {
  const table = (t: number): string => index.tables[t]!.name;
  const col = (t: number, c: number): string => {
    const name = index.tables[t]!.columns[c]!.name;
    return t === plan.main ? name : `${table(t)}.${name}`;
  };
  const value = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));
  const expr = (e: Expr): string => {
    switch (e.kind) {
      case 'column':
        return col(e.ref.table, e.ref.column);
      case 'star':
        return e.table === null || e.table === plan.main ? 'all columns' : `all columns of ${table(e.table)}`;
      case 'aggregate':
        if (e.fn === 'count' && e.arg === null) return 'the number of rows';
        return `${FNS[e.fn]} of ${e.distinct ? 'distinct ' : ''}${e.arg ? col(e.arg.table, e.arg.column) : 'rows'}`;
      case 'period':
        return `the ${e.unit} of ${col(e.ref.table, e.ref.column)}`;
      case 'related': {
        const last = e.path[e.path.length - 1]!.to;
        if (e.fn === 'count') return `the number of related ${table(last)}`;
        return `${FNS[e.fn]} of their ${table(last)}.${index.tables[last]!.columns[e.arg!.column]!.name}`;
      }
    }
  };
  const cond = (c: Condition): string => {
    switch (c.kind) {
      case 'compare':
        return `${expr(c.left)} ${OPS[c.op]} ${value(c.value)}`;
      case 'range':
        return c.halfOpen
          ? `${expr(c.left)} is from ${value(c.low)} up to (not including) ${value(c.high)}`
          : `${expr(c.left)} is between ${value(c.low)} and ${value(c.high)}`;
      case 'in':
        return `${expr(c.left)} is ${c.negated ? 'not ' : ''}one of ${c.values.map(value).join(', ')}`;
      case 'compare-aggregate':
        return `${expr(c.left)} ${OPS[c.op]} ${FNS[c.fn]} of ${col(c.arg.table, c.arg.column)} over all rows`;
      case 'or':
        return `either ${c.conditions.map(cond).join(' or ')}`;
      case 'exists': {
        const last = c.path[c.path.length - 1]!.to;
        const inner = c.conditions.length > 0 ? ` where ${c.conditions.map(cond).join(' and ')}` : '';
        return `${c.negated ? 'there is no' : 'there is a'} related row in ${table(last)}${inner}`;
      }
    }
  };
  const parts: string[] = [];
  const what = plan.select.map((s) => expr(s.expr));
  parts.push(
    `Shows ${plan.distinct ? 'the distinct values of ' : ''}${what.join(', ')} from ${table(plan.main)}`,
  );
  if (plan.joins.length > 0)
    parts.push(`joined with ${plan.joins.map((j) => table(j.to)).join(', ')} along their foreign keys`);
  if (plan.where.length > 0) parts.push(`keeping rows where ${plan.where.map(cond).join(' and ')}`);
  if (plan.groupBy.length > 0) parts.push(`grouped by ${plan.groupBy.map(expr).join(', ')}`);
  if (plan.having.length > 0) parts.push(`keeping groups where ${plan.having.map(cond).join(' and ')}`);
  if (plan.orderBy.length > 0)
    parts.push(
      `sorted by ${plan.orderBy.map((o) => `${expr(o.expr)} ${o.direction === 'desc' ? 'from highest to lowest' : 'from lowest to highest'}`).join(', then ')}`,
    );
  if (plan.limit !== null)
    parts.push(plan.limit === 1 ? 'only the first row' : `only the first ${plan.limit} rows`);
  for (const c of plan.compound ?? []) {
    const extra = c.plan.where.filter((w) => !plan.where.includes(w));
    const words = { intersect: 'that also appear', except: 'that do not appear', union: 'or those' }[c.op];
    parts.push(`${words} in rows where ${extra.map(cond).join(' and ')}`);
  }
  return parts.join(', ') + '.';
}
