// The PostgreSQL differ: compares two models object by object and writes the statements, each into the
// phase that makes the plan dependency-correct (drops of dependents first, then renames, then creates in
// dependency order, then the drops of what nothing uses any more). Where an online form exists it is the
// one written (pg-schema-diff's habits): CREATE INDEX CONCURRENTLY, build-before-drop for a changed index,
// unique and primary keys through a concurrently built index, CHECK and FOREIGN KEY added NOT VALID and
// validated after, SET NOT NULL through a validated CHECK (IS NOT NULL).
import { hazard, type PlanBuilder, type ResolvedDiffOptions } from '../plan-builder.js';
import type {
  PgColumn,
  PgConstraint,
  PgFunction,
  PgGrant,
  PgIdentity,
  PgIndex,
  PgPolicy,
  PgTable,
  PgTrigger,
  PgView,
  PostgresSchemaModel,
  UnmodelledObject,
} from '../schema-model.js';
import type { Hazard } from '../schema-plan.js';
import { ident, qualified, sqlString } from '../sql-quoting.js';
import { topoSort } from '../topo-sort.js';
import { displayRelation, usesIdentifier } from './postgres-identifiers.js';
import { applyPostgresRenames } from './postgres-renames.js';
import { classifyTypeChange, needsUsing } from './postgres-type-change.js';

/** Phases, in the order their statements run. */
const P = {
  RENAME_TABLES: 0,
  DROP_POLICIES: 10,
  DROP_TRIGGERS: 11,
  DROP_VIEWS: 12,
  DROP_FKS: 13,
  DROP_CONSTRAINTS: 14,
  DROP_INDEXES: 15,
  DETACH: 16,
  DROP_TABLES: 17,
  DROP_DEFAULTS: 18,
  DROP_COLUMNS: 19,
  DROP_REPLACED_FUNCTIONS: 20,
  RENAME_OBJECTS: 25,
  SCHEMAS: 30,
  EXTENSIONS: 31,
  TYPES: 32,
  SEQUENCES: 33,
  FUNCTIONS_EARLY: 34,
  TABLES: 35,
  COLUMNS: 36,
  ATTACH: 37,
  OWNED_BY: 38,
  LATE: 39,
  LATE_DEFAULTS: 40,
  CONSTRAINTS: 41,
  INDEXES: 42,
  FKS: 43,
  TRIGGERS: 44,
  RLS: 45,
  POLICIES: 46,
  COMMENTS: 47,
  GRANTS: 48,
  DROP_SEQUENCES: 50,
  DROP_FUNCTIONS: 51,
  DROP_TYPES: 52,
  DROP_EXTENSIONS: 53,
  DROP_SCHEMAS: 54,
} as const;

const tkey = (schema: string, name: string) => `${schema}.${name}`;
const fkey = (f: PgFunction) => `${f.schema}.${f.name}(${f.argumentTypes})`;
const byKey = <T>(list: readonly T[], key: (x: T) => string): Map<string, T> =>
  new Map(list.map((x) => [key(x), x]));
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A 63-byte-safe name of a temporary object, deterministic for its inputs. */
function tempName(prefix: string, ...parts: string[]): string {
  let h = 2166136261;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return `${prefix}_${h.toString(36)}`;
}

const lock = (what: string) => hazard('ACQUIRES_ACCESS_EXCLUSIVE_LOCK', what);

export function diffPostgres(fromInput: PostgresSchemaModel, to: PostgresSchemaModel, b: PlanBuilder): void {
  const from = applyPostgresRenames(fromInput, to, b.options.renames, b, P.RENAME_TABLES);
  new PostgresDiff(from, to, b).run();
}

class PostgresDiff {
  readonly from: PostgresSchemaModel;
  readonly to: PostgresSchemaModel;
  readonly b: PlanBuilder;
  readonly options: ResolvedDiffOptions;
  readonly online: boolean;
  readonly grantsCompared: boolean;
  readonly fromTables: Map<string, PgTable>;
  readonly toTables: Map<string, PgTable>;
  readonly fromFunctions: Map<string, PgFunction>;
  readonly toFunctions: Map<string, PgFunction>;
  readonly fromViews: Map<string, PgView>;
  readonly toViews: Map<string, PgView>;
  /** Functions dropped and created again (their signature's result or arguments changed). */
  readonly replacedFunctions = new Set<string>();
  /** Functions created (or replaced) in the late phase, after tables: column defaults calling them wait. */
  readonly lateFunctions = new Set<string>();
  /** Per table: columns dropped or whose type changes (views and triggers on them are rebuilt). */
  readonly reshapedColumns = new Map<string, Set<string>>();
  /** Per table: columns dropped. */
  readonly droppedColumns = new Map<string, Set<string>>();
  /** Per table: unique indexes (by name) that go away or are rebuilt; foreign keys on them are re-added. */
  readonly vanishingIndexes = new Map<string, Set<string>>();
  /** Views (and materialized views) dropped and created again. */
  readonly recreatedViews = new Set<string>();
  /** Functions that use relations (by the catalog) and go: dropped before those relations, with the views. */
  readonly earlyDroppedFunctions = new Set<string>();
  /** Sequences renamed: `'old'::regclass` in a default reads as `'new'::regclass` after the rename. */
  readonly sequenceRenames: [string, string][] = [];

  constructor(from: PostgresSchemaModel, to: PostgresSchemaModel, b: PlanBuilder) {
    this.from = from;
    this.to = to;
    this.b = b;
    this.options = b.options;
    this.online = b.options.online;
    this.grantsCompared = from.privileges && to.privileges;
    this.fromTables = byKey(from.tables, (t) => tkey(t.schema, t.name));
    this.toTables = byKey(to.tables, (t) => tkey(t.schema, t.name));
    this.fromFunctions = byKey(from.functions, fkey);
    this.toFunctions = byKey(to.functions, fkey);
    this.fromViews = byKey(from.views, (v) => tkey(v.schema, v.name));
    this.toViews = byKey(to.views, (v) => tkey(v.schema, v.name));
  }

  run(): void {
    this.analyse();
    this.schemasAndExtensions();
    this.types();
    this.sequences();
    this.functions();
    this.tables();
    this.views();
    this.triggers();
    this.unmodelled();
  }

  // ------------------------------------------------------------ analysis shared by several kinds

  analyse(): void {
    for (const f of this.to.functions) {
      const old = this.fromFunctions.get(fkey(f));
      if (old && old.definition !== f.definition && needsDropCreate(old, f))
        this.replacedFunctions.add(fkey(f));
      if (!old || old.definition !== f.definition) if (isLate(f)) this.lateFunctions.add(fkey(f));
    }
    for (const f of this.from.functions) {
      const key = fkey(f);
      if ((!this.toFunctions.has(key) || this.replacedFunctions.has(key)) && usesRelations(f))
        this.earlyDroppedFunctions.add(key);
    }
    for (const t of this.to.tables) {
      const key = tkey(t.schema, t.name);
      const f = this.fromTables.get(key);
      if (!f) continue;
      const toCols = byKey(t.columns, (c) => c.name);
      const reshaped = new Set<string>();
      const dropped = new Set<string>();
      for (const c of f.columns) {
        const next = toCols.get(c.name);
        if (!next) {
          reshaped.add(c.name);
          dropped.add(c.name);
        } else if (next.type !== c.type || next.collation !== c.collation) reshaped.add(c.name);
      }
      this.reshapedColumns.set(key, reshaped);
      this.droppedColumns.set(key, dropped);
      const vanishing = new Set<string>();
      const toCons = byKey(t.constraints, (c) => c.name);
      for (const c of f.constraints)
        if ((c.type === 'primary' || c.type === 'unique') && c.index) {
          const next = toCons.get(c.name);
          if (!next || constraintShape(next) !== constraintShape(c)) vanishing.add(c.index);
        }
      const toIdx = byKey(t.indexes, (i) => i.name);
      for (const i of f.indexes)
        if (i.unique) {
          const next = toIdx.get(i.name);
          if (!next || indexShape(next) !== indexShape(i) || !i.valid) vanishing.add(i.name);
        }
      this.vanishingIndexes.set(key, vanishing);
    }
    // Views rebuilt: changed ones, and every view over something dropped, rebuilt or reshaped.
    const changed = new Set<string>();
    for (const v of this.to.views) {
      const key = tkey(v.schema, v.name);
      const old = this.fromViews.get(key);
      if (old && !sameView(old, v)) changed.add(key);
    }
    const gone = (dep: string): boolean => {
      if (changed.has(dep) || this.replacedFunctions.has(dep)) return true;
      if (this.fromTables.has(dep) && !this.toTables.has(dep)) return true;
      if (this.fromViews.has(dep) && !this.toViews.has(dep)) return true;
      if (this.fromFunctions.has(dep) && !this.toFunctions.has(dep)) return true;
      return (this.reshapedColumns.get(dep)?.size ?? 0) > 0;
    };
    let grew = true;
    while (grew) {
      grew = false;
      for (const v of this.from.views) {
        const key = tkey(v.schema, v.name);
        if (changed.has(key) || !this.toViews.has(key)) continue;
        if (v.dependsOn.some((d) => gone(d) || changed.has(d))) {
          changed.add(key);
          grew = true;
        }
      }
    }
    for (const key of changed) this.recreatedViews.add(key);
  }

