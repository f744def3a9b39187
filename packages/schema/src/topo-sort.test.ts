import { describe, expect, it } from 'vitest';
import { topoSort } from './topo-sort.js';

describe('topoSort', () => {
  const node = (key: string, deps: string[] = []) => ({ key, deps });
  const sort = (nodes: { key: string; deps: string[] }[]) =>
    topoSort(
      nodes,
      (n) => n.key,
      (n) => n.deps,
    ).map((n) => n.key);

  it('puts each node after what it depends on and keeps the given order otherwise', () => {
    expect(sort([node('c', ['b']), node('a'), node('b', ['a']), node('d')])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores dependencies outside the list and breaks a cycle instead of looping', () => {
    expect(sort([node('x', ['missing']), node('y')])).toEqual(['x', 'y']);
    expect(sort([node('a', ['b']), node('b', ['a'])])).toEqual(['b', 'a']);
  });
});
