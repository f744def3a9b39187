/**
 * Orders `nodes` so that each comes after the nodes it depends on (edges to nodes outside the list are
 * ignored). Ties keep the given order; a cycle is broken at the first node of it in that order.
 */
export function topoSort<T>(
  nodes: readonly T[],
  keyOf: (node: T) => string,
  dependsOn: (node: T) => readonly string[],
): T[] {
  const byKey = new Map(nodes.map((n) => [keyOf(n), n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (node: T): void => {
    const key = keyOf(node);
    if (state.has(key)) return;
    state.set(key, 'visiting');
    for (const dep of dependsOn(node)) {
      const target = byKey.get(dep);
      if (target !== undefined && dep !== key && state.get(dep) !== 'visiting') visit(target);
    }
    state.set(key, 'done');
    out.push(node);
  };
  for (const node of nodes) visit(node);
  return out;
}