  // ------------------------------------------------------------ comments and grants

  comment(kind: string, target: string, from: string | null | undefined, to: string | null): void {
    if ((from ?? null) === to) return;
    this.b.add(P.COMMENTS, `COMMENT ON ${kind} ${target} IS ${to === null ? 'NULL' : sqlString(to)}`);
  }

  grants(kind: string, target: string, from: readonly PgGrant[] | null, to: readonly PgGrant[]): void {
    if (!this.grantsCompared) return;
    const base = from ?? defaultGrants(kind);
    const k = (g: PgGrant) => `${g.grantee}\u0000${g.privilege}`;
    const before = byKey(base, k);
    const after = byKey(to, k);
    const grantee = (g: PgGrant) => (g.grantee === 'PUBLIC' ? 'PUBLIC' : ident(g.grantee));
    const authz = [hazard('AUTHZ_UPDATE', `changes who may use ${target}`)];
    for (const g of base)
      if (!after.has(k(g)))
        this.b.add(P.GRANTS, `REVOKE ${g.privilege} ON ${kind} ${target} FROM ${grantee(g)}`, {
          hazards: authz,
        });
    for (const g of to) {
      const old = before.get(k(g));
      if (!old || (g.grantable && !old.grantable))
        this.b.add(
          P.GRANTS,
          `GRANT ${g.privilege} ON ${kind} ${target} TO ${grantee(g)}${g.grantable ? ' WITH GRANT OPTION' : ''}`,
          {
            hazards: authz,
          },
        );
      else if (old.grantable && !g.grantable)
        this.b.add(
          P.GRANTS,
          `REVOKE GRANT OPTION FOR ${g.privilege} ON ${kind} ${target} FROM ${grantee(g)}`,
          {
            hazards: authz,
          },
        );
    }
  }

  // ------------------------------------------------------------ schemas, extensions

  schemasAndExtensions(): void {
    const fromSchemas = byKey(this.from.schemas, (s) => s.name);
    const toSchemas = byKey(this.to.schemas, (s) => s.name);
    for (const s of this.to.schemas) {
      const old = fromSchemas.get(s.name);
      if (!old) this.b.add(P.SCHEMAS, `CREATE SCHEMA ${ident(s.name)}`);
      this.comment('SCHEMA', ident(s.name), old?.comment, s.comment);
      this.grants('SCHEMA', ident(s.name), old ? old.grants : null, s.grants);
    }
    for (const s of this.from.schemas)
      if (!toSchemas.has(s.name)) this.b.add(P.DROP_SCHEMAS, `DROP SCHEMA ${ident(s.name)}`);

    const fromExt = byKey(this.from.extensions, (e) => e.name);
    const toExt = byKey(this.to.extensions, (e) => e.name);
    for (const e of this.to.extensions) {
      const old = fromExt.get(e.name);
      if (!old)
        this.b.add(
          P.EXTENSIONS,
          `CREATE EXTENSION ${ident(e.name)} WITH SCHEMA ${ident(e.schema)} VERSION ${sqlString(e.version)}`,
        );
      else {
        if (old.schema !== e.schema)
          this.b.add(P.EXTENSIONS, `ALTER EXTENSION ${ident(e.name)} SET SCHEMA ${ident(e.schema)}`, {
            hazards: [hazard('CORRECTNESS', `queries that name ${e.name}'s objects by ${old.schema} fail`)],
          });
        if (old.version !== e.version)
          this.b.add(P.EXTENSIONS, `ALTER EXTENSION ${ident(e.name)} UPDATE TO ${sqlString(e.version)}`, {
            hazards: [
              hazard(
                'UPGRADING_EXTENSION_VERSION',
                `runs ${e.name}'s update script from ${old.version} to ${e.version}`,
              ),
            ],
          });
      }
    }
    for (const e of this.from.extensions)
      if (!toExt.has(e.name))
        this.b.add(P.DROP_EXTENSIONS, `DROP EXTENSION ${ident(e.name)}`, {
          hazards: [
            hazard(
              'HAS_UNTRACKABLE_DEPENDENCIES',
              `objects that use ${e.name}'s types, functions or operators are not all known; the drop fails if one remains`,
            ),
          ],
        });
  }

  // ------------------------------------------------------------ enums, domains, composite types

