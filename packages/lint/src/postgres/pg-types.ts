import { asArray, asString, child, location, names, type PgNode } from './pg-node.js';
import type { PgStatement } from './pg-statement.js';

/** A column type as written: its last name part (`int4`, `varchar`), modifiers and where it is. */
export interface ColumnType {
  readonly name: string;
  /** `pg_catalog.x`: the parser wrote a keyword type (`integer`, `char(3)`, `timestamp`). */
  readonly keyword: boolean;
  readonly modifiers: number;
  readonly array: boolean;
  readonly node: PgNode;
}

export function columnType(typeName: unknown): ColumnType | undefined {
  const t = typeName as PgNode | undefined;
  if (t === undefined || t === null || typeof t !== 'object') return undefined;
  const parts = names(t.names);
  const name = parts.at(-1);
  if (name === undefined) return undefined;
  return {
    name: name.toLowerCase(),
    keyword: parts.length === 2 && parts[0] === 'pg_catalog',
    modifiers: asArray(t.typmods).length,
    array: asArray(t.arrayBounds).length > 0,
    node: t,
  };
}

/** Every column type a statement defines: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN ... TYPE. */
export function definedColumnTypes(s: PgStatement): { column: string | undefined; type: ColumnType }[] {
  const out: { column: string | undefined; type: ColumnType }[] = [];
  const add = (def: PgNode | undefined, column?: string): void => {
    const type = columnType(def?.typeName);
    if (type !== undefined) out.push({ column: column ?? asString(def?.colname), type });
  };
  if (s.type === 'CreateStmt' || s.type === 'CreateForeignTableStmt') {
    const n = s.type === 'CreateStmt' ? s.node : (child(s.node, 'base') ?? {});
    for (const elt of asArray(n.tableElts)) add(child(elt, 'ColumnDef'));
  } else if (s.type === 'AlterTableStmt') {
    for (const cmd of s.commands()) {
      if (cmd.subtype === 'AT_AddColumn') add(child(cmd.def, 'ColumnDef'));
      else if (cmd.subtype === 'AT_AlterColumnType') add(child(cmd.def, 'ColumnDef'), cmd.name);
    }
  }
  return out;
}

const TYPE_WORDS = new Set([
  'character',
  'varying',
  'double',
  'precision',
  'national',
  'char',
  'varchar',
  'bit',
  'time',
  'timestamp',
  'interval',
  'with',
  'without',
  'zone',
]);

/** File offsets [from, to) of a type's text (`timestamp(3) without time zone[]`), read from its tokens. */
export function typeSpan(s: PgStatement, type: ColumnType): [number, number] {
  const from = s.at(location(type.node));
  const tokens = s.tokens();
  let k = tokens.findIndex((t) => t.start >= from);
  if (k === -1) return [from, from];
  let end = (tokens[k] as (typeof tokens)[number]).end;
  const punct = (i: number): string => {
    const t = tokens[i];
    return t?.type === 'punct' ? s.slice(t.start, t.end) : '';
  };
  const first = s.word(tokens[k]);
  k++;
  // schema.type
  while (punct(k) === '.' && tokens[k + 1] !== undefined) {
    end = (tokens[k + 1] as (typeof tokens)[number]).end;
    k += 2;
  }
  const multiWord = TYPE_WORDS.has(first);
  const words = (): void => {
    while (multiWord && tokens[k]?.type === 'word' && TYPE_WORDS.has(s.word(tokens[k]))) {
      end = (tokens[k] as (typeof tokens)[number]).end;
      k++;
    }
  };
  words();
  if (punct(k) === '(') {
    let depth = 0;
    for (; k < tokens.length; k++) {
      const p = punct(k);
      if (p === '(') depth++;
      else if (p === ')') depth--;
      end = (tokens[k] as (typeof tokens)[number]).end;
      if (depth === 0) {
        k++;
        break;
      }
    }
  }
  words();
  while (punct(k) === '[') {
    let j = k;
    while (j < tokens.length && punct(j) !== ']') j++;
    if (j >= tokens.length) break;
    end = (tokens[j] as (typeof tokens)[number]).end;
    k = j + 1;
  }
  return [from, end];
}

/** The statement with one column type replaced (`varchar(255)` -> `text`), ending in `;`. */
export function withType(s: PgStatement, type: ColumnType, replacement: string): string {
  const [from, to] = typeSpan(s, type);
  return `${s.replace(from, to, replacement + (type.array ? '[]' : ''))};`;
}
