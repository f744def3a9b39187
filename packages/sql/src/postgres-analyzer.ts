import type { PreparedStatements } from './prepared-statements.js';
import {
  CALL_REASON,
  compare,
  effectFunctionRisk,
  FactCollector,
  POSTGRES_EFFECT_FUNCTIONS,
  POSTGRES_EFFECT_PREFIXES,
} from './risk.js';
import type { Risk, StatementKind } from './types.js';

/** A node of libpg_query's JSON parse tree. */
type PgNode = Readonly<Record<string, unknown>>;

/** CTE names visible at a point of the tree, innermost first. */
interface Scope {
  readonly names: ReadonlySet<string>;
  readonly parent: Scope | undefined;
}

const isNode = (v: unknown): v is PgNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const asNode = (v: unknown): PgNode | undefined => (isNode(v) ? v : undefined);
const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

const DCL = new Set([
  'GrantStmt',
  'GrantRoleStmt',
  'CreateRoleStmt',
  'AlterRoleStmt',
  'AlterRoleSetStmt',
  'DropRoleStmt',
  'AlterDefaultPrivilegesStmt',
  'ReassignOwnedStmt',
  'DropOwnedStmt',
]);
const DDL_EXTRA = new Set([
  'RenameStmt',
  'CommentStmt',
  'TruncateStmt',
  'DefineStmt',
  'CompositeTypeStmt',
  'IndexStmt',
  'ViewStmt',
  'RuleStmt',
  'RefreshMatViewStmt',
  'SecLabelStmt',
  'ImportForeignSchemaStmt',
  'CreatedbStmt',
  'DropdbStmt',
]);
const UTILITY = new Set([
  'VariableSetStmt',
  'VariableShowStmt',
  'ExplainStmt',
  'CopyStmt',
  'VacuumStmt',
  'ClusterStmt',
  'ReindexStmt',
  'LockStmt',
  'DoStmt',
  'CallStmt',
  'ListenStmt',
  'NotifyStmt',
  'UnlistenStmt',
  'DiscardStmt',
  'CheckPointStmt',
  'LoadStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'DeclareCursorStmt',
  'FetchStmt',
  'ClosePortalStmt',
  'ConstraintsSetStmt',
  'AlterSystemStmt',
]);
/** Statements with no effect at all beyond the current session's cursor or output. */
const READ_ONLY_UTILITY = new Set(['VariableShowStmt', 'FetchStmt', 'ClosePortalStmt']);

const OBJECT_WORDS: Readonly<Record<string, string>> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_TYPE: 'TYPE',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_DATABASE: 'DATABASE',
  OBJECT_COLUMN: 'COLUMN',
};
const TABLE_LIKE = new Set([
  'OBJECT_TABLE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_SEQUENCE',
]);

/** Objects that queries name (`schema.table`, `table.column`, a database in a connection string). */
const NAMED_BY_QUERIES = new Set([
  'OBJECT_TABLE',
  'OBJECT_COLUMN',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
  'OBJECT_SCHEMA',
  'OBJECT_DATABASE',
]);

/** The kind of a top-level PostgreSQL statement node type. */
export function postgresKind(type: string): StatementKind {
  switch (type) {
    case 'SelectStmt':
      return 'select';
    case 'InsertStmt':
      return 'insert';
    case 'UpdateStmt':
      return 'update';
    case 'DeleteStmt':
      return 'delete';
    case 'MergeStmt':
      return 'merge';
    case 'TransactionStmt':
      return 'transaction';
  }
  if (DCL.has(type)) return 'dcl';
  if (UTILITY.has(type)) return 'utility';
  if (DDL_EXTRA.has(type) || /^(Create|Alter|Drop)/.test(type)) return 'ddl';
  return 'other';
}

/**
 * Walks one statement of libpg_query's parse tree and collects kind, tables and findings. With
 * `prepared`, a PREPARE records what it prepares there, DEALLOCATE and DISCARD ALL forget it, and an
 * EXECUTE of a name found there gets the facts of the prepared statement.
 */