  types(): void {
    const fromEnums = byKey(this.from.enums, (e) => tkey(e.schema, e.name));
    const toEnums = byKey(this.to.enums, (e) => tkey(e.schema, e.name));
    for (const e of this.to.enums) {
      const key = tkey(e.schema, e.name);
      const target = qualified(e.schema, e.name);
      const old = fromEnums.get(key);
      if (!old) this.b.add(P.TYPES, `CREATE TYPE ${target} AS ENUM (${e.values.map(sqlString).join(', ')})`);
      else if (!sameJson(old.values, e.values)) {
        if (!isSubsequence(old.values, e.values))
          this.b.unsupported(
            'enum',
            key,
            `values removed or reordered (${old.values.join(', ')} -> ${e.values.join(', ')}): PostgreSQL cannot drop or move an enum value; recreate the type by hand`,
          );
        else {
          const present = new Set(old.values);
          e.values.forEach((v, i) => {
            if (present.has(v)) return;
            const previous = e.values[i - 1];
            const position =
              previous !== undefined
                ? `AFTER ${sqlString(previous)}`
                : `BEFORE ${sqlString(e.values.find((x) => present.has(x)) as string)}`;
            this.b.add(P.TYPES, `ALTER TYPE ${target} ADD VALUE ${sqlString(v)} ${position}`, {
              // A value added in a transaction cannot be used before it commits.
              transactional: false,
            });
            present.add(v);
          });
        }
      }
      this.comment('TYPE', target, old?.comment, e.comment);
      this.grants('TYPE', target, old ? old.grants : null, e.grants);
    }
    for (const e of this.from.enums)
      if (!toEnums.has(tkey(e.schema, e.name)))
        this.b.add(P.DROP_TYPES, `DROP TYPE ${qualified(e.schema, e.name)}`);

    const fromDomains = byKey(this.from.domains, (d) => tkey(d.schema, d.name));
    const toDomains = byKey(this.to.domains, (d) => tkey(d.schema, d.name));
    for (const d of this.to.domains) {
      const key = tkey(d.schema, d.name);
      const target = qualified(d.schema, d.name);
      const old = fromDomains.get(key);
      if (!old) {
        let sql = `CREATE DOMAIN ${target} AS ${d.type}`;
        if (d.collation) sql += ` COLLATE ${d.collation}`;
        if (d.default !== null) sql += ` DEFAULT ${d.default}`;
        if (d.notNull) sql += ' NOT NULL';
        for (const c of d.constraints.filter((c) => c.valid))
          sql += ` CONSTRAINT ${ident(c.name)} ${c.definition}`;
        this.b.add(P.TYPES, sql);
        for (const c of d.constraints.filter((c) => !c.valid))
          this.b.add(
            P.TYPES,
            `ALTER DOMAIN ${target} ADD CONSTRAINT ${ident(c.name)} ${c.definition} NOT VALID`,
          );
      } else if (old.type !== d.type || old.collation !== d.collation) {
        this.b.unsupported(
          'domain',
          key,
          `base type or collation changes (${old.type}${old.collation ? ` ${old.collation}` : ''} -> ${d.type}${d.collation ? ` ${d.collation}` : ''}): recreate the domain by hand`,
        );
      } else {
        if (old.default !== d.default)
          this.b.add(
            P.TYPES,
            `ALTER DOMAIN ${target} ${d.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${d.default}`}`,
          );
        if (old.notNull && !d.notNull) this.b.add(P.TYPES, `ALTER DOMAIN ${target} DROP NOT NULL`);
        if (!old.notNull && d.notNull)
          this.b.add(P.TYPES, `ALTER DOMAIN ${target} SET NOT NULL`, {
            hazards: [
              hazard('IMPACTS_DATABASE_PERFORMANCE', `checks every column of type ${key} for nulls`),
              hazard('CORRECTNESS', `fails if a column of type ${key} holds a null`),
            ],
            long: true,
          });
        const oldCons = byKey(old.constraints, (c) => c.name);
        const newCons = byKey(d.constraints, (c) => c.name);
        for (const c of old.constraints) {
          const next = newCons.get(c.name);
          if (!next || next.definition !== c.definition)
            this.b.add(P.TYPES, `ALTER DOMAIN ${target} DROP CONSTRAINT ${ident(c.name)}`);
        }
        for (const c of d.constraints) {
          const prev = oldCons.get(c.name);
          if (!prev || prev.definition !== c.definition) {
            this.b.add(
              P.TYPES,
              `ALTER DOMAIN ${target} ADD CONSTRAINT ${ident(c.name)} ${c.definition} NOT VALID`,
            );
            if (c.valid)
              this.b.add(P.TYPES, `ALTER DOMAIN ${target} VALIDATE CONSTRAINT ${ident(c.name)}`, {
                hazards: [hazard('CORRECTNESS', `fails if a value of a column of type ${key} breaks it`)],
                long: true,
              });
          } else if (!prev.valid && c.valid)
            this.b.add(P.TYPES, `ALTER DOMAIN ${target} VALIDATE CONSTRAINT ${ident(c.name)}`, {
              long: true,
            });
        }
      }
      this.comment('DOMAIN', target, old?.comment, d.comment);
      this.grants('DOMAIN', target, old ? old.grants : null, d.grants);
    }
    for (const d of this.from.domains)
      if (!toDomains.has(tkey(d.schema, d.name)))
        this.b.add(P.DROP_TYPES, `DROP DOMAIN ${qualified(d.schema, d.name)}`);

    const fromComposite = byKey(this.from.compositeTypes, (c) => tkey(c.schema, c.name));
    const toComposite = byKey(this.to.compositeTypes, (c) => tkey(c.schema, c.name));
    for (const c of this.to.compositeTypes) {
      const key = tkey(c.schema, c.name);
      const target = qualified(c.schema, c.name);
      const old = fromComposite.get(key);
      if (!old)
        this.b.add(
          P.TYPES,
          `CREATE TYPE ${target} AS (${c.attributes.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})`,
        );
      else if (!sameJson(old.attributes, c.attributes))
        this.b.unsupported(
          'composite type',
          key,
          'attributes differ: alter the type by hand (ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE)',
        );
      this.comment('TYPE', target, old?.comment, c.comment);
    }
    for (const c of this.from.compositeTypes)
      if (!toComposite.has(tkey(c.schema, c.name)))
        this.b.add(P.DROP_TYPES, `DROP TYPE ${qualified(c.schema, c.name)}`);
  }

  // ------------------------------------------------------------ sequences

  sequences(): void {
    const owner = (s: { ownedBy: { schema: string; table: string; column: string } | null }) =>
      s.ownedBy ? `${s.ownedBy.schema}.${s.ownedBy.table}.${s.ownedBy.column}` : null;
    const fromSeq = byKey(this.from.sequences, (s) => tkey(s.schema, s.name));
    const toSeq = byKey(this.to.sequences, (s) => tkey(s.schema, s.name));
    // A sequence a column owns, renamed with its table (t_id_seq -> orders_id_seq): renamed, not replaced.
    const renamedFrom = new Map<string, string>();
    for (const s of this.to.sequences) {
      const key = tkey(s.schema, s.name);
      if (fromSeq.has(key) || !s.ownedBy) continue;
      const match = this.from.sequences.find(
        (o) =>
          o.schema === s.schema &&
          !toSeq.has(tkey(o.schema, o.name)) &&
          owner(o) === owner(s) &&
          !renamedFrom.has(tkey(o.schema, o.name)),
      );
      if (match) {
        renamedFrom.set(tkey(match.schema, match.name), key);
        this.b.add(
          P.RENAME_OBJECTS,
          `ALTER SEQUENCE ${qualified(match.schema, match.name)} RENAME TO ${ident(s.name)}`,
        );
        for (const qualify of [false, true])
          this.sequenceRenames.push([
            `'${displayRelation(match.schema, match.name, qualify)}'::regclass`,
            `'${displayRelation(s.schema, s.name, qualify)}'::regclass`,
          ]);
      }
    }
    const renamedTo = new Map([...renamedFrom].map(([a, c]) => [c, a]));
    for (const s of this.to.sequences) {
      const key = tkey(s.schema, s.name);
      const target = qualified(s.schema, s.name);
      const oldKey = renamedTo.get(key) ?? key;
      const old = fromSeq.get(oldKey);
      if (!old) {
        this.b.add(
          P.SEQUENCES,
          `CREATE SEQUENCE ${target} AS ${s.type} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ''}`,
        );
      } else {
        const changes: string[] = [];
        if (old.type !== s.type) changes.push(`AS ${s.type}`);
        if (old.increment !== s.increment) changes.push(`INCREMENT BY ${s.increment}`);
        if (old.min !== s.min || old.type !== s.type) changes.push(`MINVALUE ${s.min}`);
        if (old.max !== s.max || old.type !== s.type) changes.push(`MAXVALUE ${s.max}`);
        if (old.start !== s.start) changes.push(`START WITH ${s.start}`);
        if (old.cache !== s.cache) changes.push(`CACHE ${s.cache}`);
        if (old.cycle !== s.cycle) changes.push(s.cycle ? 'CYCLE' : 'NO CYCLE');
        if (changes.length > 0)
          this.b.add(P.SEQUENCES, `ALTER SEQUENCE ${target} ${changes.join(' ')}`, {
            hazards:
              old.type !== s.type || old.max !== s.max || old.min !== s.min
                ? [hazard('CORRECTNESS', 'fails if the current value lies outside the new bounds')]
                : [],
          });
      }
      if (owner(old ?? { ownedBy: null }) !== owner(s))
        this.b.add(
          P.OWNED_BY,
          `ALTER SEQUENCE ${target} OWNED BY ${s.ownedBy ? `${qualified(s.ownedBy.schema, s.ownedBy.table)}.${ident(s.ownedBy.column)}` : 'NONE'}`,
        );
      this.comment('SEQUENCE', target, old?.comment, s.comment);
      this.grants('SEQUENCE', target, old ? old.grants : null, s.grants);
    }
    for (const s of this.from.sequences) {
      const key = tkey(s.schema, s.name);
      if (toSeq.has(key) || renamedFrom.has(key)) continue;
      // Dropped with the table or column that owns it.
      if (s.ownedBy) {
        const table = tkey(s.ownedBy.schema, s.ownedBy.table);
        if (!this.toTables.has(table) || this.droppedColumns.get(table)?.has(s.ownedBy.column)) continue;
      }
      this.b.add(P.DROP_SEQUENCES, `DROP SEQUENCE ${qualified(s.schema, s.name)}`, {
        hazards: [hazard('DELETES_DATA', `the current value of ${key} is lost`)],
      });
    }
  }

  // ------------------------------------------------------------ functions and procedures

  functions(): void {
    for (const f of this.to.functions) {
      const key = fkey(f);
      const old = this.fromFunctions.get(key);
      const kind = f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
      const target = `${qualified(f.schema, f.name)}(${f.arguments})`;
      if (!old || old.definition !== f.definition) {
        if (old && this.replacedFunctions.has(key) && !this.earlyDroppedFunctions.has(key))
          this.b.add(
            P.DROP_REPLACED_FUNCTIONS,
            `DROP ${old.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qualified(old.schema, old.name)}(${old.arguments})`,
            {
              hazards: [
                untrackable(
                  `${key} is dropped to change its signature; what uses it must be re-created after`,
                ),
              ],
            },
          );
        // Late ones are written by views(), in dependency order with the views.
        if (!this.lateFunctions.has(key))
          this.b.add(P.FUNCTIONS_EARLY, f.definition, { hazards: functionHazards(f) });
      }
      const recreated = !old || this.replacedFunctions.has(key);
      this.comment(kind, target, recreated ? null : old?.comment, f.comment);
      this.grants(kind, target, recreated ? null : old.grants, f.grants);
    }
    for (const f of this.from.functions)
      if (!this.toFunctions.has(fkey(f)) && !this.earlyDroppedFunctions.has(fkey(f)))
        this.b.add(
          P.DROP_FUNCTIONS,
          `DROP ${f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qualified(f.schema, f.name)}(${f.arguments})`,
          {
            hazards: [
              untrackable(`callers of ${fkey(f)} in function bodies are not tracked and fail after it goes`),
            ],
          },
        );
  }

  // ------------------------------------------------------------ tables

  tables(): void {
    const depth = (t: PgTable): number => {
      let d = 0;
      let p = t.partitionOf;
      while (p && d < 10) {
        d++;
        p = this.toTables.get(tkey(p.schema, p.table))?.partitionOf ?? null;
      }
      return d;
    };
    const ordered = [...this.to.tables].sort((a, b) => depth(a) - depth(b));
    for (const t of ordered) {
      const old = this.fromTables.get(tkey(t.schema, t.name));
      if (!old) this.createTable(t);
      else this.alterTable(old, t);
    }
    for (const t of this.from.tables) {
      const key = tkey(t.schema, t.name);
      if (this.toTables.has(key)) continue;
      // Dropping the parent drops its partitions.
      if (t.partitionOf && !this.toTables.has(tkey(t.partitionOf.schema, t.partitionOf.table))) continue;
      // A foreign key to another table that goes too would stop that one's drop.
      for (const c of t.constraints)
        if (c.type === 'foreign' && c.references) {
          const ref = tkey(c.references.schema, c.references.table);
          if (ref !== key && this.fromTables.has(ref) && !this.toTables.has(ref))
            this.b.add(
              P.DROP_FKS,
              `ALTER TABLE ${qualified(t.schema, t.name)} DROP CONSTRAINT ${ident(c.name)}`,
            );
        }
      this.b.add(P.DROP_TABLES, `DROP TABLE ${qualified(t.schema, t.name)}`, {
        hazards: [
          hazard('DELETES_DATA', `every row of ${key} is deleted`),
          lock(`${key} is locked while it is dropped`),
        ],
      });
    }
  }

  /** Whether a default must wait for a function created in the late phase. */
  deferDefault(c: PgColumn): boolean {
    return c.defaultCalls.some((f) => this.lateFunctions.has(f));
  }

  columnDefinition(c: PgColumn, withDefault: boolean): string {
    let s = `${ident(c.name)} ${c.type}`;
    if (c.collation) s += ` COLLATE ${c.collation}`;
    if (c.generated)
      s += ` GENERATED ALWAYS AS (${c.generated.expression}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`;
    else if (c.identity)
      s += ` GENERATED ${c.identity.generation} AS IDENTITY (${identityOptions(c.identity)})`;
    else if (c.default !== null && withDefault) s += ` DEFAULT ${c.default}`;
    if (c.notNull) s += ' NOT NULL';
    return s;
  }

  createTable(t: PgTable): void {
    const key = tkey(t.schema, t.name);
    const target = qualified(t.schema, t.name);
    const withOptions = t.options.length > 0 ? ` WITH (${t.options.join(', ')})` : '';
    const partitionBy = t.partitionKey ? ` PARTITION BY ${t.partitionKey}` : '';
    const unlogged = t.unlogged ? 'UNLOGGED ' : '';
    if (t.inherits.length > 0)
      this.b.unsupported(
        'table inheritance',
        key,
        `inherits from ${t.inherits.join(', ')}: written without INHERITS`,
      );
    if (t.partitionOf) {
      const parent = tkey(t.partitionOf.schema, t.partitionOf.table);
      this.b.add(
        P.TABLES,
        `CREATE ${unlogged}TABLE ${target} PARTITION OF ${qualified(t.partitionOf.schema, t.partitionOf.table)} ${t.partitionOf.bound}${partitionBy}${withOptions}`,
        {
          hazards: this.fromTables.has(parent)
            ? [lock(`${parent} is locked while the partition is attached`)]
            : [],
        },
      );
    } else {
      const columns = t.columns.map((c) => `  ${this.columnDefinition(c, !this.deferDefault(c))}`);
      this.b.add(
        P.TABLES,
        `CREATE ${unlogged}TABLE ${target} (${columns.length ? `\n${columns.join(',\n')}\n` : ''})${partitionBy}${withOptions}`,
      );
      for (const c of t.columns)
        if (c.default !== null && this.deferDefault(c))
          this.b.add(
            P.LATE_DEFAULTS,
            `ALTER TABLE ${target} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${c.default}`,
          );
    }
    for (const c of t.constraints) this.addConstraint(t, c, true);
    for (const i of t.indexes) this.b.add(P.INDEXES, createIndexSql(i.definition, false));
    this.rowSecurity(null, t);
    for (const p of t.policies) this.createPolicy(t, p);
    this.tableComments(null, t);
    this.grants('TABLE', target, null, t.grants);
  }

  alterTable(f: PgTable, t: PgTable): void {
    const key = tkey(t.schema, t.name);
    const target = qualified(t.schema, t.name);
    if (f.kind !== t.kind || f.partitionKey !== t.partitionKey)
      this.b.unsupported(
        'partitioning',
        key,
        `partitioning changes (${f.partitionKey ?? 'not partitioned'} -> ${t.partitionKey ?? 'not partitioned'}): copy the rows into a new table by hand`,
      );
    if (!sameJson(f.inherits, t.inherits))
      this.b.unsupported(
        'table inheritance',
        key,
        `inherits from [${f.inherits.join(', ')}] -> [${t.inherits.join(', ')}]`,
      );
    this.partitionOf(f, t);
    if (f.unlogged !== t.unlogged)
      this.b.add(P.COLUMNS, `ALTER TABLE ${target} SET ${t.unlogged ? 'UNLOGGED' : 'LOGGED'}`, {
        hazards: [
          lock(`${key} is rewritten under an exclusive lock`),
          hazard('IMPACTS_DATABASE_PERFORMANCE', `rewrites ${key}`),
        ],
        online: false,
        long: true,
      });
    const oldOptions = new Map(f.options.map((o) => [o.split('=')[0], o]));
    const newOptions = new Map(t.options.map((o) => [o.split('=')[0], o]));
    const set = t.options.filter((o) => oldOptions.get(o.split('=')[0]) !== o);
    const reset = [...oldOptions.keys()].filter((k) => !newOptions.has(k));
    if (set.length) this.b.add(P.COLUMNS, `ALTER TABLE ${target} SET (${set.join(', ')})`);
    if (reset.length) this.b.add(P.COLUMNS, `ALTER TABLE ${target} RESET (${reset.join(', ')})`);
    if (!t.partitionOf) this.columns(f, t);
    this.constraints(f, t);
    this.indexes(f, t, target, t.kind === 'partitioned');
    this.rowSecurity(f, t);
    this.policies(f, t);
    this.tableComments(f, t);
    this.grants('TABLE', target, f.grants, t.grants);
  }

  partitionOf(f: PgTable, t: PgTable): void {
    if (sameJson(f.partitionOf, t.partitionOf)) return;
    const target = qualified(t.schema, t.name);
    if (f.partitionOf)
      this.b.add(
        P.DETACH,
        `ALTER TABLE ${qualified(f.partitionOf.schema, f.partitionOf.table)} DETACH PARTITION ${target}`,
        {
          hazards: [
            lock(`${f.partitionOf.schema}.${f.partitionOf.table} is locked while the partition is detached`),
          ],
        },
      );
    if (t.partitionOf)
      this.b.add(
        P.ATTACH,
        `ALTER TABLE ${qualified(t.partitionOf.schema, t.partitionOf.table)} ATTACH PARTITION ${target} ${t.partitionOf.bound}`,
        {
          hazards: [
            lock(`${t.schema}.${t.name} is locked while its rows are checked against the bound`),
            hazard('IMPACTS_DATABASE_PERFORMANCE', `scans ${t.schema}.${t.name} to check the bound`),
            hazard('CORRECTNESS', 'fails if a row lies outside the bound'),
          ],
          online: false,
          long: true,
        },
      );
  }

  columns(f: PgTable, t: PgTable): void {
    const key = tkey(t.schema, t.name);
    const target = qualified(t.schema, t.name);
    const fromCols = byKey(f.columns, (c) => c.name);
    const toCols = byKey(t.columns, (c) => c.name);
    for (const c of f.columns)
      if (!toCols.has(c.name) && c.local)
        this.b.add(P.DROP_COLUMNS, `ALTER TABLE ${target} DROP COLUMN ${ident(c.name)}`, {
          hazards: [
            hazard('DELETES_DATA', `the values of ${key}.${c.name} are deleted`),
            lock(`${key} is locked while the column is dropped`),
          ],
        });
    for (const c of t.columns) {
      const old = fromCols.get(c.name);
      if (!old) this.addColumn(t, c);
      else if (old.local || c.local) this.alterColumn(t, old, c);
    }
  }

  addColumn(t: PgTable, c: PgColumn): void {
    const key = `${t.schema}.${t.name}.${c.name}`;
    const deferred = c.default !== null && this.deferDefault(c);
    const hazards: Hazard[] = [];
    let online = true;
    const rewrites =
      c.identity !== null ||
      (c.generated?.stored ?? false) ||
      (c.default !== null && !deferred && isVolatile(c.default));
    if (rewrites) {
      hazards.push(lock(`${t.schema}.${t.name} is rewritten under an exclusive lock to fill ${c.name}`));
      hazards.push(hazard('IMPACTS_DATABASE_PERFORMANCE', `rewrites ${t.schema}.${t.name}`));
      online = false;
    }
    if (c.notNull && (c.default === null || deferred) && !c.identity && !c.generated)
      hazards.push(
        hazard(
          'CORRECTNESS',
          `fails if ${t.schema}.${t.name} has rows: ${key} is NOT NULL without a default`,
        ),
      );
    const target = qualified(t.schema, t.name);
    this.b.add(P.COLUMNS, `ALTER TABLE ${target} ADD COLUMN ${this.columnDefinition(c, !deferred)}`, {
      hazards,
      online,
      long: rewrites,
    });
    if (deferred)
      this.b.add(
        P.LATE_DEFAULTS,
        `ALTER TABLE ${target} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${c.default}`,
      );
    this.comment('COLUMN', `${target}.${ident(c.name)}`, null, c.comment);
  }

  alterColumn(t: PgTable, original: PgColumn, c: PgColumn): void {
    let f = original;
    if (f.default !== null && this.sequenceRenames.length > 0) {
      let d = f.default;
      for (const [a, z] of this.sequenceRenames) d = d.replaceAll(a, z);
      f = { ...f, default: d };
    }
    const table = qualified(t.schema, t.name);
    const key = `${t.schema}.${t.name}.${c.name}`;
    const alter = `ALTER TABLE ${table} ALTER COLUMN ${ident(c.name)}`;
    const typeChanged = f.type !== c.type || f.collation !== c.collation;
    const replacedDefault = f.defaultCalls.some((fn) => this.replacedFunctions.has(fn));

    // Generation expressions.
    if (f.generated && !c.generated) {
      if (f.generated.stored) this.b.add(P.COLUMNS, `${alter} DROP EXPRESSION`);
      else
        this.b.unsupported(
          'generated column',
          key,
          'a virtual generated column cannot become a plain one in place; drop and add it by hand',
        );
    } else if (!f.generated && c.generated)
      this.b.unsupported(
        'generated column',
        key,
        'a plain column cannot become a generated one in place; drop and add it by hand',
      );
    else if (f.generated && c.generated) {
      if (f.generated.stored !== c.generated.stored)
        this.b.unsupported(
          'generated column',
          key,
          'changing between STORED and VIRTUAL needs the column dropped and added again',
        );
      else if (f.generated.expression !== c.generated.expression) {
        if (this.from.serverVersion >= 170000)
          this.b.add(P.COLUMNS, `${alter} SET EXPRESSION AS (${c.generated.expression})`, {
            hazards: c.generated.stored
              ? [
                  lock(`${t.schema}.${t.name} is rewritten under an exclusive lock`),
                  hazard('IMPACTS_DATABASE_PERFORMANCE', `rewrites ${t.schema}.${t.name}`),
                ]
              : [],
            online: !c.generated.stored,
            long: c.generated.stored,
          });
        else
          this.b.unsupported(
            'generated column',
            key,
            `the expression changes (${f.generated.expression} -> ${c.generated.expression}); PostgreSQL before 17 cannot change it in place: drop and add the column by hand`,
          );
      }
    }

    if (f.identity && !c.identity) this.b.add(P.COLUMNS, `${alter} DROP IDENTITY`);

    // Defaults: dropped before a type change (the old one may not convert) and set after it.
    const defaultChanged = f.default !== c.default || replacedDefault;
    if (f.default !== null && (typeChanged || defaultChanged) && !f.identity && !f.generated)
      if (c.default === null || typeChanged || replacedDefault)
        this.b.add(replacedDefault ? P.DROP_DEFAULTS : P.COLUMNS, `${alter} DROP DEFAULT`);

    if (typeChanged) this.changeType(t, f, c);

    if (c.default !== null && !c.identity && !c.generated && (typeChanged || defaultChanged)) {
      const phase = this.deferDefault(c) || replacedDefault ? P.LATE_DEFAULTS : P.COLUMNS;
      this.b.add(phase, `${alter} SET DEFAULT ${c.default}`);
    }

    if (f.notNull && !c.notNull) this.b.add(P.COLUMNS, `${alter} DROP NOT NULL`);
    if (!f.notNull && c.notNull) this.setNotNull(t, c);

    if (!f.identity && c.identity)
      this.b.add(
        P.COLUMNS,
        `${alter} ADD GENERATED ${c.identity.generation} AS IDENTITY (${identityOptions(c.identity)})`,
        {
          hazards: [
            hazard(
              'CORRECTNESS',
              `the identity starts at ${c.identity.start}; values already in ${key} are not skipped and may collide`,
            ),
          ],
        },
      );
    else if (f.identity && c.identity) {
      const changes: string[] = [];
      if (f.identity.generation !== c.identity.generation)
        changes.push(`SET GENERATED ${c.identity.generation}`);
      if (f.identity.increment !== c.identity.increment)
        changes.push(`SET INCREMENT BY ${c.identity.increment}`);
      if (f.identity.start !== c.identity.start) changes.push(`SET START WITH ${c.identity.start}`);
      if (f.identity.min !== c.identity.min) changes.push(`SET MINVALUE ${c.identity.min}`);
      if (f.identity.max !== c.identity.max) changes.push(`SET MAXVALUE ${c.identity.max}`);
      if (f.identity.cache !== c.identity.cache) changes.push(`SET CACHE ${c.identity.cache}`);
      if (f.identity.cycle !== c.identity.cycle)
        changes.push(c.identity.cycle ? 'SET CYCLE' : 'SET NO CYCLE');
      // A type change alters the identity's sequence bounds with it.
      if (typeChanged) {
        const onlyBounds = changes.every((x) => x.startsWith('SET MINVALUE') || x.startsWith('SET MAXVALUE'));
        if (onlyBounds) changes.length = 0;
      }
      if (changes.length) this.b.add(P.COLUMNS, `${alter} ${changes.join(' ')}`);
    }
    this.comment('COLUMN', `${table}.${ident(c.name)}`, f.comment, c.comment);
  }

  changeType(t: PgTable, f: PgColumn, c: PgColumn): void {
    const table = qualified(t.schema, t.name);
    const key = `${t.schema}.${t.name}.${c.name}`;
    const change = f.type === c.type ? 'collation' : classifyTypeChange(f.type, c.type);
    const using = f.type !== c.type && needsUsing(f.type, c.type) ? ` USING ${ident(c.name)}::${c.type}` : '';
    const hazards: Hazard[] = [];
    let online = false;
    if (change === 'binary') {
      hazards.push(lock(`${t.schema}.${t.name} is locked briefly (${f.type} -> ${c.type} needs no rewrite)`));
      online = true;
    } else {
      hazards.push(
        lock(
          `${t.schema}.${t.name} is locked while ${change === 'collation' ? 'its indexes on the column are rebuilt' : 'it is rewritten'}`,
        ),
      );
      hazards.push(
        hazard(
          'IMPACTS_DATABASE_PERFORMANCE',
          change === 'collation'
            ? `rebuilds the indexes on ${key}`
            : `rewrites ${t.schema}.${t.name} and its indexes`,
        ),
      );
    }
    if (change === 'narrowing')
      hazards.push(
        hazard('DELETES_DATA', `${f.type} -> ${c.type} may round or cut values of ${key}, or fail on them`),
      );
    this.b.add(
      P.COLUMNS,
      `ALTER TABLE ${table} ALTER COLUMN ${ident(c.name)} TYPE ${c.type}${c.collation ? ` COLLATE ${c.collation}` : ''}${using}`,
      { hazards, online, long: !online },
    );
    // The column's statistics went with its old type.
    if (!online) this.b.add(P.COLUMNS, `ANALYZE ${table} (${ident(c.name)})`, { long: true });
  }

  setNotNull(t: PgTable, c: PgColumn): void {
    const table = qualified(t.schema, t.name);
    const key = `${t.schema}.${t.name}.${c.name}`;
    const alter = `ALTER TABLE ${table} ALTER COLUMN ${ident(c.name)} SET NOT NULL`;
    const fails = hazard('CORRECTNESS', `fails if ${key} holds a null`);
    if (!this.online || t.kind === 'partitioned') {
      this.b.add(P.COLUMNS, alter, {
        hazards: [
          lock(`${t.schema}.${t.name} is locked while every row is checked`),
          hazard('IMPACTS_DATABASE_PERFORMANCE', `scans ${t.schema}.${t.name}`),
          fails,
        ],
        online: false,
        long: true,
      });
      return;
    }
    // A validated CHECK (col IS NOT NULL) lets SET NOT NULL skip its scan under the exclusive lock.
    const check = ident(tempName('aishell_nn', t.schema, t.name, c.name));
    this.b.add(
      P.COLUMNS,
      `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${ident(c.name)} IS NOT NULL) NOT VALID`,
    );
    this.b.add(P.COLUMNS, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}`, {
      hazards: [fails],
      long: true,
    });
    this.b.add(P.COLUMNS, alter);
    this.b.add(P.COLUMNS, `ALTER TABLE ${table} DROP CONSTRAINT ${check}`);
  }

