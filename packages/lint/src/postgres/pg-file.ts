import { asArray, asString, child, items, names, type PgNode, relation } from './pg-node.js';
import type { PgStatement } from './pg-statement.js';

/** What the statements before the current one established, as the checks need to know it. */
export class PgFile {
  readonly pgVersion: number;
  readonly assumeInTransaction: boolean;
  readonly statementCount: number;
  /** Inside a transaction (explicit BEGIN, or the one the tool wraps the file in). */
  inTransaction: boolean;
  /** Inside a transaction this file began with BEGIN / START TRANSACTION. */
  explicitTransaction = false;
  /** The BEGIN of the open explicit transaction. */
  openBegin: PgStatement | undefined;
  lockTimeout = false;
  statementTimeout = false;
  /** Objects created earlier in this file, as `kind:name` (`table:users`, `index:users_email_idx`). */
  readonly #created = new Set<string>();
  /** Constraints added NOT VALID in the current transaction. */
  readonly notValidInTransaction = new Set<string>();
  /** CHECK (column IS NOT NULL) NOT VALID constraints added in this file: name -> table.column. */
  readonly notNullChecks = new Map<string, string>();
  /** table.column pairs whose NOT NULL check was validated in this file. */
  readonly validatedNotNull = new Set<string>();
  /** VALIDATE CONSTRAINT of constraints not added in this file, as table -> names. */
  readonly externalValidates = new Map<string, Set<string>>();
  /** DROP CONSTRAINT anywhere in the file, as `table.constraint` (read at the end). */
  readonly droppedConstraints = new Set<string>();
  /** prefer-robust-stmts: constraints dropped (IF EXISTS) and re-added in this file. */
  readonly robustConstraints = new Map<string, 'dropped' | 'added'>();
  /** Per-rule state, for checks that report once per file or decide at its end. */
  readonly memo = new Map<string, unknown>();

  constructor(options: { pgVersion: number; assumeInTransaction: boolean; statementCount: number }) {
    this.pgVersion = options.pgVersion;
    this.assumeInTransaction = options.assumeInTransaction;
    this.inTransaction = options.assumeInTransaction;
    this.statementCount = options.statementCount;
  }

  /** Whether `kind:name` was created earlier in this file (and not dropped since). */
  created(kind: string, name: string | undefined): boolean {
    return name !== undefined && this.#created.has(`${kind}:${name}`);
  }

  /** A table created earlier in the file: it is new, nobody else uses it, so lock rules do not apply. */
  isNewTable(name: string | undefined): boolean {
    return this.created('table', name);
  }

  /** Records what `s` did; called after every check has seen it. */
  observe(s: PgStatement): void {
    const n = s.node;
    switch (s.type) {
      case 'TransactionStmt':
        this.#transaction(s, asString(n.kind) ?? '');
        return;
      case 'VariableSetStmt':
        this.#setting(n);
        return;
      case 'CreateStmt':
      case 'CreateForeignTableStmt': {
        const rel = relation(n.relation ?? child(n, 'base')?.relation);
        if (rel !== undefined) this.#created.add(`table:${rel.name}`);
        return;
      }
      case 'CreateTableAsStmt': {
        const rel = relation(child(n, 'into')?.rel ?? asRecord(n.into)?.rel);
        const kind = n.objtype === 'OBJECT_MATVIEW' ? 'view' : 'table';
        if (rel !== undefined) this.#created.add(`${kind}:${rel.name}`);
        return;
      }
      case 'SelectStmt': {
        const rel = relation(asRecord(n.intoClause)?.rel);
        if (rel !== undefined) this.#created.add(`table:${rel.name}`);
        return;
      }
      case 'IndexStmt':
        if (typeof n.idxname === 'string') this.#created.add(`index:${n.idxname}`);
        return;
      case 'ViewStmt': {
        const rel = relation(n.view);
        if (rel !== undefined && n.replace !== true) this.#created.add(`view:${rel.name}`);
        return;
      }
      case 'CreateSeqStmt': {
        const rel = relation(n.sequence);
        if (rel !== undefined) this.#created.add(`sequence:${rel.name}`);
        return;
      }
      case 'CompositeTypeStmt': {
        const rel = relation(n.typevar);
        if (rel !== undefined) this.#created.add(`type:${rel.name}`);
        return;
      }
      case 'CreateEnumStmt':
      case 'CreateRangeStmt':
        this.#addLast('type', n.typeName);
        return;
      case 'DefineStmt':
        if (n.kind === 'OBJECT_TYPE') this.#addLast('type', n.defnames);
        return;
      case 'CreateDomainStmt':
        this.#addLast('domain', n.domainname);
        return;
      case 'CreateFunctionStmt':
        if (n.replace !== true) this.#addLast('function', n.funcname);
        return;
      case 'CreateSchemaStmt':
        if (typeof n.schemaname === 'string') this.#created.add(`schema:${n.schemaname}`);
        return;
      case 'CreateExtensionStmt':
        if (typeof n.extname === 'string') this.#created.add(`extension:${n.extname}`);
        return;
      case 'CreateTrigStmt':
        if (typeof n.trigname === 'string') this.#created.add(`trigger:${n.trigname}`);
        return;
      case 'CreatePolicyStmt':
        if (typeof n.policy_name === 'string') this.#created.add(`policy:${n.policy_name}`);
        return;
      case 'RenameStmt':
        this.#rename(n);
        return;
      case 'DropStmt':
        this.#drop(n);
        return;
      case 'AlterTableStmt':
        this.#alterTable(s);
        return;
      default:
        return;
    }
  }

