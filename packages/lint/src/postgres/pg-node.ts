// Reading libpg_query's JSON parse tree: every node is `{ TypeName: { ...fields } }`, lists are arrays,
// names are lists of `{ String: { sval } }`, and `location` fields are UTF-8 byte offsets.

/** The fields of one node. */
export type PgNode = Readonly<Record<string, unknown>>;

export const isNode = (v: unknown): v is PgNode => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asNode = (v: unknown): PgNode | undefined => (isNode(v) ? v : undefined);
export const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `{ Type: fields }` -> [Type, fields]; undefined for anything else. */
export function unwrap(v: unknown): [string, PgNode] | undefined {
  if (!isNode(v)) return undefined;
  for (const key in v) {
    const body = v[key];
    if (isNode(body)) return [key, body];
  }
  return undefined;
}

/** The fields of `v` when it is a node of type `type` (`{ type: fields }`). */
export function child(v: unknown, type: string): PgNode | undefined {
  return isNode(v) ? asNode(v[type]) : undefined;
}

/** The items of a list field, unwrapping `{ List: { items } }` where the tree wraps them. */
export function items(v: unknown): readonly unknown[] {
  const list = child(v, 'List');
  return list === undefined ? asArray(v) : asArray(list.items);
}

/** The strings of a name list (`[{ String: { sval: 'public' } }, { String: { sval: 't' } }]`). */
export function names(v: unknown): string[] {
  const out: string[] = [];
  for (const item of items(v)) {
    const s = child(item, 'String');
    if (s !== undefined && typeof s.sval === 'string') out.push(s.sval);
  }
  return out;
}

/** A byte `location` field, or undefined (the tree writes -1 when it has none). */
export function location(node: PgNode | undefined): number | undefined {
  const at = node?.location;
  return typeof at === 'number' && at >= 0 ? at : undefined;
}

/** A RangeVar (`relation`, `view`, `sequence` fields): schema and name as PostgreSQL folded them. */
export interface Relation {
  readonly schema: string | undefined;
  readonly name: string;
  readonly location: number | undefined;
}

export function relation(v: unknown): Relation | undefined {
  const n = asNode(v);
  const rv = n !== undefined && typeof n.relname === 'string' ? n : child(v, 'RangeVar');
  if (rv === undefined || typeof rv.relname !== 'string') return undefined;
  return { schema: asString(rv.schemaname), name: rv.relname, location: location(rv) };
}

/** Every node under `root` (depth first), with its type and fields. */
export function walk(root: unknown, visit: (type: string, node: PgNode) => void): void {
  if (Array.isArray(root)) {
    for (const v of root) walk(v, visit);
    return;
  }
  if (!isNode(root)) return;
  for (const key in root) {
    const v = root[key];
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v) && key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90) visit(key, v as PgNode);
    walk(v, visit);
  }
}

/** `DefElem` options of a list, by name. */
export function defElems(v: unknown): { name: string; arg: unknown; location: number | undefined }[] {
  const out: { name: string; arg: unknown; location: number | undefined }[] = [];
  for (const item of items(v)) {
    const d = child(item, 'DefElem');
    if (d !== undefined && typeof d.defname === 'string')
      out.push({ name: d.defname, arg: d.arg, location: location(d) });
  }
  return out;
}

/** A DefElem's argument read as a boolean option (`FULL`, `FULL true`, `FULL false`, `FULL 0`). */
export function optionIsOn(arg: unknown): boolean {
  if (arg === undefined) return true;
  const s = child(arg, 'String')?.sval;
  if (typeof s === 'string') return !['false', 'off', '0', 'no'].includes(s.toLowerCase());
  const b = child(arg, 'Boolean');
  if (b !== undefined) return b.boolval === true;
  const i = child(arg, 'Integer');
  if (i !== undefined) return (i.ival ?? 0) !== 0;
  return true;
}