  constraints(f: PgTable, t: PgTable): void {
    const key = tkey(t.schema, t.name);
    const table = qualified(t.schema, t.name);
    const fromCons = byKey(f.constraints, (c) => c.name);
    const toCons = byKey(t.constraints, (c) => c.name);
    const renamedTo = new Map<string, PgConstraint>();
    // Same constraint under another name (a table rename leaves t_pkey behind): renamed, not rebuilt.
    for (const c of t.constraints) {
      if (fromCons.has(c.name)) continue;
      const match = f.constraints.find(
        (o) =>
          !toCons.has(o.name) &&
          ![...renamedTo.values()].includes(o) &&
          constraintShape(o) === constraintShape(c),
      );
      if (match) {
        renamedTo.set(c.name, match);
        this.b.add(
          P.RENAME_OBJECTS,
          `ALTER TABLE ${table} RENAME CONSTRAINT ${ident(match.name)} TO ${ident(c.name)}`,
        );
      }
    }
    const renamedAway = new Set([...renamedTo.values()].map((c) => c.name));
    // A changed primary or unique key is swapped: the new index is built first, then one statement drops
    // the old constraint and adds the new one on it (unless a column of the old key loses NOT NULL).
    const toCols = byKey(t.columns, (c) => c.name);
    const swapped = new Set<string>();
    if (this.online && t.kind !== 'partitioned')
      for (const c of t.constraints) {
        const old = fromCons.get(c.name);
        if (
          !old ||
          renamedAway.has(c.name) ||
          old.type !== c.type ||
          constraintShape(old) === constraintShape(c)
        )
          continue;
        if (c.type !== 'primary' && c.type !== 'unique') continue;
        if (!parseKeyConstraint(c.definition)) continue;
        if (old.type === 'primary' && old.columns.some((col) => toCols.get(col)?.notNull === false)) continue;
        swapped.add(c.name);
      }
    for (const c of f.constraints) {
      const next = toCons.get(c.name);
      if (renamedAway.has(c.name) || swapped.has(c.name)) continue;
      if (!next || constraintShape(next) !== constraintShape(c) || this.fkRebuilt(c))
        this.b.add(
          c.type === 'foreign' ? P.DROP_FKS : P.DROP_CONSTRAINTS,
          `ALTER TABLE ${table} DROP CONSTRAINT ${ident(c.name)}`,
          {
            hazards:
              c.type === 'primary' || c.type === 'unique' || c.type === 'exclusion'
                ? [
                    hazard(
                      'INDEX_DROPPED',
                      `the index of ${c.name} goes with it; queries that used it may slow down`,
                    ),
                  ]
                : [],
          },
        );
    }
    for (const c of t.constraints) {
      const old = toOld(c.name, fromCons, renamedTo);
      if (swapped.has(c.name)) this.swapKeyConstraint(t, c);
      else if (!old || constraintShape(old) !== constraintShape(c) || this.fkRebuilt(old))
        this.addConstraint(t, c, false);
      else if (!old.valid && c.valid)
        this.b.add(
          c.type === 'foreign' ? P.FKS : P.CONSTRAINTS,
          `ALTER TABLE ${table} VALIDATE CONSTRAINT ${ident(c.name)}`,
          {
            hazards: [hazard('CORRECTNESS', `fails if a row of ${key} breaks ${c.name}`)],
            long: true,
          },
        );
      const recreated = !old || constraintShape(old) !== constraintShape(c);
      this.comment('CONSTRAINT', `${ident(c.name)} ON ${table}`, recreated ? null : old.comment, c.comment);
    }
  }

