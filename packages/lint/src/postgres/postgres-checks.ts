// The checks behind POSTGRES_RULES, one per rule name. Each sees one statement at a time with what the
// statements before it established (PgFile); `end` runs after the last statement of the file.
import type { Token } from '../lexer.js';
import { utf8Length } from '../positions.js';
import { dropKind, droppedName, type PgFile } from './pg-file.js';
import {
  asArray,
  asString,
  child,
  defElems,
  items,
  location,
  names,
  optionIsOn,
  type PgNode,
  relation,
  unwrap,
} from './pg-node.js';
import type { AlterCommand, PgStatement } from './pg-statement.js';
import { type ColumnType, columnType, definedColumnTypes, withType } from './pg-types.js';
import type { POSTGRES_RULES } from './postgres-rules.js';

/** Reports one finding of the current rule at a file offset; `fix` overrides the rule's general one. */
export type Report = (offset: number, message: string, fix?: string) => void;

export interface PgCheck {
  statement?(s: PgStatement, f: PgFile, report: Report): void;
  end?(f: PgFile, report: Report): void;
}

export type PostgresRuleName = (typeof POSTGRES_RULES)[number]['name'];
/** Rules the driver itself reports: the parse, and the ignore comments. */
export type PostgresMetaRule = 'syntax-error' | 'ignore-without-reason' | 'unused-ignore';

// ---- helpers ---------------------------------------------------------------------------------------

/** An ALTER TABLE on a table (not a view, type, index or sequence). */
const isTableAlter = (s: PgStatement): boolean =>
  s.type === 'AlterTableStmt' && (s.node.objtype === undefined || s.node.objtype === 'OBJECT_TABLE');

/** ALTER TABLE on a table that was not created earlier in this file: the lock rules apply to it. */
function existingTableAlter(s: PgStatement, f: PgFile): boolean {
  return isTableAlter(s) && !f.isNewTable(s.relation?.name);
}

const columnDef = (cmd: AlterCommand): PgNode | undefined => child(cmd.def, 'ColumnDef');

/** The constraints of a column definition: `[{ contype: 'CONSTR_NOTNULL', ... }]`. */
function constraintsOf(def: PgNode | undefined): PgNode[] {
  const out: PgNode[] = [];
  for (const c of asArray(def?.constraints)) {
    const node = child(c, 'Constraint');
    if (node !== undefined) out.push(node);
  }
  return out;
}

const addedConstraint = (cmd: AlterCommand): PgNode | undefined =>
  cmd.subtype === 'AT_AddConstraint' ? child(cmd.def, 'Constraint') : undefined;

const table = (s: PgStatement): string => {
  const rel = s.relation;
  return rel === undefined ? 't' : rel.schema === undefined ? rel.name : `${rel.schema}.${rel.name}`;
};

const quoteIdent = (name: string): string =>
  /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;

/** The text of one constraint of a column definition, up to the next constraint or the action's end. */
function constraintText(s: PgStatement, cmd: AlterCommand, c: PgNode): { from: number; to: number } {
  const from = s.at(location(c));
  const next = constraintsOf(columnDef(cmd))
    .map((x) => s.at(location(x)))
    .filter((at) => at > from)
    .sort((a, b) => a - b)[0];
  const end = cmd.offset + s.commandText(cmd).length;
  return { from, to: next ?? end };
}

// Zero-argument functions that are not volatile (pg_proc.provolatile <> 'v'): a DEFAULT of one is
// evaluated once by ALTER TABLE and stored without rewriting the table (PostgreSQL 11+).
const NON_VOLATILE_CALLS = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'session_user',
  'current_role',
  'current_schema',
  'current_database',
  'current_catalog',
  'version',
  'pi',
  'pg_backend_pid',
  'inet_client_addr',
  'inet_server_addr',
  'txid_current_if_assigned',
]);

/** A DEFAULT expression PostgreSQL 11+ stores without rewriting: constants, casts of them, stable calls. */
function isNonVolatile(expr: unknown): boolean {
  const entry = unwrap(expr);
  if (entry === undefined) return false;
  const [type, node] = entry;
  switch (type) {
    case 'A_Const':
    case 'SQLValueFunction':
      return true;
    case 'TypeCast':
      return isNonVolatile(node.arg);
    case 'A_Expr':
      return (node.lexpr === undefined || isNonVolatile(node.lexpr)) && isNonVolatile(node.rexpr);
    case 'A_ArrayExpr':
      return asArray(node.elements).every(isNonVolatile);
    case 'BoolExpr':
      return asArray(node.args).every(isNonVolatile);
    case 'FuncCall': {
      const name = names(node.funcname).at(-1)?.toLowerCase() ?? '';
      return asArray(node.args).length === 0 && NON_VOLATILE_CALLS.has(name);
    }
    default:
      return false;
  }
}

const isNullConstant = (expr: unknown): boolean => child(expr, 'A_Const')?.isnull === true;

