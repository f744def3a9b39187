// What changing a column's type costs on PostgreSQL: nothing to rewrite (binary-coercible widening such
// as varchar(20) -> varchar(50) or varchar -> text), a rewrite that keeps every value (int -> bigint),
// or a narrowing that may round, cut or fail (bigint -> int, text -> varchar(10), text -> integer).

export type TypeChange = 'none' | 'binary' | 'widening' | 'narrowing';

interface ParsedType {
  readonly base: string;
  readonly mods: readonly number[];
  readonly array: boolean;
}

function parse(type: string): ParsedType {
  let t = type.trim();
  let array = false;
  while (t.endsWith('[]')) {
    array = true;
    t = t.slice(0, -2);
  }
  const m = /^(.*?)\s*\(([\d\s,]+)\)(.*)$/.exec(t);
  if (m) {
    // `timestamp(3) with time zone`: the modifier sits inside the name.
    const base = `${m[1] ?? ''}${m[3] ?? ''}`.replace(/\s+/g, ' ').trim();
    return { base, mods: (m[2] ?? '').split(',').map((x) => Number(x.trim())), array };
  }
  return { base: t.replace(/\s+/g, ' '), mods: [], array };
}

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const STRING = new Set(['text', 'character varying', 'character', 'name', 'citext', 'bpchar']);

/** Categories inside which an assignment cast converts without USING (and fails rather than cuts). */
export function typeCategory(type: string): string {
  const { base, array } = parse(type);
  if (array) return `array:${base}`;
  if (STRING.has(base)) return 'string';
  if (base in INTEGER_RANK || base === 'numeric' || base === 'real' || base === 'double precision')
    return 'numeric';
  if (/^(date|timestamp|time|interval)/.test(base)) return 'datetime';
  if (base === 'boolean') return 'boolean';
  if (base === 'bit' || base === 'bit varying') return 'bit';
  if (base === 'inet' || base === 'cidr') return 'network';
  return `other:${base}`;
}

/** How changing a column from `from` to `to` (format_type texts) affects its rows. */
export function classifyTypeChange(from: string, to: string): TypeChange {
  if (from === to) return 'none';
  const a = parse(from);
  const b = parse(to);
  if (a.array !== b.array) return 'narrowing';
  const [am = -1, as = 0] = a.mods;
  const [bm = -1, bs = 0] = b.mods;
  if (a.base === b.base) {
    switch (a.base) {
      case 'character varying':
      case 'bit varying':
        if (b.mods.length === 0) return 'binary';
        if (a.mods.length === 0) return 'narrowing';
        return bm >= am ? 'binary' : 'narrowing';
      case 'character':
      case 'bit':
        return bm >= am ? 'widening' : 'narrowing';
      case 'numeric':
        if (b.mods.length === 0) return 'binary';
        if (a.mods.length === 0) return 'narrowing';
        if (bs === as) return bm >= am ? 'binary' : 'narrowing';
        return bs > as && bm - bs >= am - as ? 'widening' : 'narrowing';
      default:
        // timestamp(3) -> timestamp(6), time(0) -> time: more precision keeps values.
        if (/^(timestamp|time|interval)/.test(a.base))
          return b.mods.length === 0 || (a.mods.length > 0 && bm >= am) ? 'widening' : 'narrowing';
        return 'narrowing';
    }
  }
  if (a.base === 'character varying' && b.base === 'text') return 'binary';
  // citext keeps text's bytes; only its comparisons (and so its indexes) differ.
  if (STRING.has(a.base) && b.base === 'citext' && a.base !== 'character') return 'widening';
  if (a.base === 'text' && b.base === 'character varying' && b.mods.length === 0) return 'binary';
  if (a.base === 'cidr' && b.base === 'inet') return 'binary';
  if (
    a.base === 'character' &&
    (b.base === 'text' || (b.base === 'character varying' && (b.mods.length === 0 || bm >= am)))
  )
    return 'widening';
  if (b.base === 'text' || (b.base === 'character varying' && b.mods.length === 0)) return 'widening';
  const ar = INTEGER_RANK[a.base];
  const br = INTEGER_RANK[b.base];
  if (ar !== undefined) {
    if (br !== undefined) return br > ar ? 'widening' : 'narrowing';
    if (b.base === 'numeric') return b.mods.length === 0 || bm - bs >= 19 ? 'widening' : 'narrowing';
    if (b.base === 'double precision') return ar <= 2 ? 'widening' : 'narrowing';
    if (b.base === 'real') return ar === 1 ? 'widening' : 'narrowing';
    return 'narrowing';
  }
  if (a.base === 'real' && b.base === 'double precision') return 'widening';
  if (a.base === 'date' && b.base.startsWith('timestamp')) return 'widening';
  if (a.base === 'timestamp without time zone' && b.base === 'timestamp with time zone') return 'widening';
  if (a.base === 'time without time zone' && b.base === 'time with time zone') return 'widening';
  if (a.base === 'xml' && b.base === 'text') return 'widening';
  return 'narrowing';
}

/** Whether ALTER COLUMN TYPE needs `USING col::type` (no assignment cast between the two). */
export function needsUsing(from: string, to: string): boolean {
  const a = typeCategory(from);
  const b = typeCategory(to);
  if (b === 'string' && !a.startsWith('array:')) return false;
  return a !== b || a.startsWith('other:');
}