  /** Build the new key's index under another name, then drop the old key and add the new one on it. */
  swapKeyConstraint(t: PgTable, c: PgConstraint): void {
    const table = qualified(t.schema, t.name);
    const key = tkey(t.schema, t.name);
    const parts = parseKeyConstraint(c.definition) as KeyConstraintParts;
    const temp = ident(tempName('aishell_new', t.schema, t.name, c.name));
    this.b.add(
      P.CONSTRAINTS,
      `CREATE UNIQUE INDEX CONCURRENTLY ${temp} ON ${table} (${parts.columns})${parts.include}${parts.nulls}${parts.with}`,
      {
        hazards: [
          hazard('INDEX_BUILD', `builds the new index of ${c.name} on ${key}`),
          hazard('CORRECTNESS', `fails if a row of ${key} breaks ${c.name}`),
        ],
        transactional: false,
        long: true,
      },
    );
    this.b.add(
      P.CONSTRAINTS,
      `ALTER TABLE ${table} DROP CONSTRAINT ${ident(c.name)}, ADD CONSTRAINT ${ident(c.name)} ${parts.kind} USING INDEX ${temp}${parts.deferrable}`,
      { hazards: [hazard('INDEX_DROPPED', `the old index of ${c.name} goes; the new one takes its place`)] },
    );
  }

