// The node line of PostgreSQL's text plan ("Parallel Index Scan Backward using i on public.t t1") as the
// keys the JSON format has for it ("Node Type": "Index Scan", "Parallel Aware": true, ...).

type Raw = Record<string, unknown>;

/** Node Type values of PostgreSQL 12-17, to recognise a node line that shows no costs. */
export const POSTGRES_NODE_TYPES: ReadonlySet<string> = new Set([
  'Result',
  'ProjectSet',
  'ModifyTable',
  'Append',
  'Merge Append',
  'Recursive Union',
  'BitmapAnd',
  'BitmapOr',
  'Nested Loop',
  'Merge Join',
  'Hash Join',
  'Seq Scan',
  'Sample Scan',
  'Gather',
  'Gather Merge',
  'Index Scan',
  'Index Only Scan',
  'Bitmap Index Scan',
  'Bitmap Heap Scan',
  'Tid Scan',
  'Tid Range Scan',
  'Subquery Scan',
  'Function Scan',
  'Table Function Scan',
  'Values Scan',
  'CTE Scan',
  'Named Tuplestore Scan',
  'WorkTable Scan',
  'Foreign Scan',
  'Custom Scan',
  'Materialize',
  'Memoize',
  'Sort',
  'Incremental Sort',
  'Group',
  'Aggregate',
  'WindowAgg',
  'Unique',
  'SetOp',
  'LockRows',
  'Limit',
  'Hash',
]);

const AGGREGATE_STRATEGY: Record<string, string> = {
  Aggregate: 'Plain',
  GroupAggregate: 'Sorted',
  HashAggregate: 'Hashed',
  MixedAggregate: 'Mixed',
};

const IDENT = String.raw`(?:"(?:[^"]|"")*"|[^\s"]+)`;
const JOIN = /^(Nested Loop|Hash|Merge)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))?( Join)?$/;
const MODIFY = /^(Insert|Update|Delete|Merge) on (.+)$/;
const SET_OP = /^(SetOp|HashSetOp) (.+)$/;
const SCAN = new RegExp(
  String.raw`^(.*?Scan)(?: \(([^)]*)\))?( Backward)?(?: using (${IDENT}))?(?: on (${IDENT}(?: ${IDENT})?))?$`,
);

/** `"a""b"` -> `a"b`; unquoted names as they are. */
export function unquoteIdentifier(name: string): string {
  return name.startsWith('"') && name.endsWith('"') && name.length >= 2
    ? name.slice(1, -1).replaceAll('""', '"')
    : name;
}

/** Splits at dots outside double quotes. */
function qualifiedParts(name: string): string[] {
  if (!name.includes('.')) return [unquoteIdentifier(name)];
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of name) {
    if (c === '"') quoted = !quoted;
    if (c === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map(unquoteIdentifier);
}

const TARGET = new RegExp(`^(${IDENT})(?: (${IDENT}))?$`);

/** `public.t t1` -> Schema public, Relation Name t, Alias t1. */
function target(raw: Raw, text: string, nameKey: string): void {
  const m = TARGET.exec(text);
  const name = m?.[1] ?? text;
  const parts = qualifiedParts(name);
  const last = parts.at(-1) ?? name;
  if (parts.length > 1 && nameKey === 'Relation Name') raw.Schema = parts.slice(0, -1).join('.');
  raw[nameKey] = last;
  raw.Alias = m?.[2] ? unquoteIdentifier(m[2]) : last;
}

/**
 * The JSON keys of a node line's name, or null when the name is not one PostgreSQL prints (only asked
 * when the line has no costs to show it is a node).
 */
export function describeNodeName(name: string, strict: boolean): Raw | null {
  const raw: Raw = {};
  let rest = name.trim();
  if (rest.startsWith('Parallel ')) {
    raw['Parallel Aware'] = true;
    rest = rest.slice(9);
  }
  if (rest.startsWith('Async ')) {
    raw['Async Capable'] = true;
    rest = rest.slice(6);
  }
  const partial = /^(Partial|Finalize) (.+)$/.exec(rest);
  if (partial?.[1] && partial[2]) {
    raw['Partial Mode'] = partial[1];
    rest = partial[2];
  }
  const aggregate = AGGREGATE_STRATEGY[rest];
  const join =
    aggregate || !(rest.includes(' Join') || rest.startsWith('Nested Loop')) ? null : JOIN.exec(rest);
  const modify = aggregate || join || !rest.includes(' on ') ? null : MODIFY.exec(rest);
  const setOp = aggregate || join || modify || !rest.includes('SetOp ') ? null : SET_OP.exec(rest);
  const scan = aggregate || join || modify || setOp || !rest.includes('Scan') ? null : SCAN.exec(rest);
  if (aggregate) {
    raw['Node Type'] = 'Aggregate';
    raw.Strategy = aggregate;
  } else if (join && (join[1] === 'Nested Loop' || join[3])) {
    raw['Node Type'] = join[1] === 'Nested Loop' ? 'Nested Loop' : `${join[1]} Join`;
    raw['Join Type'] = join[2] ?? 'Inner';
  } else if (modify?.[1] && modify[2]) {
    raw['Node Type'] = 'ModifyTable';
    raw.Operation = modify[1];
    target(raw, modify[2], 'Relation Name');
  } else if (setOp?.[1] && setOp[2]) {
    raw['Node Type'] = 'SetOp';
    raw.Strategy = setOp[1] === 'HashSetOp' ? 'Hashed' : 'Sorted';
    raw.Command = setOp[2];
  } else if (scan?.[1]) {
    const type = scan[1];
    raw['Node Type'] = type;
    if (scan[2] !== undefined) raw['Custom Plan Provider'] = scan[2];
    if (scan[3]) raw['Scan Direction'] = 'Backward';
    if (scan[4]) raw['Index Name'] = unquoteIdentifier(scan[4]);
    const on = scan[5];
    if (on) {
      if (type === 'Bitmap Index Scan') raw['Index Name'] = unquoteIdentifier(on);
      else if (type === 'Function Scan') target(raw, on, 'Function Name');
      else if (type === 'CTE Scan' || type === 'WorkTable Scan') target(raw, on, 'CTE Name');
      else if (type === 'Named Tuplestore Scan') target(raw, on, 'Tuplestore Name');
      else if (type === 'Subquery Scan' || type === 'Values Scan' || type === 'Table Function Scan')
        raw.Alias = unquoteIdentifier(on);
      else target(raw, on, 'Relation Name');
    }
  } else {
    raw['Node Type'] = rest;
  }
  if (strict && !POSTGRES_NODE_TYPES.has(raw['Node Type'] as string)) return null;
  if (rest === '') return null;
  return raw;
}