const SERIAL_TYPES = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** Statements that may take locks other queries wait on (squawk's "possibly slow" statements). */
function possiblySlow(s: PgStatement): boolean {
  if (/^(Alter|Create|Drop)/.test(s.type)) return true;
  if (s.type === 'VacuumStmt') return s.node.is_vacuumcmd === true;
  return SLOW_OTHERS.has(s.type);
}
const SLOW_OTHERS = new Set([
  'IndexStmt',
  'ViewStmt',
  'DefineStmt',
  'CompositeTypeStmt',
  'RenameStmt',
  'CommentStmt',
  'ClusterStmt',
  'LockStmt',
  'RefreshMatViewStmt',
  'ReindexStmt',
  'TruncateStmt',
  'RuleStmt',
  'ImportForeignSchemaStmt',
  'LoadStmt',
]);

/** The first word token `word` of the statement, for positions the tree does not give. */
function wordAt(s: PgStatement, word: string): number {
  const t = s.tokens().find((x: Token) => x.type === 'word' && s.word(x) === word);
  return t?.start ?? s.start;
}

/** DropStmt objects with the file offset of each (the statement's start when the tree has none). */
function dropped(s: PgStatement): { name: string | undefined; offset: number }[] {
  return asArray(s.node.objects).map((o) => ({
    name: droppedName(o),
    offset: s.start,
  }));
}

/** A DROP of `removeTypes` that does not only drop objects created earlier in the file. */
function dropsExisting(s: PgStatement, f: PgFile, removeTypes: readonly string[]): boolean {
  if (s.type !== 'DropStmt' || !removeTypes.includes(asString(s.node.removeType) ?? '')) return false;
  const kind = dropKind(s.node.removeType);
  return dropped(s).some((o) => kind === undefined || !f.created(kind, o.name));
}

function dropCheck(removeTypes: readonly string[], what: (s: PgStatement) => string): PgCheck {
  return {
    statement(s, f, report) {
      if (dropsExisting(s, f, removeTypes))
        report(s.start, `${what(s)} breaks the clients that still use it.`);
    },
  };
}

const dropTarget = (s: PgStatement): string =>
  asArray(s.node.objects)
    .map((o) => droppedName(o))
    .filter((x) => x !== undefined)
    .join(', ');

/** ALTER TABLE actions of the given subtypes on a table (any relation kind when `kinds` is unset). */
function eachCommand(
  s: PgStatement,
  subtypes: ReadonlySet<string>,
  visit: (cmd: AlterCommand) => void,
  objtypes?: readonly string[],
): void {
  if (s.type !== 'AlterTableStmt') return;
  const objtype = asString(s.node.objtype) ?? 'OBJECT_TABLE';
  if (objtypes !== undefined && !objtypes.includes(objtype)) return;
  for (const cmd of s.commands()) if (subtypes.has(cmd.subtype)) visit(cmd);
}

/** A compatibility check over ALTER TABLE actions, skipping tables created earlier in the file. */
function commandCheck(
  subtypes: readonly string[],
  message: (cmd: AlterCommand, s: PgStatement) => string,
  objtypes: readonly string[] = ['OBJECT_TABLE', 'OBJECT_FOREIGN_TABLE'],
): PgCheck {
  const set = new Set(subtypes);
  return {
    statement(s, f, report) {
      if (f.isNewTable(s.relation?.name)) return;
      eachCommand(s, set, (cmd) => report(cmd.offset, message(cmd, s)), objtypes);
    },
  };
}

// ---- the checks ------------------------------------------------------------------------------------

type CheckedRule = Exclude<PostgresRuleName, PostgresMetaRule>;

export const POSTGRES_CHECKS: Readonly<Record<CheckedRule, PgCheck>> = {
  'adding-field-with-default': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype !== 'AT_AddColumn') continue;
        const def = columnDef(cmd);
        const column = asString(def?.colname) ?? '?';
        for (const c of constraintsOf(def)) {
          if (c.contype === 'CONSTR_DEFAULT') {
            if (isNullConstant(c.raw_expr)) continue;
            const volatile = !isNonVolatile(c.raw_expr);
            if (!volatile && f.pgVersion >= 11) continue;
            const { from, to } = constraintText(s, cmd, c);
            const withoutDefault =
              s.slice(cmd.offset, from).trim() + s.slice(to, cmd.offset + s.commandText(cmd).length);
            const fix = `${s.commandsPrefix()} ${withoutDefault.trim()};\nALTER TABLE ${table(s)} ALTER COLUMN ${quoteIdent(column)} SET ${s.slice(from, to).trim()};\n-- then backfill existing rows in batches`;
            report(
              s.at(location(asNode(c.raw_expr)) ?? location(c)),
              volatile
                ? `Adding column ${column} with a volatile default rewrites the whole table under an ACCESS EXCLUSIVE lock.`
                : `Before PostgreSQL 11, adding column ${column} with a default rewrites the whole table under an ACCESS EXCLUSIVE lock.`,
              fix,
            );
          } else if (c.contype === 'CONSTR_GENERATED' && (c.generated_kind === 's' || f.pgVersion < 18)) {
            report(
              s.at(location(c)),
              `Adding the stored generated column ${column} rewrites the whole table under an ACCESS EXCLUSIVE lock.`,
              `Add ${column} as a plain nullable column, fill it with a trigger and a batched backfill${f.pgVersion >= 18 ? ', or make it GENERATED ... VIRTUAL (PostgreSQL 18)' : ''}.`,
            );
          } else if (c.contype === 'CONSTR_IDENTITY') {
            report(
              s.at(location(c)),
              `Adding the identity column ${column} fills every row, rewriting the table under an ACCESS EXCLUSIVE lock.`,
              `Add ${column} as a plain nullable bigint, backfill it in batches from a sequence, then add the identity.`,
            );
          }
        }
        const type = columnType(def?.typeName);
        if (
          type !== undefined &&
          SERIAL_TYPES.has(type.name) &&
          !constraintsOf(def).some((c) => c.contype === 'CONSTR_PRIMARY')
        ) {
          report(
            s.at(location(type.node)),
            `Adding the ${type.name} column ${column} fills every row from a sequence, rewriting the table under an ACCESS EXCLUSIVE lock.`,
            `Add ${column} as a plain nullable bigint, backfill it in batches, then give it a default or an identity.`,
          );
        }
      }
    },
  },

  'adding-foreign-key-constraint': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      for (const cmd of s.commands()) {
        const added = addedConstraint(cmd);
        if (added?.contype === 'CONSTR_FOREIGN' && added.skip_validation !== true) {
          const text = s.commandText(cmd);
          report(
            s.at(location(added)),
            `Adding foreign key ${asString(added.conname) ?? ''} validates every row of ${table(s)} while holding a SHARE ROW EXCLUSIVE lock on it and on ${relation(added.pktable)?.name ?? 'the referenced table'}, blocking writes to both.`.replace(
              '  ',
              ' ',
            ),
            `${s.commandsPrefix()} ${text} NOT VALID;\nALTER TABLE ${table(s)} VALIDATE CONSTRAINT ${quoteIdent(asString(added.conname) ?? 'constraint_name')}; -- in a later transaction`,
          );
        }
        if (cmd.subtype === 'AT_AddColumn') {
          for (const c of constraintsOf(columnDef(cmd))) {
            if (c.contype !== 'CONSTR_FOREIGN') continue;
            report(
              s.at(location(c)),
              `Adding a column with REFERENCES takes a SHARE ROW EXCLUSIVE lock on ${table(s)} and on ${relation(c.pktable)?.name ?? 'the referenced table'}, blocking writes to both.`,
              'Add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and VALIDATE CONSTRAINT in a later transaction.',
            );
          }
        }
      }
    },
  },

  'adding-not-nullable-field': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      const t = s.relation?.name ?? '';
      for (const cmd of s.commands()) {
        if (cmd.subtype !== 'AT_SetNotNull') continue;
        const column = cmd.name ?? '';
        if (f.pgVersion >= 12) {
          if (f.validatedNotNull.has(`${t}.${column}`)) continue;
          if (f.externalValidates.has(t)) {
            // decided at the end: the validated constraint must be the column's helper and be dropped
            const deferred = (f.memo.get('not-null-deferred') as DeferredNotNull[] | undefined) ?? [];
            deferred.push({
              table: t,
              column,
              offset: cmd.offset,
              message: setNotNullMessage(column, f),
              fix: setNotNullFix(s, column, f),
            });
            f.memo.set('not-null-deferred', deferred);
            continue;
          }
        }
        report(cmd.offset, setNotNullMessage(column, f), setNotNullFix(s, column, f));
      }
    },
    end(f, report) {
      const deferred = (f.memo.get('not-null-deferred') as DeferredNotNull[] | undefined) ?? [];
      const generic = new Map<string, number>();
      const precise = new Set<string>();
      for (const [t, validated] of f.externalValidates) {
        for (const name of validated) {
          if (!f.droppedConstraints.has(`${t}.${name}`)) continue;
          const stem = name.endsWith('_not_null') ? name.slice(0, -'_not_null'.length) : undefined;
          const column =
            stem === undefined || stem === '' || stem === t
              ? undefined
              : stem.startsWith(`${t}_`)
                ? stem.slice(t.length + 1)
                : stem;
          if (column === undefined || column === '') generic.set(t, (generic.get(t) ?? 0) + 1);
          else precise.add(`${t}.${column}`);
        }
      }
      for (const d of deferred) {
        if (precise.has(`${d.table}.${d.column}`)) continue;
        const left = generic.get(d.table) ?? 0;
        if (left > 0) {
          generic.set(d.table, left - 1);
          continue;
        }
        report(d.offset, d.message, d.fix);
      }
    },
  },

  'adding-required-field': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype !== 'AT_AddColumn') continue;
        const cs = constraintsOf(columnDef(cmd));
        const kinds = new Set(cs.map((c) => c.contype));
        if (!kinds.has('CONSTR_NOTNULL') && !kinds.has('CONSTR_PRIMARY')) continue;
        if (kinds.has('CONSTR_DEFAULT') || kinds.has('CONSTR_GENERATED') || kinds.has('CONSTR_IDENTITY'))
          continue;
        const type = columnType(columnDef(cmd)?.typeName);
        if (type !== undefined && SERIAL_TYPES.has(type.name)) continue;
        if (!kinds.has('CONSTR_NOTNULL')) continue;
        const column = asString(columnDef(cmd)?.colname) ?? '?';
        report(
          cmd.offset,
          `Adding ${column} as NOT NULL without a DEFAULT makes it required: the statement fails on a table with rows, and inserts that omit it fail.`,
          `${s.commandsPrefix()} ${s.commandText(cmd).replace(/\s+not\s+null\b/i, '')};\n-- deploy writers that fill ${column}, backfill, then SET NOT NULL (through a validated CHECK)`,
        );
      }
    },
  },

  'adding-serial-primary-key-field': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      for (const cmd of s.commands()) {
        const added = addedConstraint(cmd);
        const columnPk =
          cmd.subtype === 'AT_AddColumn'
            ? constraintsOf(columnDef(cmd)).find((c) => c.contype === 'CONSTR_PRIMARY')
            : undefined;
        const pk = added?.contype === 'CONSTR_PRIMARY' ? added : columnPk;
        if (pk === undefined || typeof pk.indexname === 'string') continue;
        const keys = names(pk.keys);
        const cols = keys.length > 0 ? keys : [asString(columnDef(cmd)?.colname) ?? 'id'];
        const index = `${s.relation?.name ?? 't'}_pkey`;
        report(
          s.at(location(pk)),
          `Adding a PRIMARY KEY to ${table(s)} builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes.`,
          `CREATE UNIQUE INDEX CONCURRENTLY ${index} ON ${table(s)} (${cols.map(quoteIdent).join(', ')});\nALTER TABLE ${table(s)} ADD CONSTRAINT ${index} PRIMARY KEY USING INDEX ${index};`,
        );
      }
    },
  },

  'ban-alter-domain-with-add-constraint': {
    statement(s, _f, report) {
      if (s.type === 'AlterDomainStmt' && s.node.subtype === 'C')
        report(
          s.start,
          `Adding a constraint to domain ${names(s.node.typeName).join('.')} checks every column of that domain while holding locks.`,
        );
    },
  },

  'ban-char-field': typeCheck(
    (t) => t.name === 'bpchar' || t.name === 'char' || t.name === 'character',
    (t) =>
      `Column type ${t.keyword ? 'char' : t.name} pads values with spaces; it should almost always be text.`,
    () => 'text',
  ),

  'ban-concurrent-index-creation-in-transaction': {
    statement(s, f, report) {
      if (s.type !== 'IndexStmt' || s.node.concurrent !== true || !f.inTransaction || f.statementCount <= 1)
        return;
      report(
        wordAt(s, 'concurrently'),
        f.explicitTransaction
          ? 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block: the migration fails here.'
          : 'CREATE INDEX CONCURRENTLY cannot run inside the transaction the migration tool wraps this file in.',
        f.explicitTransaction
          ? 'Move the statement after the COMMIT (outside BEGIN ... COMMIT).'
          : 'Put the CREATE INDEX CONCURRENTLY in a migration file of its own (tools run such a file outside a transaction).',
      );
    },
  },

  'ban-create-domain-with-constraint': {
    statement(s, _f, report) {
      if (s.type !== 'CreateDomainStmt') return;
      const c = asArray(s.node.constraints)
        .map((x) => child(x, 'Constraint'))
        .find(
          (x) =>
            x !== undefined &&
            x.contype !== 'CONSTR_NOTNULL' &&
            x.contype !== 'CONSTR_NULL' &&
            x.contype !== 'CONSTR_DEFAULT',
        );
      if (c !== undefined)
        report(
          s.at(location(c)),
          `Domain ${names(s.node.domainname).join('.')} has a constraint that can later be changed only by checking every column of the domain.`,
        );
    },
  },

  'ban-drop-column': commandCheck(
    ['AT_DropColumn'],
    (cmd, s) => `Dropping column ${cmd.name ?? ''} of ${table(s)} breaks the queries that still use it.`,
    ['OBJECT_TABLE', 'OBJECT_FOREIGN_TABLE'],
  ),

  'ban-drop-constraint': commandCheck(
    ['AT_DropConstraint'],
    (cmd, s) =>
      `Dropping constraint ${cmd.name ?? ''} of ${table(s)} removes a guarantee clients may rely on.`,
  ),

  'ban-drop-database': {
    statement(s, _f, report) {
      if (s.type === 'DropdbStmt')
        report(
          s.start,
          `DROP DATABASE ${asString(s.node.dbname) ?? ''} loses all of its data and cannot be rolled back.`,
        );
    },
  },

  'ban-drop-default': {
    statement(s, f, report) {
      if (s.type === 'AlterDomainStmt' && s.node.subtype === 'T' && s.node.def === undefined) {
        report(
          s.start,
          `Dropping the default of domain ${names(s.node.typeName).join('.')} changes what inserts that omit its columns write.`,
        );
        return;
      }
      if (s.type !== 'AlterTableStmt' || f.isNewTable(s.relation?.name)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype === 'AT_ColumnDefault' && cmd.def === undefined)
          report(
            cmd.offset,
            `Dropping the default of ${table(s)}.${cmd.name ?? ''} makes inserts that omit it fail (NOT NULL) or write NULL.`,
          );
      }
    },
  },

  'ban-drop-domain': dropCheck(['OBJECT_DOMAIN'], (s) => `Dropping domain ${dropTarget(s)}`),
  'ban-drop-extension': dropCheck(['OBJECT_EXTENSION'], (s) => `Dropping extension ${dropTarget(s)}`),
  'ban-drop-function': dropCheck(
    ['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE'],
    (s) => `Dropping ${dropTarget(s)}`,
  ),
  'ban-drop-generated-expression': commandCheck(
    ['AT_DropExpression'],
    (cmd, s) =>
      `Dropping the expression of ${table(s)}.${cmd.name ?? ''} turns it into a plain column readers do not expect.`,
  ),
  'ban-drop-index': dropCheck(['OBJECT_INDEX'], (s) => `Dropping index ${dropTarget(s)}`),

  'ban-drop-not-null': commandCheck(
    ['AT_DropNotNull'],
    (cmd, s) =>
      `Dropping NOT NULL from ${table(s)}.${cmd.name ?? ''} lets NULLs in where readers assume a value.`,
  ),

  'ban-drop-policy': dropCheck(
    ['OBJECT_POLICY', 'OBJECT_RULE'],
    (s) => `Dropping ${s.node.removeType === 'OBJECT_RULE' ? 'rule' : 'policy'} ${dropTarget(s)}`,
  ),
  'ban-drop-schema': dropCheck(['OBJECT_SCHEMA'], (s) => `Dropping schema ${dropTarget(s)}`),
  'ban-drop-sequence': dropCheck(['OBJECT_SEQUENCE'], (s) => `Dropping sequence ${dropTarget(s)}`),
  'ban-drop-table': dropCheck(['OBJECT_TABLE'], (s) => `Dropping table ${dropTarget(s)} loses its rows and`),
  'ban-drop-trigger': dropCheck(
    ['OBJECT_TRIGGER'],
    (s) => `Dropping trigger ${dropTarget(s)} silently changes what writes do and`,
  ),
  'ban-drop-type': dropCheck(
    ['OBJECT_TYPE', 'OBJECT_CAST'],
    (s) => `Dropping ${s.node.removeType === 'OBJECT_CAST' ? 'a cast' : `type ${dropTarget(s)}`}`,
  ),
  'ban-drop-view': dropCheck(['OBJECT_VIEW', 'OBJECT_MATVIEW'], (s) => `Dropping view ${dropTarget(s)}`),

  'ban-duplicate-column-assignments': {
    statement(s, _f, report) {
      const seen = (list: { name: string; offset: number }[], what: string): void => {
        const first = new Set<string>();
        const reported = new Set<string>();
        for (const { name, offset } of list) {
          if (first.has(name) && !reported.has(name)) {
            reported.add(name);
            report(offset, `Column ${name} is ${what} more than once; PostgreSQL rejects the statement.`);
          }
          first.add(name);
        }
      };
      const targets = (list: unknown, whole: boolean): { name: string; offset: number }[] =>
        asArray(list)
          .map((x) => child(x, 'ResTarget'))
          .filter(
            (r): r is PgNode =>
              r !== undefined &&
              typeof r.name === 'string' &&
              (!whole || asArray(r.indirection).length === 0),
          )
          .map((r) => ({ name: r.name as string, offset: s.at(location(r)) }));
      switch (s.type) {
        case 'UpdateStmt':
          seen(targets(s.node.targetList, true), 'assigned');
          break;
        case 'InsertStmt':
          seen(targets(s.node.cols, true), 'assigned');
          break;
        case 'CreateStmt':
          seen(
            asArray(s.node.tableElts)
              .map((x) => child(x, 'ColumnDef'))
              .filter((c): c is PgNode => c !== undefined && typeof c.colname === 'string')
              .map((c) => ({ name: c.colname as string, offset: s.at(location(c)) })),
            'declared',
          );
          break;
        case 'ViewStmt': {
          const aliases = names(s.node.aliases);
          if (aliases.length > 0)
            seen(
              aliases.map((name) => ({ name, offset: s.start })),
              'declared',
            );
          else seen(targets(child(s.node.query, 'SelectStmt')?.targetList, false), 'declared');
          break;
        }
        default:
          break;
      }
    },
  },

  'ban-truncate-cascade': {
    statement(s, _f, report) {
      if (s.type !== 'TruncateStmt' || s.node.behavior !== 'DROP_CASCADE') return;
      const list = asArray(s.node.relations)
        .map((r) => relation(r)?.name)
        .filter((x) => x !== undefined);
      report(
        wordAt(s, 'cascade'),
        `TRUNCATE ${list.join(', ')} CASCADE also empties every table that references ${list.length > 1 ? 'them' : 'it'}, recursively.`,
        `TRUNCATE ${list.join(', ')}, <each referencing table you mean to empty>;`,
      );
    },
  },

  'ban-uncommitted-transaction': {
    end(f, report) {
      if (f.openBegin !== undefined)
        report(
          f.openBegin.start,
          'The transaction is never committed or rolled back: its changes are discarded when the session ends.',
          `${f.openBegin.text};\n...\nCOMMIT;`,
        );
    },
  },

  'changing-column-type': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype !== 'AT_AlterColumnType') continue;
        report(
          cmd.offset,
          `Changing the type of ${table(s)}.${cmd.name ?? ''} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, and can break its readers.`,
        );
      }
    },
  },

  'constraint-missing-not-valid': {
    statement(s, f, report) {
      if (!isTableAlter(s)) return;
      const isNew = f.isNewTable(s.relation?.name);
      for (const cmd of s.commands()) {
        const added = addedConstraint(cmd);
        if (added !== undefined && !isNew && added.skip_validation !== true) {
          if (added.contype === 'CONSTR_CHECK' || added.contype === 'CONSTR_FOREIGN') {
            report(
              cmd.offset,
              `Adding constraint ${asString(added.conname) ?? ''} checks every row of ${table(s)} while blocking writes to it.`.replace(
                '  ',
                ' ',
              ),
              `${s.commandsPrefix()} ${s.commandText(cmd)} NOT VALID;\nALTER TABLE ${table(s)} VALIDATE CONSTRAINT ${quoteIdent(asString(added.conname) ?? 'constraint_name')}; -- in a later transaction`,
            );
          }
        }
        if (
          cmd.subtype === 'AT_ValidateConstraint' &&
          cmd.name !== undefined &&
          f.inTransaction &&
          f.notValidInTransaction.has(cmd.name)
        ) {
          report(
            cmd.offset,
            `Validating ${cmd.name} in the transaction that added it NOT VALID holds the lock through the whole scan, as if NOT VALID had not been used.`,
            `COMMIT after the ADD CONSTRAINT ... NOT VALID, and run ALTER TABLE ${table(s)} VALIDATE CONSTRAINT ${quoteIdent(cmd.name)}; in a later transaction.`,
          );
        }
      }
    },
  },

  'disallowed-unique-constraint': {
    statement(s, f, report) {
      if (!existingTableAlter(s, f)) return;
      for (const cmd of s.commands()) {
        const added = addedConstraint(cmd);
        const inline =
          cmd.subtype === 'AT_AddColumn'
            ? constraintsOf(columnDef(cmd)).find((c) => c.contype === 'CONSTR_UNIQUE')
            : undefined;
        const unique = added?.contype === 'CONSTR_UNIQUE' ? added : inline;
        if (unique === undefined || typeof unique.indexname === 'string') continue;
        const keys = names(unique.keys);
        const cols = keys.length > 0 ? keys : [asString(columnDef(cmd)?.colname) ?? 'column'];
        const name = asString(unique.conname) ?? `${s.relation?.name ?? 't'}_${cols.join('_')}_key`;
        report(
          s.at(location(unique)),
          `Adding a UNIQUE constraint to ${table(s)} builds its index under an ACCESS EXCLUSIVE lock, blocking reads and writes.`,
          `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${table(s)} (${cols.map(quoteIdent).join(', ')});\nALTER TABLE ${table(s)} ADD CONSTRAINT ${quoteIdent(name)} UNIQUE USING INDEX ${quoteIdent(name)};`,
        );
      }
    },
  },

  'identifier-too-long': {
    // PostgreSQL's scanner cuts long names before the parse tree is built: read them from the text.
    statement(s, _f, report) {
      for (const t of s.tokens()) {
        if ((t.type !== 'word' && t.type !== 'quoted') || t.end - t.start <= 63 / 4) continue;
        const raw = s.slice(t.start, t.end);
        const name = t.type === 'quoted' ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
        const bytes = utf8Length(name);
        if (bytes <= 63) continue;
        const cut = Buffer.from(name, 'utf8')
          .subarray(0, 63)
          .toString('utf8')
          .replace(/\uFFFD$/, '');
        report(
          t.start,
          `Identifier ${name} is ${bytes} bytes; PostgreSQL truncates it to 63 (${cut}).`,
          `Shorten it to at most 63 bytes, e.g. ${cut}.`,
        );
      }
    },
  },

  'prefer-bigint-over-int': typeCheck(
    (t) => t.name === 'int4' || t.name === 'serial' || t.name === 'serial4',
    (t) => `Column type ${t.name === 'int4' ? 'integer' : t.name} is 32 bits and overflows at 2,147,483,647.`,
    (t) => (t.name === 'int4' ? 'bigint' : 'bigint GENERATED BY DEFAULT AS IDENTITY'),
  ),

  'prefer-bigint-over-smallint': typeCheck(
    (t) => t.name === 'int2' || t.name === 'smallserial' || t.name === 'serial2',
    (t) => `Column type ${t.name === 'int2' ? 'smallint' : t.name} is 16 bits and overflows at 32,767.`,
    (t) => (t.name === 'int2' ? 'bigint' : 'bigint GENERATED BY DEFAULT AS IDENTITY'),
  ),

  'prefer-identity': typeCheck(
    (t) => SERIAL_TYPES.has(t.name),
    (t) => `Column type ${t.name} owns a separate sequence; an identity column is the standard replacement.`,
    () => 'bigint GENERATED BY DEFAULT AS IDENTITY',
  ),

  'prefer-repack': {
    statement(s, f, report) {
      if (f.pgVersion < 19) return;
      if (s.type === 'ClusterStmt') {
        const rel = relation(s.node.relation);
        const index = asString(s.node.indexname);
        report(
          s.start,
          'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
          `REPACK (CONCURRENTLY)${rel === undefined ? '' : ` ${rel.name}`}${index === undefined ? '' : ` USING INDEX ${index}`};`,
        );
      } else if (s.type === 'VacuumStmt' && s.node.is_vacuumcmd === true) {
        const full = defElems(s.node.options).find((o) => o.name === 'full');
        if (full === undefined || !optionIsOn(full.arg)) return;
        const rels = asArray(s.node.rels)
          .map((r) => relation(child(r, 'VacuumRelation')?.relation)?.name)
          .filter((x) => x !== undefined);
        report(
          s.start,
          'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
          `REPACK (CONCURRENTLY)${rels.length > 0 ? ` ${rels.join(', ')}` : ''};`,
        );
      }
    },
  },

  'prefer-robust-stmts': {
    statement(s, f, report) {
      const outside = !f.inTransaction;
      const ifNotExists = 'Missing IF NOT EXISTS: if the migration fails part way, it cannot be run again.';
      const ifExists = 'Missing IF EXISTS: if the migration fails part way, it cannot be run again.';
      switch (s.type) {
        case 'AlterTableStmt': {
          if (!outside) return;
          for (const cmd of s.commands()) {
            const text = s.commandText(cmd);
            if (cmd.subtype === 'AT_DropConstraint') {
              if (!cmd.missingOk)
                report(
                  cmd.offset,
                  ifExists,
                  `${s.commandsPrefix()} ${text.replace(/^drop\s+constraint/i, (m) => `${m} IF EXISTS`)};`,
                );
            } else if (cmd.subtype === 'AT_AddColumn') {
              if (!cmd.missingOk)
                report(
                  cmd.offset,
                  ifNotExists,
                  `${s.commandsPrefix()} ${text.replace(/^add(\s+column)?/i, (m) => `${m.toLowerCase().includes('column') ? m : `${m} COLUMN`} IF NOT EXISTS`)};`,
                );
            } else if (cmd.subtype === 'AT_DropColumn') {
              if (!cmd.missingOk)
                report(
                  cmd.offset,
                  ifExists,
                  `${s.commandsPrefix()} ${text.replace(/^drop(\s+column)?/i, (m) => `${m} IF EXISTS`)};`,
                );
            } else if (cmd.subtype === 'AT_AddConstraint') {
              const name = asString(addedConstraint(cmd)?.conname);
              if (name !== undefined && f.robustConstraints.get(name) === 'dropped') continue;
              report(
                cmd.offset,
                'Missing transaction: if the migration fails part way, it cannot be run again.',
                `ALTER TABLE ${table(s)} DROP CONSTRAINT IF EXISTS ${quoteIdent(name ?? 'constraint_name')};\n${s.commandsPrefix()} ${text};`,
              );
            } else if (cmd.subtype === 'AT_ValidateConstraint') {
              if (cmd.name !== undefined && f.robustConstraints.has(cmd.name)) continue;
              report(
                cmd.offset,
                'Missing transaction: if the migration fails part way, it cannot be run again.',
                'Run the file in a transaction (BEGIN ... COMMIT).',
              );
            } else {
              report(
                cmd.offset,
                'Missing transaction: if the migration fails part way, it cannot be run again.',
                'Run the file in a transaction (BEGIN ... COMMIT).',
              );
            }
          }
          return;
        }
        case 'IndexStmt':
          if (s.node.if_not_exists === true || typeof s.node.idxname !== 'string') return;
          if (s.node.concurrent === true || outside)
            report(
              s.start,
              ifNotExists,
              `${s.insertAfterWord('index', ' IF NOT EXISTS', ['concurrently'])};`,
            );
          return;
        case 'CreateStmt': {
          if (s.node.if_not_exists === true || !outside) return;
          const temp = relation(s.node.relation);
          if (
            s.node.oncommit === 'ONCOMMIT_DROP' &&
            (s.node.relation as PgNode | undefined)?.relpersistence === 't' &&
            temp !== undefined
          )
            return;
          report(s.start, ifNotExists, `${s.insertAfterWord('table', ' IF NOT EXISTS')};`);
          return;
        }
        case 'DropStmt': {
          const kind = asString(s.node.removeType);
          if (s.node.missing_ok === true || !outside) return;
          if (kind === 'OBJECT_INDEX')
            report(s.start, ifExists, `${s.insertAfterWord('index', ' IF EXISTS', ['concurrently'])};`);
          else if (kind === 'OBJECT_TABLE')
            report(s.start, ifExists, `${s.insertAfterWord('table', ' IF EXISTS')};`);
          else if (kind === 'OBJECT_TYPE')
            report(s.start, ifExists, `${s.insertAfterWord('type', ' IF EXISTS')};`);
          return;
        }
        default:
          return;
      }
    },
  },

  'prefer-text-field': typeCheck(
    (t) => t.name === 'varchar' && t.modifiers > 0,
    () => 'Column type varchar(n): changing its limit later takes an ACCESS EXCLUSIVE lock.',
    () => 'text',
  ),

  'prefer-timestamptz': typeCheck(
    (t) => t.name === 'timestamp',
    () => 'Column type timestamp drops the UTC offset of the values written to it.',
    () => 'timestamptz',
  ),

  'renaming-column': {
    statement(s, f, report) {
      if (s.type !== 'RenameStmt' || s.node.renameType !== 'OBJECT_COLUMN') return;
      const rt = s.node.relationType;
      if (rt !== 'OBJECT_TABLE' && rt !== 'OBJECT_FOREIGN_TABLE' && rt !== 'OBJECT_MATVIEW') return;
      if (f.isNewTable(s.relation?.name)) return;
      report(
        s.start,
        `Renaming ${table(s)}.${asString(s.node.subname) ?? ''} to ${asString(s.node.newname) ?? ''} breaks the queries that use the old name.`,
      );
    },
  },

  'renaming-object': {
    statement(s, f, report) {
      if (s.type === 'AlterEnumStmt' && typeof s.node.oldVal === 'string') {
        report(
          s.start,
          `Renaming enum value ${s.node.oldVal} of ${names(s.node.typeName).join('.')} breaks the clients that use the old value.`,
        );
        return;
      }
      if (s.type !== 'RenameStmt') return;
      const kind = RENAMED_OBJECTS[asString(s.node.renameType) ?? ''];
      if (kind === undefined) return;
      const old = oldName(s);
      if (f.created(kind, old)) return;
      report(
        s.start,
        `Renaming ${kind} ${old ?? ''} to ${asString(s.node.newname) ?? ''} breaks the clients that use the old name.`,
      );
    },
  },

  'renaming-table': {
    statement(s, f, report) {
      if (s.type !== 'RenameStmt' || s.node.renameType !== 'OBJECT_TABLE' || f.isNewTable(s.relation?.name))
        return;
      report(
        s.start,
        `Renaming ${table(s)} to ${asString(s.node.newname) ?? ''} breaks the queries that use the old name.`,
      );
    },
  },

  'require-concurrent-index-creation': {
    statement(s, f, report) {
      if (s.type !== 'IndexStmt' || s.node.concurrent === true) return;
      const rel = relation(s.node.relation);
      if (f.isNewTable(rel?.name) || (s.node.relation as PgNode | undefined)?.inh !== true) return;
      report(
        s.start,
        `Creating an index on ${rel?.name ?? 'the table'} without CONCURRENTLY blocks writes to it for the whole build.`,
        `${s.insertAfterWord('index', ' CONCURRENTLY')};`,
      );
    },
  },

  'require-concurrent-index-deletion': {
    statement(s, f, report) {
      if (s.type !== 'DropStmt' || s.node.removeType !== 'OBJECT_INDEX' || s.node.concurrent === true) return;
      if (!dropsExisting(s, f, ['OBJECT_INDEX'])) return;
      report(
        s.start,
        `Dropping index ${dropTarget(s)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table.`,
        `${s.insertAfterWord('index', ' CONCURRENTLY')};`,
      );
    },
  },

  'require-concurrent-partition-detach': {
    statement(s, f, report) {
      if (f.pgVersion < 14 || f.isNewTable(s.relation?.name)) return;
      eachCommand(s, new Set(['AT_DetachPartition']), (cmd) => {
        const p = child(cmd.def, 'PartitionCmd');
        if (p?.concurrent === true) return;
        report(
          cmd.offset,
          `Detaching partition ${relation(p?.name)?.name ?? ''} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${table(s)}.`,
          `${s.text} CONCURRENTLY;`,
        );
      });
    },
  },

  'require-concurrent-reindex': {
    statement(s, f, report) {
      if (s.type !== 'ReindexStmt' || f.pgVersion < 12) return;
      if (s.node.kind === 'REINDEX_OBJECT_SYSTEM') return;
      const concurrently = defElems(s.node.params).find((p) => p.name === 'concurrently');
      if (concurrently !== undefined && optionIsOn(concurrently.arg)) return;
      const target = RE_INDEX_KIND[asString(s.node.kind) ?? ''] ?? 'index';
      report(
        s.start,
        'REINDEX without CONCURRENTLY blocks writes to the table (and reads through the index) for the whole rebuild.',
        `${s.insertAfterWord(target, ' CONCURRENTLY')};`,
      );
    },
  },

  'require-enum-value-ordering': {
    statement(s, _f, report) {
      if (
        s.type !== 'AlterEnumStmt' ||
        typeof s.node.oldVal === 'string' ||
        typeof s.node.newVal !== 'string'
      )
        return;
      if (typeof s.node.newValNeighbor === 'string') return;
      report(
        s.start,
        `Enum value ${s.node.newVal} goes to the end of ${names(s.node.typeName).join('.')}: say where it belongs with BEFORE or AFTER.`,
        `${s.text} BEFORE '<existing value>';`,
      );
    },
  },

  'require-table-schema': {
    statement(s, _f, report) {
      let rel: ReturnType<typeof relation>;
      if (s.type === 'CreateStmt' || isTableAlter(s)) rel = relation(s.node.relation);
      else if (s.type === 'CreateTableAsStmt') rel = relation((s.node.into as PgNode | undefined)?.rel);
      else if (s.type === 'DropStmt' && s.node.removeType === 'OBJECT_TABLE') {
        for (const o of asArray(s.node.objects)) {
          const parts = names(items(o));
          if (parts.length === 1)
            report(
              s.start,
              `Table ${parts[0]} has no schema: search_path decides which table this drops.`,
              `DROP TABLE public.${parts[0]};`,
            );
        }
        return;
      } else return;
      if (rel === undefined || rel.schema !== undefined) return;
      if ((s.node.relation as PgNode | undefined)?.relpersistence === 't') return;
      report(
        s.at(rel.location),
        `Table ${rel.name} has no schema: search_path decides which table this acts on.`,
        `${s.replace(s.at(rel.location), s.at(rel.location) + rel.name.length, `public.${rel.name}`)};`,
      );
    },
  },

  'require-timeout-settings': {
    statement(s, f, report) {
      if (!possiblySlow(s)) return;
      const reported = (f.memo.get('timeouts') as Set<string> | undefined) ?? new Set<string>();
      f.memo.set('timeouts', reported);
      if (!f.lockTimeout && !reported.has('lock')) {
        reported.add('lock');
        report(
          s.start,
          'Missing SET lock_timeout before a statement that takes locks: it could wait for its lock forever while every later query queues behind it.',
          "SET lock_timeout = '1s';  -- first in the file",
        );
      }
      if (!f.statementTimeout && !reported.has('statement')) {
        reported.add('statement');
        report(
          s.start,
          'Missing SET statement_timeout before a potentially slow statement.',
          "SET statement_timeout = '5s';  -- first in the file",
        );
      }
    },
  },

  'transaction-nesting': {
    // As squawk: with the tool's transaction assumed, any BEGIN or COMMIT of the file interferes with it.
    statement(s, f, report) {
      if (s.type !== 'TransactionStmt') return;
      const kind = asString(s.node.kind) ?? '';
      const help = "Put each transaction in its own migration file, or don't assume the tool's transaction.";
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
        if (f.assumeInTransaction)
          report(
            s.start,
            'There is already a transaction in progress, managed by your migration tool.',
            help,
          );
        else if (f.explicitTransaction)
          report(
            s.start,
            'There is already a transaction in progress: this BEGIN does not start a new one.',
            'Remove this BEGIN.',
          );
      } else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') {
        if (f.assumeInTransaction)
          report(s.start, 'This ends the transaction your migration tool manages.', help);
        else if (!f.inTransaction)
          report(
            s.start,
            'There is no transaction to COMMIT or ROLLBACK.',
            'BEGIN a transaction earlier in the migration, or remove this statement.',
          );
      }
    },
  },

  // ---- application compatibility ----

  'ban-add-column': commandCheck(
    ['AT_AddColumn'],
    (cmd, s) =>
      `Adding column ${asString(columnDef(cmd)?.colname) ?? ''} changes SELECT * and breaks positional INSERTs into ${table(s)}.`,
  ),

  'ban-add-composite-attribute': {
    statement(s, f, report) {
      if (f.created('type', s.relation?.name)) return;
      eachCommand(
        s,
        new Set(['AT_AddColumn']),
        (cmd) =>
          report(
            cmd.offset,
            `Adding attribute ${asString(columnDef(cmd)?.colname) ?? ''} changes the values of type ${table(s)} clients receive.`,
          ),
        ['OBJECT_TYPE'],
      );
    },
  },

  'ban-add-enum-value': {
    statement(s, f, report) {
      if (
        s.type !== 'AlterEnumStmt' ||
        typeof s.node.oldVal === 'string' ||
        typeof s.node.newVal !== 'string'
      )
        return;
      const type = names(s.node.typeName);
      if (f.created('type', type.at(-1))) return;
      report(
        s.start,
        `Enum value ${s.node.newVal} of ${type.join('.')} reaches clients that may not handle it.`,
      );
    },
  },

  'ban-alter-database-options': {
    statement(s, _f, report) {
      if (s.type === 'AlterDatabaseSetStmt')
        report(
          s.start,
          `Changing a setting of database ${asString(s.node.dbname) ?? ''} changes behaviour for all of its clients.`,
        );
      else if (
        s.type === 'AlterDatabaseStmt' &&
        defElems(s.node.options).some((o) => o.name !== 'tablespace')
      )
        report(
          s.start,
          `Changing options of database ${asString(s.node.dbname) ?? ''} changes behaviour for all of its clients.`,
        );
    },
  },

  'ban-alter-extension': {
    statement(s, _f, report) {
      if (s.type === 'AlterExtensionStmt')
        report(
          s.start,
          `Updating extension ${asString(s.node.extname) ?? ''} runs its upgrade scripts, which can change or remove what clients call.`,
        );
      else if (s.type === 'AlterExtensionContentsStmt' && s.node.action === -1)
        report(
          s.start,
          `Dropping a member of extension ${asString(s.node.extname) ?? ''} leaves it unmanaged by later updates.`,
        );
    },
  },

  'ban-alter-function-options': {
    statement(s, _f, report) {
      if (s.type === 'AlterFunctionStmt')
        report(
          s.start,
          `Changing options of ${names(child(s.node.func, 'ObjectWithArgs')?.objname ?? asNode(s.node.func)?.objname).join('.')} changes how it runs for its callers.`,
        );
    },
  },

  'ban-alter-generated-expression': {
    statement(s, f, report) {
      if (s.type !== 'AlterTableStmt' || f.isNewTable(s.relation?.name)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype === 'AT_SetExpression')
          report(
            cmd.offset,
            `Changing the expression of ${table(s)}.${cmd.name ?? ''} changes what readers get.`,
          );
        else if (
          cmd.subtype === 'AT_AddColumn' &&
          constraintsOf(columnDef(cmd)).some((c) => c.contype === 'CONSTR_GENERATED')
        )
          report(
            cmd.offset,
            `The generated column ${asString(columnDef(cmd)?.colname) ?? ''} rejects inserts that supply a value for it.`,
          );
      }
    },
  },

  'ban-alter-identity': {
    statement(s, f, report) {
      if (s.type !== 'AlterTableStmt' || f.isNewTable(s.relation?.name)) return;
      for (const cmd of s.commands()) {
        const generated =
          cmd.subtype === 'AT_SetIdentity' && defElems(cmd.def).some((o) => o.name === 'generated');
        if (cmd.subtype === 'AT_AddIdentity' || cmd.subtype === 'AT_DropIdentity' || generated)
          report(
            cmd.offset,
            `Changing the identity of ${table(s)}.${cmd.name ?? ''} can make inserts that supply or omit it fail.`,
          );
      }
    },
  },

  'ban-alter-policy-condition': {
    statement(s, _f, report) {
      if (s.type === 'AlterPolicyStmt' && (s.node.qual !== undefined || s.node.with_check !== undefined))
        report(
          s.start,
          `Changing the condition of policy ${asString(s.node.policy_name) ?? ''} changes which rows clients can read or write.`,
        );
    },
  },

  'ban-alter-policy-roles': {
    statement(s, _f, report) {
      if (s.type === 'AlterPolicyStmt' && asArray(s.node.roles).length > 0)
        report(
          s.start,
          `Changing the roles of policy ${asString(s.node.policy_name) ?? ''} changes access for the clients of those roles.`,
        );
    },
  },

  'ban-alter-role-options': {
    statement(s, _f, report) {
      if (s.type === 'AlterRoleStmt' || s.type === 'AlterRoleSetStmt') {
        const role = asString(asNode(s.node.role)?.rolename) ?? 'the role';
        report(s.start, `Changing ${role} changes access or behaviour for the clients that use it.`);
      }
    },
  },

  'ban-alter-row-level-security': commandCheck(
    ['AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity'],
    (_cmd, s) =>
      `Changing row level security of ${table(s)} changes which rows every client sees and writes.`,
  ),

  'ban-alter-sequence-values': {
    statement(s, f, report) {
      if (s.type === 'AlterSeqStmt') {
        const rel = relation(s.node.sequence);
        if (f.created('sequence', rel?.name)) return;
        if (defElems(s.node.options).some((o) => SEQUENCE_VALUES.has(o.name)))
          report(
            s.start,
            `Changing the values of sequence ${rel?.name ?? ''} can reissue ids or change their range.`,
          );
        return;
      }
      if (s.type !== 'AlterTableStmt' || f.isNewTable(s.relation?.name)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype === 'AT_SetIdentity' && defElems(cmd.def).some((o) => SEQUENCE_VALUES.has(o.name)))
          report(
            cmd.offset,
            `Changing the identity values of ${table(s)}.${cmd.name ?? ''} can reissue ids or change their range.`,
          );
      }
    },
  },

  'ban-alter-system-options': {
    statement(s, _f, report) {
      if (s.type === 'AlterSystemStmt')
        report(
          s.start,
          `ALTER SYSTEM ${asString(asNode(s.node.setstmt)?.name) ?? ''} changes the server for every database and client.`,
        );
    },
  },

  'ban-alter-view-options': commandCheck(
    ['AT_SetRelOptions', 'AT_ResetRelOptions'],
    (_cmd, s) =>
      `Changing options of view ${table(s)} changes whose permissions apply and which writes succeed.`,
    ['OBJECT_VIEW', 'OBJECT_MATVIEW'],
  ),

  'ban-create-policy': {
    statement(s, f, report) {
      if (s.type !== 'CreatePolicyStmt') return;
      const rel = relation(s.node.table);
      if (f.isNewTable(rel?.name)) return;
      report(
        s.start,
        `Policy ${asString(s.node.policy_name) ?? ''} on ${rel?.name ?? ''} changes which rows clients can read or write.`,
      );
    },
  },

  'ban-detach-inheritance': commandCheck(['AT_DetachPartition', 'AT_DropInherit'], (cmd, s) =>
    cmd.subtype === 'AT_DropInherit'
      ? `NO INHERIT ${relation(cmd.def)?.name ?? ''} hides the rows of ${table(s)} from queries on that parent.`
      : `Detaching ${relation(child(cmd.def, 'PartitionCmd')?.name)?.name ?? 'the partition'} hides its rows from queries on ${table(s)}.`,
  ),

  'ban-disable-trigger': commandCheck(
    [
      'AT_DisableTrig',
      'AT_DisableTrigAll',
      'AT_DisableTrigUser',
      'AT_DisableRule',
      'AT_EnableReplicaTrig',
      'AT_EnableAlwaysTrig',
      'AT_EnableReplicaRule',
      'AT_EnableAlwaysRule',
    ],
    (cmd, s) =>
      `Changing when ${cmd.name ?? 'the triggers'} of ${table(s)} fire changes what writes do, silently.`,
  ),

  'ban-new-write-restriction': {
    statement(s, f, report) {
      if (s.type === 'IndexStmt') {
        const rel = relation(s.node.relation);
        if (s.node.unique === true && !f.isNewTable(rel?.name))
          report(
            s.start,
            `A unique index on ${rel?.name ?? ''} rejects writes of duplicates that clients may still send.`,
          );
        return;
      }
      if (!isTableAlter(s) || f.isNewTable(s.relation?.name)) return;
      for (const cmd of s.commands()) {
        const added = addedConstraint(cmd);
        if (added !== undefined && typeof added.indexname !== 'string')
          report(
            cmd.offset,
            `Constraint ${asString(added.conname) ?? ''} rejects writes that clients may still send.`.replace(
              '  ',
              ' ',
            ),
          );
        else if (cmd.subtype === 'AT_SetNotNull')
          report(
            cmd.offset,
            `NOT NULL on ${table(s)}.${cmd.name ?? ''} rejects writes of NULL that clients may still send.`,
          );
      }
    },
  },

  'ban-replace-view-function': {
    statement(s, _f, report) {
      if (s.type === 'ViewStmt' && s.node.replace === true)
        report(
          s.start,
          `CREATE OR REPLACE VIEW ${relation(s.node.view)?.name ?? ''} can change what its readers get.`,
        );
      else if (s.type === 'CreateFunctionStmt' && s.node.replace === true)
        report(
          s.start,
          `CREATE OR REPLACE of ${names(s.node.funcname).join('.')} can change its results or side effects for its callers.`,
        );
    },
  },

  'ban-replica-identity': commandCheck(
    ['AT_ReplicaIdentity'],
    (_cmd, s) =>
      `Changing the replica identity of ${table(s)} changes what logical replication consumers receive.`,
  ),

  'ban-revoke': {
    statement(s, _f, report) {
      if ((s.type === 'GrantStmt' || s.type === 'GrantRoleStmt') && s.node.is_grant !== true)
        report(s.start, 'Revoking privileges makes the queries of clients that used them fail.');
    },
  },

  'ban-set-default': {
    statement(s, f, report) {
      if (s.type !== 'AlterTableStmt' || f.isNewTable(s.relation?.name)) return;
      for (const cmd of s.commands()) {
        if (cmd.subtype === 'AT_ColumnDefault' && cmd.def !== undefined)
          report(
            cmd.offset,
            `A new default for ${table(s)}.${cmd.name ?? ''} changes what inserts that omit it write.`,
          );
      }
    },
  },

  'ban-set-schema': {
    statement(s, f, report) {
      if (s.type !== 'AlterObjectSchemaStmt') return;
      const rel = relation(s.node.relation);
      const kind = (asString(s.node.objectType) ?? '').replace('OBJECT_', '').toLowerCase();
      const name =
        rel?.name ??
        names(items(s.node.object)).at(-1) ??
        names(child(s.node.object, 'ObjectWithArgs')?.objname).at(-1);
      if (f.created(kind === 'foreign_table' ? 'table' : kind, name)) return;
      report(
        s.start,
        `Moving ${kind.replace('_', ' ')} ${name ?? ''} to schema ${asString(s.node.newschema) ?? ''} breaks clients that use its old schema.`,
      );
    },
  },
};