  #transaction(s: PgStatement, kind: string): void {
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
      if (!this.inTransaction) this.notValidInTransaction.clear();
      this.inTransaction = true;
      this.explicitTransaction = true;
      this.openBegin = s;
    } else if (
      kind === 'TRANS_STMT_COMMIT' ||
      kind === 'TRANS_STMT_ROLLBACK' ||
      kind === 'TRANS_STMT_PREPARE'
    ) {
      this.inTransaction = false;
      this.explicitTransaction = false;
      this.openBegin = undefined;
      this.notValidInTransaction.clear();
    }
  }

  #setting(n: PgNode): void {
    if (n.kind !== 'VAR_SET_VALUE') return;
    const name = asString(n.name);
    if (name !== 'lock_timeout' && name !== 'statement_timeout') return;
    // `SET lock_timeout = 0` turns the timeout off: it sets nothing.
    const value = child(asArray(n.args)[0], 'A_Const');
    const ival = asRecord(value?.ival)?.ival;
    const sval = asRecord(value?.sval)?.sval;
    const off =
      ival === 0 || (value !== undefined && value.ival !== undefined && ival === undefined) || sval === '0';
    if (name === 'lock_timeout') this.lockTimeout = !off;
    else this.statementTimeout = !off;
  }

  #addLast(kind: string, nameList: unknown): void {
    const name = names(nameList).at(-1);
    if (name !== undefined) this.#created.add(`${kind}:${name}`);
  }

  #rename(n: PgNode): void {
    const newName = asString(n.newname);
    const rel = relation(n.relation);
    if (newName === undefined || rel === undefined) return;
    const kind =
      n.renameType === 'OBJECT_TABLE' ? 'table' : n.renameType === 'OBJECT_INDEX' ? 'index' : undefined;
    if (kind !== undefined && this.created(kind, rel.name)) {
      this.#created.delete(`${kind}:${rel.name}`);
      this.#created.add(`${kind}:${newName}`);
    }
  }

  #drop(n: PgNode): void {
    const kind = DROP_KINDS[asString(n.removeType) ?? ''];
    if (kind === undefined) return;
    for (const object of asArray(n.objects)) {
      const name = droppedName(object);
      if (name !== undefined) this.#created.delete(`${kind}:${name}`);
    }
  }

  #alterTable(s: PgStatement): void {
    const table = s.relation?.name;
    if (table === undefined) return;
    for (const cmd of s.commands()) {
      if (cmd.subtype === 'AT_AddConstraint') {
        const c = child(cmd.def, 'Constraint');
        const name = asString(c?.conname);
        if (c === undefined || name === undefined) continue;
        if (c.skip_validation === true) this.notValidInTransaction.add(name);
        const column =
          c.skip_validation === true && c.contype === 'CONSTR_CHECK'
            ? notNullCheckColumn(c.raw_expr)
            : undefined;
        if (column !== undefined) this.notNullChecks.set(name, `${table}.${column}`);
        if (this.robustConstraints.get(name) === 'dropped') this.robustConstraints.set(name, 'added');
      } else if (cmd.subtype === 'AT_ValidateConstraint' && cmd.name !== undefined) {
        const checked = this.notNullChecks.get(cmd.name) ?? '';
        if (checked.startsWith(`${table}.`)) this.validatedNotNull.add(checked);
        else {
          const set = this.externalValidates.get(table) ?? new Set<string>();
          set.add(cmd.name);
          this.externalValidates.set(table, set);
        }
      } else if (cmd.subtype === 'AT_DropConstraint' && cmd.name !== undefined) {
        this.droppedConstraints.add(`${table}.${cmd.name}`);
        this.robustConstraints.set(cmd.name, 'dropped');
      }
    }
  }
}

const DROP_KINDS: Readonly<Record<string, string>> = {
  OBJECT_TABLE: 'table',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_INDEX: 'index',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'domain',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
};

/** The kind under which `created()` knows objects of a DROP's removeType. */
export function dropKind(removeType: unknown): string | undefined {
  return DROP_KINDS[asString(removeType) ?? ''];
}

/** The object name of one item of DropStmt.objects (the last part: `s.t` -> `t`, `t.trg` -> `trg`). */
export function droppedName(object: unknown): string | undefined {
  const withArgs = child(object, 'ObjectWithArgs');
  if (withArgs !== undefined) return names(withArgs.objname).at(-1);
  const typeName = child(object, 'TypeName');
  if (typeName !== undefined) return names(typeName.names).at(-1);
  const s = child(object, 'String');
  if (s !== undefined) return asString(s.sval);
  return names(items(object)).at(-1);
}

/** `column IS NOT NULL` -> column. */
export function notNullCheckColumn(expr: unknown): string | undefined {
  const test = child(expr, 'NullTest');
  if (test === undefined || test.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const ref = child(test.arg, 'ColumnRef');
  const parts = names(ref?.fields);
  return parts.length === 1 ? parts[0] : undefined;
}

function asRecord(v: unknown): PgNode | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PgNode) : undefined;
}
