import {
  compare,
  effectFunctionRisk,
  FactCollector,
  MYSQL_EFFECT_FUNCTIONS,
  SQLITE_EFFECT_FUNCTIONS,
} from './risk.js';
import type { Risk, SqlDialect, StatementKind } from './types.js';

/** A node of node-sql-parser's AST. */
type Ast = Readonly<Record<string, unknown>>;

const isAst = (v: unknown): v is Ast => typeof v === 'object' && v !== null && !Array.isArray(v);
const asAst = (v: unknown): Ast | undefined => (isAst(v) ? v : undefined);
const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** CTE names visible at a point of the tree, innermost first. */
interface Scope {
  readonly names: ReadonlySet<string>;
  readonly parent: Scope | undefined;
}

const KINDS: Readonly<Record<string, StatementKind>> = {
  select: 'select',
  insert: 'insert',
  replace: 'insert',
  update: 'update',
  delete: 'delete',
  create: 'ddl',
  drop: 'ddl',
  alter: 'ddl',
  truncate: 'ddl',
  rename: 'ddl',
};

/**
 * Analyzes DML and table DDL from node-sql-parser's AST (MySQL, SQLite). Returns undefined for the other
 * statement types, which the caller classifies lexically after the parser has accepted them.
 */
export function analyzeNodeSqlStatement(ast: Ast, dialect: SqlDialect): FactCollector | undefined {
  const type = str(ast.type);
  const kind = KINDS[type];
  if (kind === undefined) return undefined;
  const w = new AstWalker(dialect);
  const facts = w.facts;
  facts.kind = kind;
  switch (type) {
    case 'select':
      w.statement(ast, undefined);
      return facts;
    case 'insert':
    case 'replace':
    case 'update':
    case 'delete':
      w.statement(ast, undefined);
      return facts;
    case 'create': {
      const keyword = str(ast.keyword);
      if (keyword === 'table') {
        for (const t of asArray(ast.table)) facts.write(tableName(t));
        w.walk(ast.query_expr, undefined);
        w.walk(ast.create_definitions, undefined);
        if (ast.like !== undefined && ast.like !== null) w.walk(ast.like, undefined);
        facts.find('medium', ast.query_expr ? 'CREATE TABLE AS creates a table' : 'CREATE TABLE');
        return facts;
      }
      if (keyword === 'view') {
        const v = asAst(ast.view);
        facts.write([str(v?.db), str(v?.view)].filter((p) => p !== '').join('.'));
        w.walk(ast.select, undefined);
        facts.find('medium', 'CREATE VIEW');
        return facts;
      }
      if (keyword === 'index') {
        facts.write(tableName(ast.table));
        facts.find('medium', 'CREATE INDEX');
        return facts;
      }
      return undefined;
    }
    case 'drop': {
      const keyword = str(ast.keyword);
      if (keyword !== 'table' && keyword !== 'view') return undefined;
      for (const t of asArray(ast.name)) facts.write(tableName(t));
      facts.find(keyword === 'table' ? 'critical' : 'high', `DROP ${keyword.toUpperCase()}`);
      return facts;
    }
    case 'truncate':
      for (const t of asArray(ast.name)) facts.write(tableName(t));
      facts.find('critical', 'TRUNCATE removes every row');
      return facts;
    case 'alter': {
      for (const t of asArray(ast.table)) facts.write(tableName(t));
      const dropsColumn = asArray(ast.expr).some((e) => {
        const x = asAst(e);
        return x?.action === 'drop' && x.resource === 'column';
      });
      if (dropsColumn) facts.find('critical', 'ALTER TABLE ... DROP COLUMN');
      facts.find('high', "ALTER TABLE changes a table's definition");
      return facts;
    }
    case 'rename':
      for (const pair of asArray(ast.table)) for (const t of asArray(pair)) facts.write(tableName(t));
      facts.find('high', 'RENAME TABLE');
      return facts;
  }
  return undefined;
}

function tableName(t: unknown): string {
  const a = asAst(t);
  if (a === undefined) return '';
  return [str(a.db) || str(a.schema), str(a.table)].filter((p) => p !== '').join('.');
}