interface DeferredNotNull {
  table: string;
  column: string;
  offset: number;
  message: string;
  fix: string;
}

function setNotNullMessage(column: string, f: PgFile): string {
  return f.pgVersion >= 12
    ? `SET NOT NULL on ${column} scans the whole table under an ACCESS EXCLUSIVE lock (no validated CHECK (${column} IS NOT NULL) was found before it).`
    : `SET NOT NULL on ${column} scans the whole table under an ACCESS EXCLUSIVE lock (before PostgreSQL 12 a CHECK constraint cannot spare the scan).`;
}

function setNotNullFix(s: PgStatement, column: string, f: PgFile): string {
  const t = table(s);
  const name = quoteIdent(`${s.relation?.name ?? 't'}_${column}_not_null`);
  if (f.pgVersion < 12)
    return `Use a CHECK (${column} IS NOT NULL) NOT VALID constraint, validated in a later transaction, instead of SET NOT NULL.`;
  return `ALTER TABLE ${t} ADD CONSTRAINT ${name} CHECK (${quoteIdent(column)} IS NOT NULL) NOT VALID;\n-- in a later transaction:\nALTER TABLE ${t} VALIDATE CONSTRAINT ${name};\nALTER TABLE ${t} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL;\nALTER TABLE ${t} DROP CONSTRAINT ${name};`;
}

