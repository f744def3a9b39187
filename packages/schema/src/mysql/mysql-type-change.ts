// What changing a column's type costs on MySQL/MariaDB: nothing but metadata (an ENUM or SET value
// appended, a VARCHAR lengthened within its length-byte class), a copy that keeps every value
// (INT -> BIGINT), or a narrowing that may cut values or fail (VARCHAR(50) -> VARCHAR(10)).

export type MysqlTypeChange = 'none' | 'metadata' | 'widening' | 'narrowing';

interface ParsedType {
  readonly base: string;
  readonly args: readonly string[];
  readonly unsigned: boolean;
}

function parse(type: string): ParsedType {
  const t = type.trim().toLowerCase();
  const m = /^(\w+)(?:\((.*)\))?(.*)$/s.exec(t);
  const base = m?.[1] ?? t;
  const inner = m?.[2] ?? '';
  const args =
    base === 'enum' || base === 'set'
      ? splitValues(inner)
      : inner
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean);
  return { base, args, unsigned: /\bunsigned\b/.test(m?.[3] ?? '') };
}

/** The quoted values of an ENUM or SET type, as written (`'a','b'`). */
function splitValues(inner: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    if (inner[i] !== "'") {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < inner.length) {
      if (inner[j] === "'" && inner[j + 1] === "'") j += 2;
      else if (inner[j] === "'") break;
      else j++;
    }
    out.push(inner.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

const INT_RANK: Record<string, number> = {
  tinyint: 1,
  smallint: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  bigint: 5,
};
const TEXT_RANK: Record<string, number> = { tinytext: 1, text: 2, mediumtext: 3, longtext: 4 };
const BLOB_RANK: Record<string, number> = { tinyblob: 1, blob: 2, mediumblob: 3, longblob: 4 };
const BYTES_PER_CHAR: Record<string, number> = {
  utf8mb4: 4,
  utf8mb3: 3,
  utf8: 3,
  ucs2: 2,
  utf16: 4,
  utf16le: 4,
  utf32: 4,
};

/** Bytes per character of a character set (1 for latin1, ascii, binary...). */
export function bytesPerChar(charset: string | null): number {
  return charset ? (BYTES_PER_CHAR[charset.toLowerCase()] ?? 1) : 1;
}

/** How changing a column from `from` to `to` (COLUMN_TYPE texts) affects its rows. */
export function classifyMysqlTypeChange(from: string, to: string, charset: string | null): MysqlTypeChange {
  if (from.toLowerCase() === to.toLowerCase()) return 'none';
  const a = parse(from);
  const b = parse(to);
  if ((a.base === 'enum' || a.base === 'set') && a.base === b.base) {
    const prefix = a.args.every((v, i) => b.args[i] === v);
    if (!prefix) return 'narrowing';
    // Members stored in one byte (or the SET's bytes) stay so: metadata only.
    const bytes = (n: number) => (a.base === 'enum' ? (n <= 255 ? 1 : 2) : Math.ceil(n / 8));
    return bytes(a.args.length) === bytes(b.args.length) ? 'metadata' : 'widening';
  }
  const [al = 0, as = 0] = a.args.map(Number);
  const [bl = 0, bs = 0] = b.args.map(Number);
  if ((a.base === 'varchar' && b.base === 'varchar') || (a.base === 'varbinary' && b.base === 'varbinary')) {
    if (bl < al) return 'narrowing';
    const per = a.base === 'varbinary' ? 1 : bytesPerChar(charset);
    // The length prefix grows from one byte to two past 255 bytes: then the table is copied.
    return al * per <= 255 === bl * per <= 255 ? 'metadata' : 'widening';
  }
  if ((a.base === 'char' || a.base === 'varchar') && (b.base === 'varchar' || b.base === 'char'))
    return bl >= al ? 'widening' : 'narrowing';
  if ((a.base === 'char' || a.base === 'varchar' || a.base in TEXT_RANK) && b.base in TEXT_RANK) {
    const ar = TEXT_RANK[a.base] ?? (al * bytesPerChar(charset) <= 255 ? 1 : 2);
    return (TEXT_RANK[b.base] as number) >= ar ? 'widening' : 'narrowing';
  }
  if ((a.base === 'binary' || a.base === 'varbinary' || a.base in BLOB_RANK) && b.base in BLOB_RANK) {
    const ar = BLOB_RANK[a.base] ?? (al <= 255 ? 1 : 2);
    return (BLOB_RANK[b.base] as number) >= ar ? 'widening' : 'narrowing';
  }
  const ai = INT_RANK[a.base];
  const bi = INT_RANK[b.base];
  if (ai !== undefined && bi !== undefined) {
    if (a.unsigned === b.unsigned) return bi >= ai ? (bi === ai ? 'metadata' : 'widening') : 'narrowing';
    return !b.unsigned && bi > ai ? 'widening' : 'narrowing';
  }
  if (ai !== undefined && (b.base === 'decimal' || b.base === 'numeric'))
    return bl - bs >= [0, 3, 5, 8, 10, 20][ai]! ? 'widening' : 'narrowing';
  if ((a.base === 'decimal' || a.base === 'numeric') && (b.base === 'decimal' || b.base === 'numeric'))
    return bs >= as && bl - bs >= al - as ? 'widening' : 'narrowing';
  if (a.base === 'float' && b.base === 'double') return 'widening';
  if (a.base === 'date' && (b.base === 'datetime' || b.base === 'timestamp')) return 'widening';
  if ((a.base === 'datetime' || a.base === 'timestamp' || a.base === 'time') && a.base === b.base)
    return bl >= al ? 'widening' : 'narrowing';
  if (ai !== undefined && (b.base in TEXT_RANK || (b.base === 'varchar' && bl >= 20))) return 'widening';
  return 'narrowing';
}