function isTableRef(a: Ast): boolean {
  return typeof a.table === 'string' && a.type !== 'column_ref' && !('column' in a) && !('value' in a);
}

class AstWalker {
  readonly facts = new FactCollector();
  readonly #functions: ReadonlyMap<string, Risk>;

  constructor(dialect: SqlDialect) {
    this.#functions = dialect === 'mysql' ? MYSQL_EFFECT_FUNCTIONS : SQLITE_EFFECT_FUNCTIONS;
  }

  #with(list: unknown, scope: Scope | undefined): Scope | undefined {
    const ctes = asArray(list)
      .map(asAst)
      .filter((c): c is Ast => c !== undefined);
    if (ctes.length === 0) return scope;
    const cteName = (c: Ast): string => str(asAst(c.name)?.value) || str(c.name);
    const names = new Set(ctes.map(cteName));
    if (ctes.some((c) => c.recursive === true)) {
      const inner: Scope = { names, parent: scope };
      for (const c of ctes) this.walk(c.stmt, inner);
      return inner;
    }
    const seen = new Set<string>();
    for (const c of ctes) {
      this.walk(c.stmt, { names: new Set(seen), parent: scope });
      seen.add(cteName(c));
    }
    return { names, parent: scope };
  }

  #ref(a: Ast, scope: Scope | undefined, write: boolean): void {
    const name = tableName(a);
    if (write) this.facts.write(name);
    else if (a.db || !inScope(scope, str(a.table))) this.facts.read(name);
  }

  /** Handles a statement node (select/insert/replace/update/delete), at the top or nested. */
  statement(ast: Ast, outer: Scope | undefined): void {
    const scope = this.#with(ast.with, outer);
    const type = str(ast.type);
    switch (type) {
      case 'select': {
        const into = asAst(ast.into);
        const keyword = str(into?.keyword).toLowerCase();
        if (keyword === 'outfile' || keyword === 'dumpfile')
          this.facts.find('medium', 'SELECT ... INTO OUTFILE writes a file on the server');
        else if (keyword !== '') this.facts.find('low', 'SELECT ... INTO assigns variables');
        if (ast.locking_read) this.facts.find('low', 'SELECT ... FOR UPDATE/SHARE locks rows');
        this.#rest(ast, ['with', 'into'], scope);
        return;
      }
      case 'insert':
      case 'replace': {
        for (const t of asArray(ast.table)) if (isAst(t)) this.#ref(t, scope, true);
        this.facts.find('medium', `${type.toUpperCase()} adds rows`);
        const upsert = upsertForm(ast);
        if (upsert !== undefined) this.facts.find('high', `${upsert}: the upsert overwrites existing rows`);
        this.#rest(ast, ['with', 'table'], scope);
        return;
      }
      case 'update': {
        const tables = asArray(ast.table)
          .map(asAst)
          .filter((t): t is Ast => t !== undefined);
        const targets = new Set(
          asArray(ast.set)
            .map((s) => str(asAst(s)?.table))
            .filter((t) => t !== ''),
        );
        tables.forEach((t, i) => {
          const hit = targets.size === 0 ? i === 0 : targets.has(str(t.as)) || targets.has(str(t.table));
          if (isTableRef(t)) this.#ref(t, scope, hit);
          this.#rest(t, ['table', 'db', 'as'], scope);
        });
        this.#where('UPDATE', ast.where);
        this.#rest(ast, ['with', 'table', 'where'], scope);
        this.walk(ast.where, scope);
        return;
      }
      case 'delete': {
        const from = asArray(ast.from)
          .map(asAst)
          .filter((t): t is Ast => t !== undefined);
        const targets = asArray(ast.table).map((t) => str(asAst(t)?.table));
        for (const f of from) {
          const hit = targets.includes(str(f.as)) || targets.includes(str(f.table));
          if (isTableRef(f)) this.#ref(f, scope, hit);
          this.#rest(f, ['table', 'db', 'as'], scope);
        }
        if (from.length === 0) for (const t of asArray(ast.table)) if (isAst(t)) this.#ref(t, scope, true);
        this.#where('DELETE', ast.where);
        this.walk(ast.where, scope);
        this.#rest(ast, ['with', 'table', 'from', 'where'], scope);
        return;
      }
    }
    this.#rest(ast, ['with'], scope);
  }

  #where(verb: 'UPDATE' | 'DELETE', where: unknown): void {
    if (where === undefined || where === null) this.facts.find('critical', `${verb} without WHERE`);
    else if (truth(where) === true) this.facts.find('critical', `${verb} with an always-true WHERE`);
    else this.facts.find('high', `${verb} changes existing rows`);
  }

  #rest(ast: Ast, skip: readonly string[], scope: Scope | undefined): void {
    for (const key in ast)
      if (!skip.includes(key) && key !== 'tableList' && key !== 'columnList') this.walk(ast[key], scope);
  }

  /** Walks any value: statements nested in subqueries, table references, function calls. */
  walk(value: unknown, scope: Scope | undefined): void {
    if (Array.isArray(value)) {
      for (const v of value) this.walk(v, scope);
      return;
    }
    const a = asAst(value);
    if (a === undefined) return;
    const type = str(a.type);
    if (
      type === 'select' ||
      type === 'insert' ||
      type === 'replace' ||
      type === 'update' ||
      type === 'delete'
    ) {
      this.statement(a, scope);
      return;
    }
    if (isTableRef(a)) this.#ref(a, scope, false);
    if (type === 'function') {
      const n = asAst(a.name);
      const parts = asArray(n?.name).map((p) => str(asAst(p)?.value));
      const name = parts[parts.length - 1] ?? str(a.name);
      const risk = effectFunctionRisk(name, this.#functions);
      if (risk !== undefined) this.facts.find(risk, `calls ${name.toLowerCase()}(), which has side effects`);
    }
    if (type === 'assign') this.facts.find('low', 'assigns a user variable');
    this.#rest(a, isTableRef(a) ? ['table', 'db'] : [], scope);
  }
}

