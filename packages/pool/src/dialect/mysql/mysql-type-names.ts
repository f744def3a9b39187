import type { Field } from '../../query-result.js';

// MySQL protocol column types (include/field_types.h) to the SQL names people know.
const NAMES: Readonly<Record<number, string>> = {
  0: 'decimal',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'float',
  5: 'double',
  6: 'null',
  7: 'timestamp',
  8: 'bigint',
  9: 'mediumint',
  10: 'date',
  11: 'time',
  12: 'datetime',
  13: 'year',
  14: 'date',
  15: 'varchar',
  16: 'bit',
  245: 'json',
  246: 'decimal',
  247: 'enum',
  248: 'set',
  249: 'tinyblob',
  250: 'mediumblob',
  251: 'longblob',
  252: 'blob',
  253: 'varchar',
  254: 'char',
  255: 'geometry',
};

const TEXT_OF_BINARY: Readonly<Record<string, string>> = {
  blob: 'text',
  tinyblob: 'tinytext',
  mediumblob: 'mediumtext',
  longblob: 'longtext',
};
const BINARY_OF_TEXT: Readonly<Record<string, string>> = { varchar: 'varbinary', char: 'binary' };
const BINARY_CHARSET = 63;

export interface MysqlFieldDef {
  readonly name: string;
  readonly columnType?: number;
  readonly characterSet?: number;
  readonly columnLength?: number;
}

/** Maps mysql2 field packets to fields. */
export function mysqlFields(defs: readonly MysqlFieldDef[] | undefined): Field[] {
  if (defs === undefined) return [];
  const out: Field[] = new Array(defs.length);
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i]!;
    let type = NAMES[def.columnType ?? -1] ?? String(def.columnType);
    const binary = def.characterSet === BINARY_CHARSET;
    type = (binary ? BINARY_OF_TEXT[type] : TEXT_OF_BINARY[type]) ?? type;
    out[i] = { name: def.name, type };
  }
  return out;
}

const YEAR = 13;

/** A YEAR column of a result: mysql2 reads its text (`2024`, `0000`, `05` for YEAR(2)) as a number. */
export interface MysqlYearColumn {
  readonly name: string;
  readonly width: number;
}

/** The YEAR columns among these fields, or undefined when there are none (the usual case). */
export function yearColumns(defs: readonly MysqlFieldDef[] | undefined): MysqlYearColumn[] | undefined {
  let out: MysqlYearColumn[] | undefined;
  for (const def of defs ?? []) {
    if (def.columnType !== YEAR) continue;
    out ??= [];
    out.push({ name: def.name, width: def.columnLength === 2 ? 2 : 4 });
  }
  return out;
}

/**
 * Gives a row's YEAR values back as the server's text, as the mysql client prints them: the digits
 * padded to the column's width (`0000`, YEAR(2) `05`), which is what the server sent.
 */
export function yearsAsText(row: Record<string, unknown>, years: readonly MysqlYearColumn[]): void {
  for (const { name, width } of years) {
    const value = row[name];
    if (typeof value === 'number') row[name] = String(value).padStart(width, '0');
  }
}