/** A check over every column type a statement defines. */
function typeCheck(
  matches: (t: ColumnType) => boolean,
  message: (t: ColumnType) => string,
  replacement: (t: ColumnType) => string,
): PgCheck {
  return {
    statement(s, _f, report) {
      for (const { type } of definedColumnTypes(s)) {
        if (matches(type))
          report(s.at(location(type.node)), message(type), withType(s, type, replacement(type)));
      }
    },
  };
}

const RENAMED_OBJECTS: Readonly<Record<string, string>> = {
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'view',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'domain',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function',
  OBJECT_AGGREGATE: 'function',
  OBJECT_SCHEMA: 'schema',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_ATTRIBUTE: 'type attribute',
};

function oldName(s: PgStatement): string | undefined {
  const rel = relation(s.node.relation);
  if (rel !== undefined && s.node.renameType !== 'OBJECT_ATTRIBUTE') return rel.name;
  if (typeof s.node.subname === 'string') return s.node.subname;
  const object = s.node.object;
  const withArgs = child(object, 'ObjectWithArgs');
  if (withArgs !== undefined) return names(withArgs.objname).at(-1);
  return names(items(object)).at(-1) ?? names(child(object, 'TypeName')?.names).at(-1);
}

const RE_INDEX_KIND: Readonly<Record<string, string>> = {
  REINDEX_OBJECT_INDEX: 'index',
  REINDEX_OBJECT_TABLE: 'table',
  REINDEX_OBJECT_SCHEMA: 'schema',
  REINDEX_OBJECT_DATABASE: 'database',
};

const SEQUENCE_VALUES = new Set(['restart', 'start', 'increment', 'minvalue', 'maxvalue', 'cycle', 'as']);

function asNode(v: unknown): PgNode | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PgNode) : undefined;
}