/** REPLACE, SQLite's INSERT OR REPLACE and MySQL's ON DUPLICATE KEY UPDATE overwrite rows already there. */
function upsertForm(ast: Ast): string | undefined {
  if (ast.type === 'replace') return 'REPLACE';
  if (asArray(ast.or).some((o) => str(asAst(o)?.value).toUpperCase() === 'REPLACE'))
    return 'INSERT OR REPLACE';
  if (isAst(ast.on_duplicate_update)) return 'INSERT ... ON DUPLICATE KEY UPDATE';
  return undefined;
}

function inScope(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s !== undefined; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function constant(expr: unknown): string | number | boolean | undefined {
  const a = asAst(expr);
  if (a === undefined) return undefined;
  switch (a.type) {
    case 'number':
      return typeof a.value === 'number' ? a.value : Number(a.value);
    case 'bool':
    case 'boolean':
      return a.value === true || a.value === 'TRUE' || a.value === 'true';
    case 'single_quote_string':
    case 'double_quote_string':
    case 'string':
      return str(a.value);
  }
  return undefined;
}

/** True/false where a condition is a constant truth or falsehood, otherwise undefined. */
function truth(expr: unknown): boolean | undefined {
  const a = asAst(expr);
  if (a === undefined) return undefined;
  const c = constant(a);
  if (typeof c === 'boolean') return c;
  if (typeof c === 'number') return c !== 0;
  if (a.type === 'unary_expr' && str(a.operator).toUpperCase() === 'NOT') {
    const t = truth(a.expr);
    return t === undefined ? undefined : !t;
  }
  if (a.type !== 'binary_expr') return undefined;
  const op = str(a.operator).toUpperCase();
  if (op === 'AND') return truth(a.left) === true && truth(a.right) === true ? true : undefined;
  if (op === 'OR' || op === '||') return truth(a.left) === true || truth(a.right) === true ? true : undefined;
  const l = constant(a.left);
  const r = constant(a.right);
  if (l !== undefined && r !== undefined) return compare(op, l, r);
  const left = asAst(a.left);
  const right = asAst(a.right);
  if (left?.type === 'column_ref' && right?.type === 'column_ref' && ['=', '>=', '<=', '=='].includes(op)) {
    return JSON.stringify([left.table, left.column]) === JSON.stringify([right.table, right.column])
      ? true
      : undefined;
  }
  return undefined;
}