  /** A foreign key whose referenced unique index goes away or is rebuilt: dropped and added again. */
  fkRebuilt(c: PgConstraint): boolean {
    if (c.type !== 'foreign' || !c.references || !c.index) return false;
    return this.vanishingIndexes.get(tkey(c.references.schema, c.references.table))?.has(c.index) ?? false;
  }

  addConstraint(t: PgTable, c: PgConstraint, newTable: boolean): void {
    const table = qualified(t.schema, t.name);
    const key = tkey(t.schema, t.name);
    const name = ident(c.name);
    const add = `ALTER TABLE ${table} ADD CONSTRAINT ${name}`;
    const notValid = c.valid ? '' : ' NOT VALID';
    if (newTable) {
      this.b.add(c.type === 'foreign' ? P.FKS : P.CONSTRAINTS, `${add} ${c.definition}${notValid}`);
      return;
    }
    const partitioned = t.kind === 'partitioned';
    const fails = hazard('CORRECTNESS', `fails if a row of ${key} breaks ${c.name}`);
    switch (c.type) {
      case 'primary':
      case 'unique': {
        const parts = parseKeyConstraint(c.definition);
        if (this.online && !partitioned && parts) {
          this.b.add(
            P.CONSTRAINTS,
            `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${parts.columns})${parts.include}${parts.nulls}${parts.with}`,
            {
              hazards: [hazard('INDEX_BUILD', `builds the index of ${c.name} on ${key}`), fails],
              transactional: false,
              long: true,
            },
          );
          this.b.add(P.CONSTRAINTS, `${add} ${parts.kind} USING INDEX ${name}${parts.deferrable}`);
        } else
          this.b.add(P.CONSTRAINTS, `${add} ${c.definition}`, {
            hazards: [
              lock(`${key} is locked while the index of ${c.name} is built`),
              hazard('INDEX_BUILD', `builds the index of ${c.name}`),
              fails,
            ],
            online: false,
            long: true,
          });
        return;
      }
      case 'exclusion':
        this.b.add(P.CONSTRAINTS, `${add} ${c.definition}`, {
          hazards: [
            lock(`${key} is locked while the index of ${c.name} is built`),
            hazard('INDEX_BUILD', `builds the index of ${c.name}`),
            fails,
          ],
          online: false,
          long: true,
        });
        return;
      case 'check':
      case 'foreign': {
        const phase = c.type === 'foreign' ? P.FKS : P.CONSTRAINTS;
        const fkLock =
          c.type === 'foreign' && c.references
            ? [
                hazard(
                  'ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK',
                  `writes to ${key} and ${c.references.schema}.${c.references.table} wait while the foreign key is added`,
                ),
              ]
            : [];
        // NOT VALID is refused on partitioned tables (foreign keys before PostgreSQL 18).
        if (this.online && !partitioned) {
          this.b.add(phase, `${add} ${c.definition} NOT VALID`, { hazards: fkLock });
          if (c.valid)
            this.b.add(phase, `ALTER TABLE ${table} VALIDATE CONSTRAINT ${name}`, {
              hazards: [fails],
              long: true,
            });
        } else
          this.b.add(phase, `${add} ${c.definition}${notValid}`, {
            hazards: [
              ...(c.type === 'check' ? [lock(`${key} is locked while every row is checked`)] : fkLock),
              ...(c.valid ? [hazard('IMPACTS_DATABASE_PERFORMANCE', `scans ${key}`), fails] : []),
            ],
            online: !c.valid,
            long: c.valid,
          });
      }
    }
  }

