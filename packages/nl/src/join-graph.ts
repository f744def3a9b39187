import type { JoinStep } from './query-plan.js';
import type { SchemaIndex } from './schema-index.js';

/**
 * The shortest path along foreign keys from `from` to `to` (breadth-first), as join steps, or null
 * when the two tables are not connected. Paths stay on declared keys, so joins never cross-multiply.
 */
const pathCache = new WeakMap<SchemaIndex, Map<string, JoinStep[] | null>>();

export function joinPath(index: SchemaIndex, from: number, to: number, maxSteps = 4): JoinStep[] | null {
  if (from === to) return [];
  let cache = pathCache.get(index);
  if (cache === undefined) {
    cache = new Map();
    pathCache.set(index, cache);
  }
  const key = `${from}:${to}:${maxSteps}`;
  if (cache.has(key)) return cache.get(key)!;
  const path = findPath(index, from, to, maxSteps);
  cache.set(key, path);
  return path;
}

function findPath(index: SchemaIndex, from: number, to: number, maxSteps: number): JoinStep[] | null {
  const previous = new Map<number, JoinStep>();
  const seen = new Set<number>([from]);
  let frontier = [from];
  for (let depth = 0; depth < maxSteps && frontier.length > 0; depth += 1) {
    const next: number[] = [];
    for (const t of frontier) {
      for (const fk of index.edges.get(t) ?? []) {
        const forward = fk.table === t;
        const other = forward ? fk.referencedTable : fk.table;
        if (seen.has(other)) continue;
        seen.add(other);
        previous.set(other, {
          from: t,
          to: other,
          fromColumns: forward ? fk.columns : fk.referencedColumns,
          toColumns: forward ? fk.referencedColumns : fk.columns,
        });
        if (other === to) {
          const path: JoinStep[] = [];
          let cur = to;
          while (cur !== from) {
            const step = previous.get(cur)!;
            path.unshift(step);
            cur = step.from;
          }
          return path;
        }
        next.push(other);
      }
    }
    frontier = next;
  }
  return null;
}

/** True when a step goes from a referenced (parent) table to a referencing (child) table: rows can multiply. */
export function isFanOut(index: SchemaIndex, step: JoinStep): boolean {
  const pk = index.tables[step.from]!.primaryKey.map((c) => c.toLowerCase());
  const cols = step.fromColumns.map((c) => c.toLowerCase());
  if (pk.length > 0 && pk.length === cols.length && pk.every((c) => cols.includes(c))) {
    const childPk = index.tables[step.to]!.primaryKey.map((c) => c.toLowerCase());
    const toCols = step.toColumns.map((c) => c.toLowerCase());
    // A child whose primary key is exactly the foreign key is one-to-one.
    return !(childPk.length === toCols.length && childPk.every((c) => toCols.includes(c)));
  }
  const fromFk = index.tables[step.from]!.foreignKeys.some(
    (fk) => fk.referencedTable === step.to && fk.columns.map((c) => c.toLowerCase()).join() === cols.join(),
  );
  return !fromFk;
}
