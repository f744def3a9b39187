// Execution-accuracy comparison of the Spider papers (as test-suite-sql-eval's result_eq): numbers
// normalised (1 == 1.0), column names ignored and columns matched in any order, rows compared in order
// when the gold query orders them, else as multisets.

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

type Rows = readonly (readonly unknown[])[];

function columnKey(rows: Rows, c: number): string {
  return JSON.stringify(rows.map((r) => normalizeValue(r[c])).sort());
}

/** Orders of the predicted columns whose values match the gold columns one by one (backtracking). */
function* columnOrders(gold: Rows, pred: Rows): Generator<number[]> {
  const width = gold[0]?.length ?? 0;
  const goldKeys = Array.from({ length: width }, (_, c) => columnKey(gold, c));
  const predKeys = Array.from({ length: width }, (_, c) => columnKey(pred, c));
  const used = new Array<boolean>(width).fill(false);
  const order: number[] = [];
  function* place(j: number): Generator<number[]> {
    if (j === width) {
      yield [...order];
      return;
    }
    for (let c = 0; c < width; c += 1) {
      if (used[c] || predKeys[c] !== goldKeys[j]) continue;
      used[c] = true;
      order.push(c);
      yield* place(j + 1);
      order.pop();
      used[c] = false;
    }
  }
  yield* place(0);
}

/** True when two results hold the same rows (in order when `ordered`), their columns in any order. */
export function sameResult(gold: Rows, pred: Rows, ordered: boolean): boolean {
  if (gold.length !== pred.length) return false;
  if (gold.length === 0) return true;
  if (gold[0]!.length !== pred[0]!.length) return false;
  let tried = 0;
  for (const order of columnOrders(gold, pred)) {
    if (
      sameRows(
        gold,
        pred.map((r) => order.map((c) => r[c])),
        ordered,
      )
    )
      return true;
    tried += 1;
    if (tried > 50) break;
  }
  return false;
}

function sameRows(gold: Rows, pred: Rows, ordered: boolean): boolean {
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