  indexes(
    f: { indexes: readonly PgIndex[] } | null,
    t: { schema: string; name: string; indexes: readonly PgIndex[] },
    target: string,
    partitioned: boolean,
  ): void {
    const key = tkey(t.schema, t.name);
    const fromIdx = byKey(f?.indexes ?? [], (i) => i.name);
    const toIdx = byKey(t.indexes, (i) => i.name);
    const renamedTo = new Map<string, PgIndex>();
    for (const i of t.indexes) {
      if (fromIdx.has(i.name)) continue;
      const match = (f?.indexes ?? []).find(
        (o) =>
          !toIdx.has(o.name) &&
          o.valid &&
          ![...renamedTo.values()].includes(o) &&
          indexShape(o) === indexShape(i),
      );
      if (match) {
        renamedTo.set(i.name, match);
        this.b.add(
          P.RENAME_OBJECTS,
          `ALTER INDEX ${qualified(t.schema, match.name)} RENAME TO ${ident(i.name)}`,
        );
      }
    }
    const renamedAway = new Set([...renamedTo.values()].map((i) => i.name));
    const concurrently = this.online && !partitioned;
    const dropped = this.droppedColumns.get(key) ?? new Set<string>();
    const usesDropped = (i: PgIndex) =>
      i.columns.some((c) => dropped.has(c)) ||
      [...dropped].some((c) => usesIdentifier(afterUsing(i.definition), c));
    const dropSql = (name: string) =>
      `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${qualified(t.schema, name)}`;
    const dropSpec = (name: string) => ({
      hazards: [
        hazard('INDEX_DROPPED', `queries that used ${name} may slow down`),
        ...(concurrently ? [] : [lock(`${key} is locked while ${name} is dropped`)]),
      ],
      transactional: !concurrently,
    });
    const build = (i: PgIndex) => ({
      hazards: [
        hazard('INDEX_BUILD', `builds ${i.name} on ${key}`),
        ...(concurrently
          ? []
          : [hazard('ACQUIRES_SHARE_LOCK', `writes to ${key} wait while ${i.name} is built`)]),
      ],
      online: concurrently,
      transactional: !concurrently,
      long: true,
    });
    for (const i of f?.indexes ?? [])
      if (!toIdx.has(i.name) && !renamedAway.has(i.name))
        this.b.add(P.DROP_INDEXES, dropSql(i.name), dropSpec(i.name));
    for (const i of t.indexes) {
      const old = toOld(i.name, fromIdx, renamedTo);
      if (!old) this.b.add(P.INDEXES, createIndexSql(i.definition, concurrently), build(i));
      else if (indexShape(old) !== indexShape(i) || !old.valid) {
        if (concurrently && old.valid && !usesDropped(old)) {
          // Build before drop: the old index serves queries until the new one is ready.
          const temp = tempName('aishell_old', t.schema, i.name);
          this.b.add(P.INDEXES, `ALTER INDEX ${qualified(t.schema, i.name)} RENAME TO ${ident(temp)}`);
          this.b.add(P.INDEXES, createIndexSql(i.definition, true), build(i));
          this.b.add(P.INDEXES, dropSql(temp), dropSpec(i.name));
        } else {
          this.b.add(P.DROP_INDEXES, dropSql(old.name), dropSpec(old.name));
          this.b.add(P.INDEXES, createIndexSql(i.definition, concurrently), build(i));
        }
      }
      const recreated = !old || indexShape(old) !== indexShape(i) || !old.valid;
      this.comment('INDEX', qualified(t.schema, i.name), recreated ? null : old.comment, i.comment);
    }
    void target;
  }

  rowSecurity(f: PgTable | null, t: PgTable): void {
    const table = qualified(t.schema, t.name);
    const authz = (what: string) => ({ hazards: [hazard('AUTHZ_UPDATE', what)] });
    if ((f?.rowSecurity ?? false) !== t.rowSecurity)
      this.b.add(
        P.RLS,
        `ALTER TABLE ${table} ${t.rowSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`,
        authz(
          t.rowSecurity
            ? `rows of ${t.schema}.${t.name} are visible only through its policies`
            : `the policies of ${t.schema}.${t.name} stop applying`,
        ),
      );
    if ((f?.forceRowSecurity ?? false) !== t.forceRowSecurity)
      this.b.add(
        P.RLS,
        `ALTER TABLE ${table} ${t.forceRowSecurity ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`,
        authz(
          `the table owner ${t.forceRowSecurity ? 'becomes' : 'is no longer'} subject to the policies of ${t.schema}.${t.name}`,
        ),
      );
  }

  createPolicy(t: PgTable, p: PgPolicy): void {
    const roles = p.roles.map((r) => (r === 'PUBLIC' ? 'PUBLIC' : ident(r))).join(', ');
    let sql = `CREATE POLICY ${ident(p.name)} ON ${qualified(t.schema, t.name)} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command} TO ${roles}`;
    if (p.using !== null) sql += ` USING (${p.using})`;
    if (p.withCheck !== null) sql += ` WITH CHECK (${p.withCheck})`;
    this.b.add(P.POLICIES, sql, {
      hazards: [
        hazard(
          'AUTHZ_UPDATE',
          `policy ${p.name} changes which rows of ${t.schema}.${t.name} are visible or writable`,
        ),
      ],
    });
    this.comment('POLICY', `${ident(p.name)} ON ${qualified(t.schema, t.name)}`, null, p.comment);
  }

  policies(f: PgTable, t: PgTable): void {
    const table = qualified(t.schema, t.name);
    const fromPol = byKey(f.policies, (p) => p.name);
    const toPol = byKey(t.policies, (p) => p.name);
    const reshaped = (this.reshapedColumns.get(tkey(t.schema, t.name))?.size ?? 0) > 0;
    const authz = (p: PgPolicy) => ({
      hazards: [
        hazard(
          'AUTHZ_UPDATE',
          `policy ${p.name} changes which rows of ${t.schema}.${t.name} are visible or writable`,
        ),
      ],
    });
    for (const p of f.policies) {
      const next = toPol.get(p.name);
      const recreate =
        next &&
        !sameJson(p, next) &&
        (reshaped ||
          p.permissive !== next.permissive ||
          p.command !== next.command ||
          (p.using !== null && next.using === null) ||
          (p.withCheck !== null && next.withCheck === null));
      if (!next || recreate)
        this.b.add(P.DROP_POLICIES, `DROP POLICY ${ident(p.name)} ON ${table}`, authz(p));
    }
    for (const p of t.policies) {
      const old = fromPol.get(p.name);
      if (!old) {
        this.createPolicy(t, p);
        continue;
      }
      const { comment: _a, ...oldShape } = old;
      const { comment: _b, ...newShape } = p;
      if (!sameJson(oldShape, newShape)) {
        const recreate =
          reshaped ||
          old.permissive !== p.permissive ||
          old.command !== p.command ||
          (old.using !== null && p.using === null) ||
          (old.withCheck !== null && p.withCheck === null);
        if (recreate) {
          this.createPolicy(t, p);
          continue;
        }
        const roles = p.roles.map((r) => (r === 'PUBLIC' ? 'PUBLIC' : ident(r))).join(', ');
        let sql = `ALTER POLICY ${ident(p.name)} ON ${table} TO ${roles}`;
        if (p.using !== null) sql += ` USING (${p.using})`;
        if (p.withCheck !== null) sql += ` WITH CHECK (${p.withCheck})`;
        this.b.add(P.POLICIES, sql, authz(p));
      }
      this.comment('POLICY', `${ident(p.name)} ON ${table}`, old.comment, p.comment);
    }
  }

  tableComments(f: PgTable | null, t: PgTable): void {
    const table = qualified(t.schema, t.name);
    this.comment('TABLE', table, f?.comment, t.comment);
    if (!f) for (const c of t.columns) this.comment('COLUMN', `${table}.${ident(c.name)}`, null, c.comment);
    if (!f)
      for (const c of t.constraints)
        this.comment('CONSTRAINT', `${ident(c.name)} ON ${table}`, null, c.comment);
    if (!f) for (const i of t.indexes) this.comment('INDEX', qualified(t.schema, i.name), null, i.comment);
  }

  // ------------------------------------------------------------ views, with the late functions

  views(): void {
    // Drops: views gone or rebuilt, dependents first.
    // Drops: views gone or rebuilt, and functions over relations that go, dependents first.
    type Dropped = { key: string; view?: PgView; fn?: PgFunction; deps: readonly string[] };
    const dropping: Dropped[] = [];
    for (const v of this.from.views) {
      const key = tkey(v.schema, v.name);
      if (!this.toViews.has(key) || this.recreatedViews.has(key))
        dropping.push({ key, view: v, deps: v.dependsOn });
    }
    for (const f of this.from.functions)
      if (this.earlyDroppedFunctions.has(fkey(f))) dropping.push({ key: fkey(f), fn: f, deps: f.dependsOn });
    for (const d of topoSort(
      dropping,
      (d) => d.key,
      (d) => d.deps,
    ).reverse()) {
      if (d.view)
        this.b.add(
          P.DROP_VIEWS,
          `DROP ${d.view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qualified(d.view.schema, d.view.name)}`,
        );
      else if (d.fn)
        this.b.add(
          P.DROP_VIEWS,
          `DROP ${d.fn.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${qualified(d.fn.schema, d.fn.name)}(${d.fn.arguments})`,
          {
            hazards: [
              untrackable(`callers of ${d.key} in function bodies are not tracked and fail after it goes`),
            ],
          },
        );
    }

    // Creates: new and rebuilt views with the late functions, each after what it uses.
    type Node = { key: string; view?: PgView; fn?: PgFunction; deps: readonly string[] };
    const nodes: Node[] = [];
    for (const f of this.to.functions)
      if (this.lateFunctions.has(fkey(f))) nodes.push({ key: fkey(f), fn: f, deps: f.dependsOn });
    for (const v of this.to.views) {
      const key = tkey(v.schema, v.name);
      if (!this.fromViews.has(key) || this.recreatedViews.has(key))
        nodes.push({ key, view: v, deps: v.dependsOn });
    }
    for (const n of topoSort(
      nodes,
      (n) => n.key,
      (n) => n.deps,
    )) {
      if (n.fn) this.b.add(P.LATE, n.fn.definition, { hazards: functionHazards(n.fn) });
      else if (n.view) this.createView(n.view);
    }
    for (const v of this.to.views) {
      const key = tkey(v.schema, v.name);
      const old = this.fromViews.get(key);
      if (!old || this.recreatedViews.has(key)) continue;
      const target = qualified(v.schema, v.name);
      this.comment(v.materialized ? 'MATERIALIZED VIEW' : 'VIEW', target, old.comment, v.comment);
      this.grants('TABLE', target, old.grants, v.grants);
      if (v.materialized) this.indexes(old, v, target, false);
    }
  }

