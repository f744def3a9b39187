import type { Field } from '../../query-result.js';

// Built-in type OIDs are fixed across PostgreSQL versions (pg_type.dat), so the common ones are known
// without a catalog round trip; the rest are looked up once per pool and remembered.
const BUILTIN: ReadonlyArray<readonly [number, string]> = [
  [16, 'bool'],
  [17, 'bytea'],
  [18, 'char'],
  [19, 'name'],
  [20, 'int8'],
  [21, 'int2'],
  [23, 'int4'],
  [24, 'regproc'],
  [25, 'text'],
  [26, 'oid'],
  [114, 'json'],
  [142, 'xml'],
  [194, 'pg_node_tree'],
  [600, 'point'],
  [650, 'cidr'],
  [700, 'float4'],
  [701, 'float8'],
  [774, 'macaddr8'],
  [790, 'money'],
  [829, 'macaddr'],
  [869, 'inet'],
  [1000, '_bool'],
  [1001, '_bytea'],
  [1005, '_int2'],
  [1007, '_int4'],
  [1009, '_text'],
  [1014, '_bpchar'],
  [1015, '_varchar'],
  [1016, '_int8'],
  [1021, '_float4'],
  [1022, '_float8'],
  [1042, 'bpchar'],
  [1043, 'varchar'],
  [1082, 'date'],
  [1083, 'time'],
  [1114, 'timestamp'],
  [1115, '_timestamp'],
  [1182, '_date'],
  [1183, '_time'],
  [1184, 'timestamptz'],
  [1185, '_timestamptz'],
  [1186, 'interval'],
  [1187, '_interval'],
  [1231, '_numeric'],
  [1266, 'timetz'],
  [1270, '_timetz'],
  [1560, 'bit'],
  [1562, 'varbit'],
  [1700, 'numeric'],
  [2205, 'regclass'],
  [2206, 'regtype'],
  [2249, 'record'],
  [2275, 'cstring'],
  [2278, 'void'],
  [2950, 'uuid'],
  [2951, '_uuid'],
  [3802, 'jsonb'],
  [3807, '_jsonb'],
  [3614, 'tsvector'],
  [3615, 'tsquery'],
  [3904, 'int4range'],
  [3926, 'int8range'],
  [3912, 'daterange'],
  [3910, 'tstzrange'],
  [3908, 'tsrange'],
  [3906, 'numrange'],
  [705, 'unknown'],
  [199, '_json'],
];

export interface PostgresFieldDef {
  readonly name: string;
  readonly dataTypeID: number;
}

/** OID -> type name (`int4`, `text`, ...), shared by the pg and PGlite dialects. */
export class PostgresTypeNames {
  readonly #names = new Map<number, string>(BUILTIN);

  /** Maps fields; a type not known yet is shown as its OID until {@link resolve} learns it. */
  fields(defs: readonly PostgresFieldDef[]): Field[] {
    const out: Field[] = new Array(defs.length);
    for (let i = 0; i < defs.length; i++) {
      const def = defs[i]!;
      out[i] = { name: def.name, type: this.#names.get(def.dataTypeID) ?? String(def.dataTypeID) };
    }
    return out;
  }

  /** The OIDs of these fields that are not known yet, or undefined when all are (the usual case). */
  unknownIn(defs: readonly PostgresFieldDef[]): Set<number> | undefined {
    let missing: Set<number> | undefined;
    for (const def of defs) {
      if (this.#names.has(def.dataTypeID)) continue;
      missing ??= new Set();
      missing.add(def.dataTypeID);
    }
    return missing;
  }

  /** Looks up OIDs that `fields` did not know (user types, extensions) and patches the fields. */
  async resolve(
    fields: Field[],
    defs: readonly PostgresFieldDef[],
    missing: Set<number>,
    lookup: (oids: number[]) => Promise<ReadonlyArray<{ oid: unknown; typname: unknown }>>,
  ): Promise<void> {
    const rows = await lookup([...missing]);
    for (const row of rows) this.#names.set(Number(row.oid), String(row.typname));
    for (let i = 0; i < defs.length; i++) {
      const name = this.#names.get(defs[i]!.dataTypeID);
      if (name !== undefined) fields[i]!.type = name;
    }
  }
}

export const TYPE_LOOKUP_SQL = 'SELECT oid, typname FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])';