export function analyzePostgresStatement(stmt: PgNode, prepared?: PreparedStatements): FactCollector {
  const facts = new FactCollector();
  const [type, raw] = single(stmt);
  const body = asNode(raw) ?? {};
  facts.kind = postgresKind(type);
  const known = type === 'ExecuteStmt' ? prepared?.get(String(body.name)) : undefined;
  if (known !== undefined) {
    facts.absorb(known, 'EXECUTE (prepared above): ');
    facts.kind = known.kind; // it runs the prepared statement: it is that statement
    return facts;
  }
  statement(type, body, facts, undefined, true);
  if (prepared === undefined) return facts;
  if (type === 'PrepareStmt') {
    const query = asNode(body.query);
    prepared.prepare(String(body.name), query === undefined ? undefined : analyzePostgresStatement(query));
  } else if (type === 'DeallocateStmt') {
    prepared.deallocate(body.isall === true || typeof body.name !== 'string' ? undefined : body.name);
  } else if (type === 'DiscardStmt' && body.target === 'DISCARD_ALL') {
    prepared.deallocate(undefined);
  }
  return facts;
}

function single(node: PgNode): [string, unknown] {
  for (const key in node) return [key, node[key]];
  return ['', undefined];
}

function qualifiedName(rv: PgNode): string {
  return [rv.catalogname, rv.schemaname, rv.relname]
    .filter((p) => typeof p === 'string' && p !== '')
    .join('.');
}