  createView(v: PgView): void {
    const target = qualified(v.schema, v.name);
    const options = v.options.length ? ` WITH (${v.options.join(', ')})` : '';
    if (v.materialized) {
      this.b.add(P.LATE, `CREATE MATERIALIZED VIEW ${target}${options} AS\n${v.definition}`, {
        hazards: [
          hazard('IMPACTS_DATABASE_PERFORMANCE', `runs the query of ${v.schema}.${v.name} to fill it`),
        ],
        long: true,
      });
      for (const i of v.indexes) this.b.add(P.INDEXES, createIndexSql(i.definition, false), { long: true });
    } else this.b.add(P.LATE, `CREATE VIEW ${target}${options} AS\n${v.definition}`);
    this.comment(v.materialized ? 'MATERIALIZED VIEW' : 'VIEW', target, null, v.comment);
    for (const i of v.indexes) this.comment('INDEX', qualified(v.schema, i.name), null, i.comment);
    this.grants('TABLE', target, null, v.grants);
  }

  // ------------------------------------------------------------ triggers

  triggers(): void {
    const trkey = (t: PgTrigger) => `${t.schema}.${t.table}.${t.name}`;
    const fromTr = byKey(this.from.triggers, trkey);
    const toTr = byKey(this.to.triggers, trkey);
    const relationGone = (t: PgTrigger) => {
      const rel = tkey(t.schema, t.table);
      return this.recreatedViews.has(rel) || (!this.toTables.has(rel) && !this.toViews.has(rel));
    };
    const rebuilt = (old: PgTrigger, next: PgTrigger) =>
      this.recreatedViews.has(tkey(next.schema, next.table)) ||
      this.replacedFunctions.has(old.function) ||
      (old.definition !== next.definition &&
        (old.constraint ||
          next.constraint ||
          (this.reshapedColumns.get(tkey(next.schema, next.table))?.size ?? 0) > 0));
    for (const t of this.from.triggers) {
      const next = toTr.get(trkey(t));
      const on = `DROP TRIGGER ${ident(t.name)} ON ${qualified(t.schema, t.table)}`;
      // A trigger goes with its relation when that is dropped or rebuilt.
      if (relationGone(t)) continue;
      if (!next || rebuilt(t, next)) this.b.add(P.DROP_TRIGGERS, on);
    }
    for (const t of this.to.triggers) {
      const old = fromTr.get(trkey(t));
      const rel = tkey(t.schema, t.table);
      const target = `${ident(t.name)} ON ${qualified(t.schema, t.table)}`;
      const existing = this.fromTables.has(rel) || (this.fromViews.has(rel) && !this.recreatedViews.has(rel));
      const lockHazard = existing
        ? [hazard('ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK', `writes to ${rel} wait while the trigger is created`)]
        : [];
      const fresh = !old || rebuilt(old, t);
      if (fresh) this.b.add(P.TRIGGERS, t.definition, { hazards: lockHazard });
      else if (old.definition !== t.definition)
        this.b.add(P.TRIGGERS, t.definition.replace(/^CREATE TRIGGER/, 'CREATE OR REPLACE TRIGGER'), {
          hazards: lockHazard,
        });
      const wasEnabled = fresh ? 'O' : old.enabled;
      if (wasEnabled !== t.enabled) {
        const how = { O: 'ENABLE', D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[t.enabled];
        this.b.add(
          P.TRIGGERS,
          `ALTER TABLE ${qualified(t.schema, t.table)} ${how} TRIGGER ${ident(t.name)}`,
          {
            hazards: [
              hazard(
                'CORRECTNESS',
                `trigger ${t.name} ${t.enabled === 'D' ? 'stops firing' : 'fires in another replication role'}`,
              ),
            ],
          },
        );
      }
      this.comment('TRIGGER', target, fresh ? null : old.comment, t.comment);
    }
  }

  // ------------------------------------------------------------ the rest

  unmodelled(): void {
    const k = (u: UnmodelledObject) => `${u.kind}\u0000${u.name}`;
    const fromU = byKey(this.from.unmodelled, k);
    const toU = byKey(this.to.unmodelled, k);
    for (const u of this.to.unmodelled) {
      const old = fromU.get(k(u));
      if (!old)
        this.b.unsupported(u.kind, u.name, `only in the target schema (${u.definition}); not planned`);
      else if (old.definition !== u.definition)
        this.b.unsupported(u.kind, u.name, `differs (${old.definition} -> ${u.definition}); not planned`);
    }
    for (const u of this.from.unmodelled)
      if (!toU.has(k(u)))
        this.b.unsupported(u.kind, u.name, `only in the source schema (${u.definition}); not dropped`);
  }
}

function toOld<T>(name: string, from: Map<string, T>, renamedTo: Map<string, T>): T | undefined {
  return renamedTo.get(name) ?? from.get(name);
}

function identityOptions(i: PgIdentity): string {
  return `START WITH ${i.start} INCREMENT BY ${i.increment} MINVALUE ${i.min} MAXVALUE ${i.max} CACHE ${i.cache}${i.cycle ? ' CYCLE' : ' NO CYCLE'}`;
}

function defaultGrants(kind: string): PgGrant[] {
  if (kind === 'FUNCTION' || kind === 'PROCEDURE')
    return [{ grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false }];
  if (kind === 'TYPE' || kind === 'DOMAIN')
    return [{ grantee: 'PUBLIC', privilege: 'USAGE', grantable: false }];
  return [];
}

function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let i = 0;
  for (const v of big) if (v === small[i]) i++;
  return i === small.length;
}

const VOLATILE =
  /\b(nextval|random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|txid_current|statement_timestamp)\s*\(/i;

function isVolatile(expression: string): boolean {
  return VOLATILE.test(expression);
}

function afterUsing(definition: string): string {
  const at = definition.indexOf(' USING ');
  return at === -1 ? definition : definition.slice(at + 7);
}

function indexShape(i: PgIndex): string {
  return `${i.unique}:${afterUsing(i.definition)}`;
}

function constraintShape(c: PgConstraint): string {
  return `${c.type}:${c.definition}`;
}

function sameView(a: PgView, b: PgView): boolean {
  return (
    a.materialized === b.materialized &&
    norm(a.definition) === norm(b.definition) &&
    sameJson(a.options, b.options)
  );
}

/** Whether the catalog records that `f` uses a table or view (row types, `BEGIN ATOMIC` bodies). */
function usesRelations(f: PgFunction): boolean {
  return f.dependsOn.some((d) => !d.includes('('));
}

/** A function is created after the tables when its body is SQL (checked at creation) or it uses a relation. */
function isLate(f: PgFunction): boolean {
  return f.language === 'sql' || usesRelations(f);
}

/** CREATE OR REPLACE cannot change a function's result, argument names or defaults, or its kind. */
function needsDropCreate(a: PgFunction, b: PgFunction): boolean {
  const header = (f: PgFunction) => f.definition.split('\n')[0] ?? '';
  return a.kind !== b.kind || a.result !== b.result || a.arguments !== b.arguments || header(a) !== header(b);
}

function untrackable(message: string): Hazard {
  return hazard('HAS_UNTRACKABLE_DEPENDENCIES', message);
}

function functionHazards(f: PgFunction): Hazard[] {
  const atomic = f.language === 'sql' && /\bBEGIN ATOMIC\b/.test(f.definition);
  return atomic
    ? []
    : [
        untrackable(
          `what the body of ${f.schema}.${f.name} uses is not tracked: objects it needs must exist when it runs`,
        ),
      ];
}

function createIndexSql(definition: string, concurrently: boolean): string {
  let sql = definition.replace(' ON ONLY ', ' ON ');
  if (concurrently) sql = sql.replace(/^CREATE (UNIQUE )?INDEX /, (m) => `${m}CONCURRENTLY `);
  return sql;
}

interface KeyConstraintParts {
  readonly kind: string;
  readonly columns: string;
  readonly include: string;
  readonly nulls: string;
  readonly with: string;
  readonly deferrable: string;
}

/** `PRIMARY KEY (a, b) INCLUDE (c) WITH (fillfactor=90) DEFERRABLE`, taken apart; null for other shapes. */
function parseKeyConstraint(definition: string): KeyConstraintParts | null {
  const m =
    /^(PRIMARY KEY|UNIQUE)( NULLS NOT DISTINCT)? \(([^()]+)\)( INCLUDE \([^()]+\))?( WITH \([^()]+\))?((?: NOT)? DEFERRABLE(?: INITIALLY (?:DEFERRED|IMMEDIATE))?)?$/.exec(
      definition,
    );
  if (!m) return null;
  return {
    kind: m[1] as string,
    nulls: m[2] ?? '',
    columns: m[3] as string,
    include: m[4] ?? '',
    with: m[5] ?? '',
    deferrable: m[6] ?? '',
  };
}
