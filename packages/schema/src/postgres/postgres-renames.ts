// Renames asked for with `renames`: each becomes an ALTER ... RENAME at the head of the plan, and the
// `from` model is rewritten as the server would show it after that statement, so that the rest of the
// diff compares like with like. Nothing is ever guessed: a name in `renames` must exist in `from` and
// its new name in `to`.
import { SchemaError } from '../errors.js';
import { hazard, type PlanBuilder } from '../plan-builder.js';
import type { PgColumn, PgConstraint, PgIndex, PgTable, PostgresSchemaModel } from '../schema-model.js';
import { ident, qualified } from '../sql-quoting.js';
import { displayRelation, renameIdentifier } from './postgres-identifiers.js';

interface TableRename {
  readonly schema: string;
  readonly from: string;
  readonly to: string;
}
interface ColumnRename {
  readonly schema: string;
  /** The table's name after any table rename. */
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

/** Applies `renames` to `from`: writes the RENAME statements into `b` and returns the renamed model. */
export function applyPostgresRenames(
  from: PostgresSchemaModel,
  to: PostgresSchemaModel,
  renames: Readonly<Record<string, string>>,
  b: PlanBuilder,
  phase: number,
): PostgresSchemaModel {
  const entries = Object.entries(renames);
  if (entries.length === 0) return from;
  const tables: TableRename[] = [];
  const columns: ColumnRename[] = [];
  const findTable = (
    model: PostgresSchemaModel,
    schema: string | null,
    name: string,
  ): PgTable | undefined => {
    if (schema !== null) return model.tables.find((t) => t.schema === schema && t.name === name);
    const all = model.tables.filter((t) => t.name === name);
    return all.length === 1 ? all[0] : all.find((t) => t.schema === 'public');
  };
  for (const [key, value] of entries) {
    const parts = key.split('.');
    const target = value.split('.');
    const newName = target[target.length - 1] as string;
    let table: PgTable | undefined;
    let column: string | undefined;
    if (parts.length === 1) table = findTable(from, null, parts[0] as string);
    else if (parts.length === 2) {
      table = findTable(from, parts[0] as string, parts[1] as string);
      if (!table) {
        table = findTable(from, null, parts[0] as string);
        column = parts[1];
      }
    } else if (parts.length === 3) {
      table = findTable(from, parts[0] as string, parts[1] as string);
      column = parts[2];
    }
    if (!table)
      throw new SchemaError('SCHEMA_BAD_OPTION', `rename ${key}: no such table in the source schema`);
    if (column === undefined) {
      if (target.length === 2 && target[0] !== table.schema)
        throw new SchemaError(
          'SCHEMA_BAD_OPTION',
          `rename ${key} -> ${value}: moving a table to another schema is not a rename`,
        );
      if (!findTable(to, table.schema, newName))
        throw new SchemaError(
          'SCHEMA_BAD_OPTION',
          `rename ${key} -> ${value}: no table ${table.schema}.${newName} in the target schema`,
        );
      if (newName !== table.name && findTable(from, table.schema, newName))
        throw new SchemaError(
          'SCHEMA_BAD_OPTION',
          `rename ${key} -> ${value}: ${table.schema}.${newName} already exists in the source schema`,
        );
      tables.push({ schema: table.schema, from: table.name, to: newName });
    } else {
      if (!table.columns.some((c) => c.name === column))
        throw new SchemaError(
          'SCHEMA_BAD_OPTION',
          `rename ${key}: no column ${column} in ${table.schema}.${table.name}`,
        );
      columns.push({ schema: table.schema, table: table.name, from: column, to: newName });
    }
  }
  let model = from;
  for (const r of tables) {
    if (r.from === r.to) continue;
    b.add(phase, `ALTER TABLE ${qualified(r.schema, r.from)} RENAME TO ${ident(r.to)}`, {
      hazards: [
        hazard('CORRECTNESS', `queries that still name ${r.schema}.${r.from} fail once it is ${r.to}`),
      ],
    });
    model = renameTable(model, r);
  }
  for (const c of columns) {
    const tableName = tables.find((t) => t.schema === c.schema && t.from === c.table)?.to ?? c.table;
    const renamed = { ...c, table: tableName };
    const target = findTable(to, c.schema, tableName);
    if (!target?.columns.some((col) => col.name === c.to))
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `rename ${c.table}.${c.from} -> ${c.to}: no column ${c.to} in the target table ${c.schema}.${tableName}`,
      );
    if (c.from === c.to) continue;
    b.add(
      phase,
      `ALTER TABLE ${qualified(c.schema, tableName)} RENAME COLUMN ${ident(c.from)} TO ${ident(c.to)}`,
      {
        hazards: [
          hazard('CORRECTNESS', `queries that still name ${tableName}.${c.from} fail once it is ${c.to}`),
        ],
      },
    );
    model = renameColumn(model, renamed);
  }
  return model;
}