function inScope(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s !== undefined; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function stringList(v: unknown): string[] {
  const out: string[] = [];
  for (const item of asArray(v)) {
    const s = asNode(asNode(item)?.String);
    if (typeof s?.sval === 'string') out.push(s.sval);
  }
  return out;
}

function objectWord(objtype: unknown): string {
  return typeof objtype === 'string' ? (OBJECT_WORDS[objtype] ?? objtype.replace(/^OBJECT_/, '')) : '';
}

/** Adds a WITH clause's CTEs to the scope and walks their bodies. */
function withClause(clause: unknown, facts: FactCollector, scope: Scope | undefined): Scope | undefined {
  const w = asNode(clause);
  if (w === undefined) return scope;
  const ctes = asArray(w.ctes)
    .map((c) => asNode(asNode(c)?.CommonTableExpr))
    .filter((c): c is PgNode => c !== undefined);
  const names = new Set(ctes.map((c) => String(c.ctename)));
  if (w.recursive === true) {
    const inner: Scope = { names, parent: scope };
    for (const c of ctes) node(c.ctequery, facts, inner);
    return inner;
  }
  // A CTE sees only the CTEs before it: WITH t AS (SELECT * FROM t) reads the real table t.
  const seen = new Set<string>();
  for (const c of ctes) {
    node(c.ctequery, facts, { names: new Set(seen), parent: scope });
    seen.add(String(c.ctename));
  }
  return { names, parent: scope };
}

/** Walks every value of `body` except the keys in `skip`. */
function rest(body: PgNode, skip: readonly string[], facts: FactCollector, scope: Scope | undefined): void {
  for (const key in body) if (!skip.includes(key)) node(body[key], facts, scope);
}

/** Walks any value of the tree: arrays, wrapper nodes `{ Type: body }` and plain field objects. */
function node(value: unknown, facts: FactCollector, scope: Scope | undefined): void {
  if (Array.isArray(value)) {
    for (const v of value) node(v, facts, scope);
    return;
  }
  if (!isNode(value)) return;
  // Fields typed RangeVar come without the { RangeVar: ... } wrapper (REFERENCES parent, ...).
  if (typeof value.relname === 'string' && typeof value.relpersistence === 'string') {
    relation(value, facts, scope, false);
    return;
  }
  for (const key in value) {
    const body = value[key];
    if (isNode(body) && key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90) {
      statement(key, body, facts, scope, false);
    } else if (typeof body === 'object' && body !== null) {
      node(body, facts, scope);
    }
  }
}

function relation(rv: unknown, facts: FactCollector, scope: Scope | undefined, write: boolean): void {
  const r = asNode(rv);
  if (r === undefined) return;
  const name = qualifiedName(r);
  if (write) facts.write(name);
  else if (r.schemaname !== undefined || !inScope(scope, String(r.relname))) facts.read(name);
}

function dmlWhere(verb: 'UPDATE' | 'DELETE', where: unknown, facts: FactCollector, currentOf: boolean): void {
  if (where === undefined && !currentOf) facts.find('critical', `${verb} without WHERE`);
  else if (where !== undefined && alwaysTrue(where))
    facts.find('critical', `${verb} with an always-true WHERE`);
  else facts.find('high', `${verb} changes existing rows`);
}

/** Handles one node by type; `top` is true for the statement itself (not nested in another). */
function statement(
  type: string,
  body: PgNode,
  facts: FactCollector,
  scope: Scope | undefined,
  top: boolean,
): void {
  switch (type) {
    case 'RangeVar':
      relation(body, facts, scope, false);
      return;
    case 'SelectStmt': {
      const inner = withClause(body.withClause, facts, scope);
      const into = asNode(body.intoClause);
      if (into !== undefined) {
        relation(into.rel, facts, inner, true);
        facts.find('medium', 'SELECT INTO creates a table');
      }
      if (asArray(body.lockingClause).length > 0) facts.find('low', 'SELECT ... FOR UPDATE/SHARE locks rows');
      rest(body, ['withClause', 'intoClause'], facts, inner);
      return;
    }
    case 'InsertStmt': {
      const inner = withClause(body.withClause, facts, scope);
      relation(body.relation, facts, inner, true);
      facts.find('medium', 'INSERT adds rows');
      if (asNode(body.onConflictClause)?.action === 'ONCONFLICT_UPDATE')
        facts.find('high', 'INSERT ... ON CONFLICT DO UPDATE: the upsert overwrites existing rows');
      rest(body, ['withClause', 'relation'], facts, inner);
      if (!top) facts.kind = facts.kind === 'select' ? 'insert' : facts.kind;
      return;
    }
    case 'UpdateStmt': {
      const inner = withClause(body.withClause, facts, scope);
      relation(body.relation, facts, inner, true);
      dmlWhere('UPDATE', body.whereClause, facts, false);
      rest(body, ['withClause', 'relation'], facts, inner);
      if (!top) facts.kind = facts.kind === 'select' ? 'update' : facts.kind;
      return;
    }
    case 'DeleteStmt': {
      const inner = withClause(body.withClause, facts, scope);
      relation(body.relation, facts, inner, true);
      dmlWhere('DELETE', body.whereClause, facts, false);
      rest(body, ['withClause', 'relation'], facts, inner);
      if (!top) facts.kind = facts.kind === 'select' ? 'delete' : facts.kind;
      return;
    }
    case 'MergeStmt': {
      const inner = withClause(body.withClause, facts, scope);
      relation(body.relation, facts, inner, true);
      const changes = asArray(body.mergeWhenClauses).some((c) => {
        const cmd = asNode(asNode(c)?.MergeWhenClause)?.commandType;
        return cmd === 'CMD_UPDATE' || cmd === 'CMD_DELETE';
      });
      facts.find(changes ? 'high' : 'medium', changes ? 'MERGE updates or deletes rows' : 'MERGE adds rows');
      rest(body, ['withClause', 'relation'], facts, inner);
      if (!top) facts.kind = facts.kind === 'select' ? 'merge' : facts.kind;
      return;
    }
    case 'FuncCall': {
      const names = stringList(body.funcname);
      const name = names[names.length - 1] ?? '';
      const risk = effectFunctionRisk(name, POSTGRES_EFFECT_FUNCTIONS, POSTGRES_EFFECT_PREFIXES);
      if (risk !== undefined) facts.find(risk, `calls ${name}(), which has side effects`);
      rest(body, ['funcname'], facts, scope);
      return;
    }
    case 'CreateTableAsStmt': {
      relation(asNode(body.into)?.rel, facts, scope, true);
      facts.find('medium', `CREATE ${objectWord(body.objtype)} AS creates a relation`);
      node(body.query, facts, scope);
      return;
    }
    case 'ExplainStmt': {
      const analyze = asArray(body.options).some((o) => {
        const d = asNode(asNode(o)?.DefElem);
        if (d?.defname !== 'analyze') return false;
        const arg = asNode(asNode(d.arg)?.String)?.sval ?? asNode(asNode(d.arg)?.Boolean)?.boolval;
        return (
          arg === undefined || arg === true || (typeof arg === 'string' && !/^(off|false|0|no)$/i.test(arg))
        );
      });
      const inner = new FactCollector();
      node(body.query, inner, scope);
      if (analyze) {
        facts.merge(inner);
        if (inner.hasEffect) facts.find('low', 'EXPLAIN ANALYZE runs the statement');
      } else {
        facts.merge(inner, true);
      }
      return;
    }
    case 'CopyStmt': {
      const from = body.is_from === true;
      relation(body.relation, facts, scope, from);
      if (from) facts.find('medium', 'COPY ... FROM loads rows');
      if (body.is_program === true) facts.find('high', 'COPY ... PROGRAM runs a command on the server');
      else if (!from && typeof body.filename === 'string')
        facts.find('medium', 'COPY ... TO writes a file on the server');
      node(body.query, facts, scope);
      return;
    }
    case 'TruncateStmt':
      for (const r of asArray(body.relations)) relation(asNode(r)?.RangeVar, facts, scope, true);
      facts.find('critical', 'TRUNCATE removes every row');
      return;
    case 'DropStmt': {
      const removeType = String(body.removeType);
      const word = objectWord(removeType);
      if (TABLE_LIKE.has(removeType)) {
        for (const o of asArray(body.objects))
          facts.write(stringList(asNode(asNode(o)?.List)?.items).join('.'));
      }
      const critical = removeType === 'OBJECT_TABLE' || removeType === 'OBJECT_SCHEMA';
      facts.find(critical ? 'critical' : 'high', `DROP ${word}`);
      return;
    }
    case 'DropdbStmt':
      facts.find('critical', 'DROP DATABASE');
      return;
    case 'AlterTableStmt': {
      const objtype = String(body.objtype);
      if (objtype !== 'OBJECT_INDEX') relation(body.relation, facts, scope, true);
      const cmds = asArray(body.cmds).map((c) => asNode(asNode(c)?.AlterTableCmd));
      if (cmds.some((c) => c?.subtype === 'AT_DropColumn'))
        facts.find('critical', 'ALTER TABLE ... DROP COLUMN');
      if (objtype === 'OBJECT_TABLE') facts.find('high', "ALTER TABLE changes a table's definition");
      else facts.find('medium', `ALTER ${objectWord(objtype)}`);
      return;
    }
    case 'RenameStmt': {
      const renameType = String(body.renameType);
      if (TABLE_LIKE.has(renameType) || renameType === 'OBJECT_COLUMN')
        relation(body.relation, facts, scope, true);
      // queries name these: renaming one breaks every query that does
      const named = NAMED_BY_QUERIES.has(renameType);
      facts.find(named ? 'high' : 'medium', `ALTER ... RENAME (${objectWord(renameType)})`);
      return;
    }
    case 'AlterObjectSchemaStmt':
      if (body.objectType === 'OBJECT_TABLE') {
        // ALTER TABLE t SET SCHEMA s moves the table: every query naming it breaks, as with a rename
        relation(body.relation, facts, scope, true);
        facts.find('high', 'ALTER TABLE ... SET SCHEMA moves the table');
        return;
      }
      break;
    case 'IndexStmt':
      relation(body.relation, facts, scope, true);
      if (body.concurrent === true) facts.find('medium', 'CREATE INDEX CONCURRENTLY');
      else facts.find('high', 'CREATE INDEX without CONCURRENTLY blocks writes to the table');
      return;
    case 'CreateStmt':
      relation(body.relation, facts, scope, true);
      facts.find('medium', 'CREATE TABLE');
      rest(body, ['relation'], facts, scope);
      return;
    case 'ViewStmt':
      relation(body.view, facts, scope, true);
      facts.find('medium', 'CREATE VIEW');
      node(body.query, facts, scope);
      return;
    case 'RefreshMatViewStmt':
      relation(body.relation, facts, scope, true);
      facts.find('medium', 'REFRESH MATERIALIZED VIEW rewrites its rows');
      return;
    case 'GrantStmt':
      facts.find('high', `${body.is_grant === true ? 'GRANT' : 'REVOKE'} changes privileges`);
      return;
    case 'GrantRoleStmt':
      facts.find('high', `${body.is_grant === true ? 'GRANT' : 'REVOKE'} changes role membership`);
      return;
    case 'VariableSetStmt':
      facts.find(
        'low',
        `${body.kind === 'VAR_RESET' || body.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET'} changes a session setting`,
      );
      return;
    case 'AlterSystemStmt':
      facts.find('high', 'ALTER SYSTEM changes the server configuration');
      return;
    case 'TransactionStmt': {
      const kind = String(body.kind);
      if (/PREPARED|PREPARE$/.test(kind)) facts.find('medium', 'two-phase commit command');
      return;
    }
    case 'VacuumStmt': {
      for (const r of asArray(body.rels))
        relation(asNode(asNode(r)?.VacuumRelation)?.relation, facts, scope, false);
      const full = asArray(body.options).some((o) => asNode(asNode(o)?.DefElem)?.defname === 'full');
      if (full) facts.find('high', 'VACUUM FULL rewrites tables under an exclusive lock');
      else if (body.is_vacuumcmd === true) facts.find('medium', 'VACUUM');
      else facts.find('low', 'ANALYZE updates planner statistics');
      return;
    }
    case 'ClusterStmt':
      relation(body.relation, facts, scope, false);
      facts.find('high', 'CLUSTER rewrites tables under an exclusive lock');
      return;
    case 'ReindexStmt':
      relation(body.relation, facts, scope, false);
      facts.find('medium', 'REINDEX');
      return;
    case 'LockStmt':
      for (const r of asArray(body.relations)) relation(asNode(r)?.RangeVar, facts, scope, false);
      facts.find('medium', 'LOCK TABLE');
      return;
    case 'DoStmt':
      facts.find('high', 'DO runs procedural code that aishell cannot analyze');
      return;
    case 'CallStmt':
      facts.find('medium', CALL_REASON);
      rest(body, [], facts, scope);
      return;
    case 'ExecuteStmt':
      facts.find('high', 'EXECUTE runs a prepared statement that aishell cannot see');
      return;
    case 'PrepareStmt':
      node(body.query, facts, scope);
      facts.find('low', 'PREPARE creates a prepared statement');
      return;
    case 'DeclareCursorStmt':
      node(body.query, facts, scope);
      return;
    case 'LoadStmt':
      facts.find('high', 'LOAD loads a shared library into the server');
      return;
    case 'CheckPointStmt':
      facts.find('medium', 'CHECKPOINT');
      return;
    case 'ListenStmt':
    case 'UnlistenStmt':
    case 'NotifyStmt':
    case 'DiscardStmt':
    case 'DeallocateStmt':
    case 'ConstraintsSetStmt':
      facts.find('low', `${type.replace(/Stmt$/, '').toUpperCase()} changes session state`);
      return;
  }
  if (top) {
    topLevelOther(type, body, facts, scope);
    return;
  }
  rest(body, [], facts, scope);
}

function topLevelOther(type: string, body: PgNode, facts: FactCollector, scope: Scope | undefined): void {
  if (READ_ONLY_UTILITY.has(type)) return;
  const kind = postgresKind(type);
  const words = statementWords(type);
  let risk: Risk = 'medium';
  if (kind === 'dcl') risk = 'high';
  else if (type.startsWith('Drop')) risk = 'high';
  facts.find(risk, kind === 'other' ? `${words} is not classified` : words);
  // CREATE SEQUENCE s, CREATE TRIGGER ... ON t, CREATE POLICY ... ON t: DDL on that relation.
  const own = kind === 'ddl' ? ['relation', 'sequence', 'table'].filter((k) => isNode(body[k])) : [];
  for (const key of own) relation(body[key], facts, scope, true);
  rest(body, own, facts, scope);
}

const WORD_FIXES: readonly (readonly [RegExp, string])[] = [
  [/\bSEQ\b/, 'SEQUENCE'],
  [/\bTRIG\b/, 'TRIGGER'],
  [/\bENUM\b/, 'TYPE (ENUM)'],
  [/\bRANGE\b/, 'TYPE (RANGE)'],
  [/^CREATEDB$/, 'CREATE DATABASE'],
  [/^COMPOSITE TYPE$/, 'CREATE TYPE'],
  [/^DEFINE$/, 'CREATE AGGREGATE/OPERATOR/TYPE'],
  [/\bFDW\b/, 'FOREIGN DATA WRAPPER'],
  [/\bPLANG\b/, 'LANGUAGE'],
  [/^ALTER OWNER$/, 'ALTER ... OWNER TO'],
  [/^ALTER OBJECT SCHEMA$/, 'ALTER ... SET SCHEMA'],
];

/** 'CreateSeqStmt' -> 'CREATE SEQUENCE': a statement type in the words a person would write. */
function statementWords(type: string): string {
  let words = type
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  for (const [pattern, replacement] of WORD_FIXES) words = words.replace(pattern, replacement);
  return words;
}

/** True when a WHERE condition holds for every row: TRUE, 1 = 1, 'a' = 'a', x = x, ... OR TRUE. */
export function alwaysTrue(expr: unknown): boolean {
  return truth(expr) === true;
}

function truth(expr: unknown): boolean | undefined {
  const [type, raw] = isNode(expr) ? single(expr) : ['', undefined];
  const body = asNode(raw);
  if (body === undefined) return undefined;
  switch (type) {
    case 'A_Const':
    case 'TypeCast': {
      const v = constant(expr);
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && type === 'TypeCast') return /^(t|true|y|yes|on|1)$/i.test(v);
      return undefined;
    }
    case 'BoolExpr': {
      const args = asArray(body.args).map(truth);
      if (body.boolop === 'AND_EXPR') return args.every((a) => a === true) ? true : undefined;
      if (body.boolop === 'OR_EXPR') return args.some((a) => a === true) ? true : undefined;
      if (body.boolop === 'NOT_EXPR') return args[0] === false ? true : args[0] === true ? false : undefined;
      return undefined;
    }
    case 'A_Expr': {
      if (body.kind !== 'AEXPR_OP') return undefined;
      const op = stringList(body.name).join('.');
      const l = constant(body.lexpr);
      const r = constant(body.rexpr);
      if (l === undefined || r === undefined) {
        // col = col holds for every row where col is not null: the classic way round a WHERE guard
        return sameColumn(body.lexpr, body.rexpr) && (op === '=' || op === '>=' || op === '<=')
          ? true
          : undefined;
      }
      return compare(op, l, r);
    }
  }
  return undefined;
}

