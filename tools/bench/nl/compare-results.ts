// Execution-accuracy comparison of the Spider papers: numbers normalised (1 == 1.0), column names
// ignored, rows compared in order when the gold query orders them, else as multisets.

function normalizeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = Number(v);
    return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return normalizeValue(Number(t));
    return `s:${t}`;
  }
  if (Buffer.isBuffer(v)) return `b:${v.toString('hex')}`;
  return `o:${String(v)}`;
}

function rowKey(row: readonly unknown[]): string {
  return JSON.stringify(row.map(normalizeValue));
}

/** True when two results hold the same rows (in order when `ordered`). */
export function sameResult(
  gold: readonly (readonly unknown[])[],
  pred: readonly (readonly unknown[])[],
  ordered: boolean,
): boolean {
  if (gold.length !== pred.length) return false;
  if (gold.length > 0 && gold[0]!.length !== pred[0]!.length) return false;
  const g = gold.map(rowKey);
  const p = pred.map(rowKey);
  if (ordered) return g.every((k, i) => k === p[i]);
  const counts = new Map<string, number>();
  for (const k of g) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const k of p) {
    const c = counts.get(k);
    if (!c) return false;
    counts.set(k, c - 1);
  }
  return true;
}