/** Replaces every way the catalog may print `schema.from` in `text` by the same form of `schema.to`. */
function replaceRelation(text: string, schema: string, from: string, to: string, suffix: string): string {
  let out = text;
  for (const qualify of [true, false]) {
    const old = displayRelation(schema, from, qualify) + suffix;
    if (out.includes(old)) out = out.replaceAll(old, displayRelation(schema, to, qualify) + suffix);
  }
  return out;
}

function renameTable(model: PostgresSchemaModel, r: TableRename): PostgresSchemaModel {
  const oldKey = `${r.schema}.${r.from}`;
  const newKey = `${r.schema}.${r.to}`;
  const same = (schema: string, table: string) => schema === r.schema && table === r.from;
  const fixConstraint = (c: PgConstraint): PgConstraint =>
    c.references && same(c.references.schema, c.references.table)
      ? {
          ...c,
          references: { ...c.references, table: r.to },
          definition: replaceRelation(c.definition, r.schema, r.from, r.to, '('),
        }
      : c;
  const fixIndex = (i: PgIndex): PgIndex => ({
    ...i,
    definition: replaceRelation(i.definition, r.schema, r.from, r.to, ' USING'),
  });
  return {
    ...model,
    tables: model.tables.map((t) => ({
      ...t,
      name: same(t.schema, t.name) ? r.to : t.name,
      partitionOf:
        t.partitionOf && same(t.partitionOf.schema, t.partitionOf.table)
          ? { ...t.partitionOf, table: r.to }
          : t.partitionOf,
      constraints: t.constraints.map(fixConstraint),
      indexes: same(t.schema, t.name) ? t.indexes.map(fixIndex) : t.indexes,
    })),
    sequences: model.sequences.map((s) =>
      s.ownedBy && same(s.ownedBy.schema, s.ownedBy.table)
        ? { ...s, ownedBy: { ...s.ownedBy, table: r.to } }
        : s,
    ),
    views: model.views.map((v) => ({ ...v, dependsOn: v.dependsOn.map((d) => (d === oldKey ? newKey : d)) })),
    functions: model.functions.map((f) => ({
      ...f,
      dependsOn: f.dependsOn.map((d) => (d === oldKey ? newKey : d)),
    })),
    triggers: model.triggers.map((t) =>
      same(t.schema, t.table)
        ? { ...t, table: r.to, definition: replaceRelation(t.definition, r.schema, r.from, r.to, ' ') }
        : t,
    ),
  };
}

function renameColumn(model: PostgresSchemaModel, r: ColumnRename): PostgresSchemaModel {
  const same = (schema: string, table: string) => schema === r.schema && table === r.table;
  const swap = (name: string) => (name === r.from ? r.to : name);
  const inText = (text: string) => renameIdentifier(text, r.from, r.to);
  const fixColumn = (c: PgColumn): PgColumn => ({
    ...c,
    name: swap(c.name),
    generated: c.generated ? { ...c.generated, expression: inText(c.generated.expression) } : null,
  });
  return {
    ...model,
    tables: model.tables.map((t) => {
      const own = same(t.schema, t.name);
      return {
        ...t,
        columns: own ? t.columns.map(fixColumn) : t.columns,
        constraints: t.constraints.map((c) => {
          let next = c;
          if (own)
            next = {
              ...next,
              columns: next.columns.map(swap),
              definition: referencingPart(next.definition, inText),
            };
          if (next.references && same(next.references.schema, next.references.table)) {
            const at = next.definition.indexOf(' REFERENCES ');
            next = {
              ...next,
              references: { ...next.references, columns: next.references.columns.map(swap) },
              definition:
                at === -1
                  ? next.definition
                  : next.definition.slice(0, at) + inText(next.definition.slice(at)),
            };
          }
          return next;
        }),
        indexes: own
          ? t.indexes.map((i) => {
              const at = i.definition.indexOf(' USING ');
              return {
                ...i,
                columns: i.columns.map(swap),
                definition:
                  at === -1 ? i.definition : i.definition.slice(0, at) + inText(i.definition.slice(at)),
              };
            })
          : t.indexes,
        policies: own
          ? t.policies.map((p) => ({
              ...p,
              using: p.using === null ? null : inText(p.using),
              withCheck: p.withCheck === null ? null : inText(p.withCheck),
            }))
          : t.policies,
      };
    }),
    sequences: model.sequences.map((s) =>
      s.ownedBy && same(s.ownedBy.schema, s.ownedBy.table)
        ? { ...s, ownedBy: { ...s.ownedBy, column: swap(s.ownedBy.column) } }
        : s,
    ),
    triggers: model.triggers.map((t) =>
      same(t.schema, t.table) ? { ...t, definition: inText(t.definition) } : t,
    ),
  };
}

/** Applies `fix` to a constraint definition up to its REFERENCES clause (which names another table's columns). */
function referencingPart(definition: string, fix: (text: string) => string): string {
  const at = definition.indexOf(' REFERENCES ');
  return at === -1 ? fix(definition) : fix(definition.slice(0, at)) + definition.slice(at);
}