function sameColumn(a: unknown, b: unknown): boolean {
  const fa = asNode(asNode(a)?.ColumnRef)?.fields;
  const fb = asNode(asNode(b)?.ColumnRef)?.fields;
  return (
    fa !== undefined && fb !== undefined && JSON.stringify(stringList(fa)) === JSON.stringify(stringList(fb))
  );
}

function constant(expr: unknown): string | number | boolean | undefined {
  const n = asNode(expr);
  const c = asNode(n?.A_Const);
  if (c !== undefined) {
    if (c.boolval !== undefined) return asNode(c.boolval)?.boolval === true;
    if (c.ival !== undefined) return Number(asNode(c.ival)?.ival ?? 0);
    if (c.fval !== undefined) return Number(asNode(c.fval)?.fval ?? 0);
    if (c.sval !== undefined) return String(asNode(c.sval)?.sval ?? '');
    return undefined;
  }
  const cast = asNode(n?.TypeCast);
  if (cast !== undefined) {
    const v = constant(cast.arg);
    const typeNames = stringList(asNode(cast.typeName)?.names);
    const typeName = typeNames[typeNames.length - 1] ?? '';
    if (typeName === 'bool' && typeof v === 'string') return /^(t|true|y|yes|on|1)$/i.test(v);
    return v;
  }
  return undefined;
}

/**
 * Character offsets (in `text`) of the constants of a parse tree: the A_Const nodes that libpg_query's
 * normalize would replace, shifted by `base`. The tree counts bytes; non-ASCII text is converted.
 */
export function constantOffsets(tree: unknown, text: string, base = 0): Set<number> {
  const bytes: number[] = [];
  collectConstants(tree, bytes);
  return new Set(charOffsets(text, bytes).map((c) => (c < 0 ? -1 : c + base)));
}

/** Character offsets in `text` of UTF-8 byte offsets (the parse tree's); -1 inside a character. */
export function charOffsets(text: string, byteOffsets: readonly number[]): number[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test is for plain ASCII
  if (!/[^\u0000-\u007f]/.test(text)) return [...byteOffsets];
  const byteToChar = new Map<number, number>();
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    byteToChar.set(b, i);
    const c = text.codePointAt(i) ?? 0;
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (c >= 0x10000) i++;
  }
  byteToChar.set(b, text.length);
  return byteOffsets.map((x) => byteToChar.get(x) ?? -1);
}

function collectConstants(v: unknown, out: number[]): void {
  if (Array.isArray(v)) {
    for (const x of v) collectConstants(x, out);
    return;
  }
  if (!isNode(v)) return;
  const c = asNode(v.A_Const);
  if (c !== undefined) {
    if (typeof c.location === 'number') out.push(c.location);
    return;
  }
  for (const key in v) {
    const x = v[key];
    if (typeof x === 'object' && x !== null) collectConstants(x, out);
  }
}
