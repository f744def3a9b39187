import { type DynamicSqlContext, readDynamicSql } from './dynamic-sql.js';
import {
  CALL_REASON,
  compare,
  effectFunctionRisk,
  FactCollector,
  MYSQL_EFFECT_FUNCTIONS,
  SQLITE_EFFECT_FUNCTIONS,
} from './risk.js';
import { identifierName, type Token, upperWord } from './sql-lexer.js';
import type { SqlDialect, StatementKind } from './types.js';

// The documented lexical classification (docs/safety.md, "Lexical fallback") for MySQL and SQLite
// statements that node-sql-parser does not accept although the database does (PRAGMA, SHOW, SET NAMES,
// GRANT, CREATE TRIGGER, SQLite's ?1 parameters, UPDATE ... FROM, ...). It reads the statement's leading
// keywords and the names after FROM, JOIN, INTO, UPDATE, TABLE, USING and ON. It never runs for PostgreSQL.

const TRANSACTION = new Set(['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'END', 'XA']);
const DDL = new Set(['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'RENAME', 'COMMENT']);
const UTILITY = new Set([
  'SHOW',
  'DESCRIBE',
  'DESC',
  'EXPLAIN',
  'SET',
  'USE',
  'PRAGMA',
  'VACUUM',
  'ANALYZE',
  'OPTIMIZE',
  'REPAIR',
  'CHECK',
  'CHECKSUM',
  'FLUSH',
  'KILL',
  'LOCK',
  'UNLOCK',
  'LOAD',
  'CALL',
  'DO',
  'HANDLER',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'ATTACH',
  'DETACH',
  'REINDEX',
  'RESET',
  'PURGE',
  'INSTALL',
  'UNINSTALL',
  'CACHE',
  'HELP',
  'BINLOG',
  'CHANGE',
  'SHUTDOWN',
  'RESTART',
  'SIGNAL',
  'RESIGNAL',
  'GET',
  'STOP',
  'BACKUP',
]);
const DCL_OBJECTS = new Set(['USER', 'ROLE']);
/** Statements that start with these words are ones lexical classification understands. */
export function knownLeadingWord(word: string): boolean {
  return (
    word === 'SELECT' ||
    word === 'WITH' ||
    word === 'VALUES' ||
    word === 'TABLE' ||
    word === 'INSERT' ||
    word === 'REPLACE' ||
    word === 'UPDATE' ||
    word === 'DELETE' ||
    word === 'GRANT' ||
    word === 'REVOKE' ||
    TRANSACTION.has(word) ||
    DDL.has(word) ||
    UTILITY.has(word)
  );
}

const CLAUSE_END = new Set([
  'WHERE',
  'GROUP',
  'ORDER',
  'LIMIT',
  'HAVING',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'ON',
  'USING',
  'SET',
  'VALUES',
  'SELECT',
  'RETURNING',
  'WINDOW',
  'FOR',
  'LOCK',
  'INTO',
  'NATURAL',
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'CROSS',
  'FULL',
  'JOIN',
  'STRAIGHT_JOIN',
  'OFFSET',
  'FETCH',
  'WHEN',
  'PARTITION',
  'INDEXED',
  'NOT',
  'USE',
  'IGNORE',
  'FORCE',
  'AS',
  'TABLESAMPLE',
  'DEFAULT',
  'FROM',
  'LATERAL',
  'IF',
  'LIKE',
]);
const READ_PRAGMAS = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_info',
  'index_list',
  'index_xinfo',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
  'function_list',
  'pragma_list',
  'collation_list',
  'database_list',
  'compile_options',
  'module_list',
  'freelist_count',
  'page_count',
  'data_version',
]);
const ACTION_PRAGMAS = new Set(['optimize', 'shrink_memory', 'wal_checkpoint', 'incremental_vacuum']);
const DROP_NOT_COLUMN = new Set([
  'INDEX',
  'KEY',
  'PRIMARY',
  'FOREIGN',
  'CONSTRAINT',
  'CHECK',
  'PARTITION',
  'DEFAULT',
  'UNIQUE',
  'SYSTEM',
]);

/** A cursor over a statement's tokens with the helpers the classification needs. */
class Reader {
  readonly sql: string;
  readonly tokens: readonly Token[];
  readonly dialect: SqlDialect;
  readonly ctes = new Set<string>();
  readonly dynamic: DynamicSqlContext | undefined;

  constructor(
    sql: string,
    tokens: readonly Token[],
    dialect: SqlDialect,
    dynamic: DynamicSqlContext | undefined,
  ) {
    this.sql = sql;
    this.tokens = tokens;
    this.dialect = dialect;
    this.dynamic = dynamic;
  }

  word(i: number): string {
    return upperWord(this.sql, this.tokens[i]);
  }

  text(i: number): string {
    const t = this.tokens[i];
    return t === undefined ? '' : this.sql.slice(t.start, t.end);
  }

  isName(i: number): boolean {
    const t = this.tokens[i];
    return t !== undefined && (t.type === 'word' || t.type === 'quoted');
  }

  /** Reads a dotted name at `i`; returns it and the index after it (name '' if there is none). */
  name(i: number): [string, number] {
    if (!this.isName(i)) return ['', i];
    const parts: string[] = [];
    let j = i;
    while (this.isName(j)) {
      const t = this.tokens[j] as Token;
      parts.push(identifierName(this.sql, t));
      j++;
      if (this.tokens[j]?.type !== 'dot') break;
      j++;
    }
    return [parts.join('.'), j];
  }

  /** Index of the token after the parenthesis group that opens at `i`. */
  skipGroup(i: number): number {
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const t = this.tokens[j] as Token;
      if (t.type === 'open') depth++;
      else if (t.type === 'close') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return this.tokens.length;
  }
}

/**
 * Classifies a MySQL or SQLite statement from its tokens alone. `dynamic` analyzes the SQL that
 * PREPARE and EXECUTE IMMEDIATE hold in strings and remembers what was prepared; without it, that SQL
 * counts as unseen.
 */
export function analyzeLexically(
  sql: string,
  tokens: readonly Token[],
  dialect: SqlDialect,
  dynamic?: DynamicSqlContext,
  ctes: ReadonlySet<string> = new Set(),
): FactCollector {
  const r = new Reader(sql, tokens, dialect, dynamic);
  for (const name of ctes) r.ctes.add(name);
  const facts = new FactCollector();
  let i = 0;
  while (tokens[i]?.type === 'open') i++;
  if (r.word(i) === 'WITH') i = readCtes(r, i + 1, facts);
  const first = r.word(i);
  facts.kind = leadingKind(r, i);
  if (facts.kind !== 'dcl' && TABLE_STATEMENTS.has(first)) scanTables(r, i, bodyStart(r, i), facts);
  if (!NESTING_STATEMENTS.has(first)) scanEffects(r, facts);
  classify(r, i, first, facts);
  return facts;
}

/** Statements whose names after FROM, INTO, TABLE, ... are tables. */
const TABLE_STATEMENTS = new Set([
  'SELECT',
  'VALUES',
  'TABLE',
  'INSERT',
  'REPLACE',
  'UPDATE',
  'DELETE',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'RENAME',
  'LOCK',
  'LOAD',
]);
/** Statements that hold another statement, analyzed on its own. */
const NESTING_STATEMENTS = new Set(['EXPLAIN', 'DESCRIBE', 'DESC']);
const ROUTINES = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']);
const BODY_WORDS = new Set(['BEGIN', 'FOR', 'DO', 'AS', 'RETURN', 'RETURNS', 'WHEN', 'EXECUTE']);

/**
 * Where the body of CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT starts: the body runs later, not now, so
 * its tables are not this statement's. For every other statement: the end.
 */
function bodyStart(r: Reader, i: number): number {
  if (r.word(i) !== 'CREATE') return r.tokens.length;
  let routine = false;
  for (let j = i + 1; j < r.tokens.length; j++) {
    const w = r.word(j);
    if (!routine) {
      if (ROUTINES.has(w)) routine = true;
      else if (j > i + 8) return r.tokens.length;
      continue;
    }
    if (BODY_WORDS.has(w) || r.tokens[j]?.type === 'open') return j;
  }
  return r.tokens.length;
}

function leadingKind(r: Reader, i: number): StatementKind {
  const w = r.word(i);
  if (w === 'SELECT' || w === 'VALUES' || w === 'TABLE') return 'select';
  if (w === 'INSERT' || w === 'REPLACE') return 'insert';
  if (w === 'UPDATE') return 'update';
  if (w === 'DELETE') return 'delete';
  if (w === 'GRANT' || w === 'REVOKE') return 'dcl';
  if (TRANSACTION.has(w)) return 'transaction';
  if (w === 'DROP' && r.word(i + 1) === 'PREPARE') return 'utility';
  if (DDL.has(w)) {
    for (let j = i + 1; j < i + 4; j++) if (DCL_OBJECTS.has(r.word(j))) return 'dcl';
    return 'ddl';
  }
  if (
    w === 'SET' &&
    (r.word(i + 1) === 'PASSWORD' || (r.word(i + 1) === 'DEFAULT' && r.word(i + 2) === 'ROLE'))
  )
    return 'dcl';
  if (w === 'SET' && r.word(i + (SET_SCOPES.has(r.word(i + 1)) ? 2 : 1)) === 'TRANSACTION')
    return 'transaction';
  if (UTILITY.has(w)) return 'utility';
  return 'other';
}

function readCtes(r: Reader, start: number, facts: FactCollector): number {
  let i = start;
  if (r.word(i) === 'RECURSIVE') i++;
  for (;;) {
    const [name, after] = r.name(i);
    if (name === '') return i;
    r.ctes.add(name);
    i = after;
    if (r.tokens[i]?.type === 'open') i = r.skipGroup(i);
    if (r.word(i) !== 'AS') return i;
    i++;
    while (r.word(i) === 'NOT' || r.word(i) === 'MATERIALIZED') i++;
    if (r.tokens[i]?.type !== 'open') return i;
    const body = r.skipGroup(i);
    // the body sees the CTEs declared so far (and, WITH RECURSIVE, itself)
    facts.merge(analyzeLexically(r.sql, r.tokens.slice(i + 1, body - 1), r.dialect, r.dynamic, r.ctes));
    i = body;
    if (r.tokens[i]?.type !== 'comma') return i;
    i++;
  }
}

/** Collects table names after FROM, JOIN, INTO, UPDATE, TABLE, USING and ON. */
function scanTables(r: Reader, start: number, stop: number, facts: FactCollector): void {
  const first = r.word(start);
  const ddl = DDL.has(first) || first === 'LOCK' || first === 'LOAD';
  const aliases = new Map<string, string>();
  const targets: string[] = [];
  const reads: string[] = [];
  const writes: string[] = [];
  let depth = 0;
  for (let i = start; i < stop; i++) {
    const t = r.tokens[i] as Token;
    if (t.type === 'open') depth++;
    if (t.type === 'close') depth--;
    if (t.type !== 'word') continue;
    const w = r.word(i);
    let write = false;
    let list = false;
    if (w === 'FROM') {
      // DELETE FROM t writes t; SQLite's UPDATE ... FROM and SELECT ... FROM read.
      write = depth === 0 && first === 'DELETE' && targets.length === 0;
      list = true;
    } else if (w === 'JOIN' || w === 'STRAIGHT_JOIN') {
      list = false;
    } else if (w === 'INTO') {
      write = depth === 0 && (first === 'INSERT' || first === 'REPLACE' || first === 'LOAD');
      if (!write) continue; // SELECT ... INTO @var / OUTFILE
    } else if (w === 'UPDATE' && i === start) {
      write = true;
      list = true;
    } else if (w === 'TABLE' && (ddl || i === start)) {
      write = ddl && first !== 'LOCK';
      list = first === 'DROP' || first === 'TRUNCATE' || first === 'RENAME' || first === 'LOCK';
    } else if (w === 'TABLES' && first === 'LOCK') {
      list = true;
    } else if (w === 'USING' && first === 'DELETE' && depth === 0) {
      list = true;
    } else if (w === 'ON' && ddl && hasWord(r, start, 'INDEX', 'TRIGGER')) {
      write = true;
    } else if (w === 'DELETE' && i === start && r.dialect === 'mysql' && r.word(i + 1) !== 'FROM') {
      // MySQL's DELETE t1, t2 FROM ...: the names before FROM are the targets (maybe aliases)
      let j = i + 1;
      while (j < r.tokens.length && r.word(j) !== 'FROM') {
        const [name, after] = r.name(j);
        if (name !== '') targets.push(name);
        j = name === '' ? j + 1 : after;
      }
      continue;
    } else {
      continue;
    }
    let j = i + 1;
    while (
      [
        'TABLE',
        'IF',
        'NOT',
        'EXISTS',
        'ONLY',
        'LOW_PRIORITY',
        'IGNORE',
        'QUICK',
        'OR',
        'ROLLBACK',
        'ABORT',
        'FAIL',
      ].includes(r.word(j)) ||
      (r.word(j) === 'REPLACE' && r.word(j - 1) === 'OR')
    )
      j++;
    for (;;) {
      if (r.tokens[j]?.type === 'open') break; // subquery or function
      const [name, after] = r.name(j);
      if (name === '' || (CLAUSE_END.has(r.word(j)) && r.tokens[j]?.type === 'word')) break;
      if (r.tokens[after]?.type === 'open' && !write && !ddl) break; // table-valued function
      j = after;
      const isCte = !name.includes('.') && r.ctes.has(name);
      if (!isCte) {
        if (write && targets.length === 0 && first === 'DELETE') targets.push(name);
        (write ? writes : reads).push(name);
      }
      // alias
      if (r.word(j) === 'AS') j++;
      if (r.isName(j) && !CLAUSE_END.has(r.word(j)) && r.tokens[j]?.type !== 'string') {
        aliases.set(r.name(j)[0], name);
        j = r.name(j)[1];
      }
      if (w === 'TABLE' && first === 'RENAME' && r.word(j) === 'TO') {
        const [to, next] = r.name(j + 1);
        facts.write(to);
        j = next;
      }
      if (!list || r.tokens[j]?.type !== 'comma') break;
      j++;
    }
  }
  // MySQL's DELETE a FROM t AS a JOIN u ...: the targets (maybe aliases) are written, not read
  const targetTables = new Set(targets.map((t) => aliases.get(t) ?? t));
  for (const t of targetTables) writes.push(t);
  for (const t of reads) if (!targetTables.has(t)) facts.read(t);
  for (const t of writes) facts.write(t);
}

function hasWord(r: Reader, start: number, ...words: string[]): boolean {
  for (let i = start; i < Math.min(r.tokens.length, start + 8); i++)
    if (words.includes(r.word(i))) return true;
  return false;
}

/** Function calls with side effects, variable assignment, row locks and SELECT ... INTO. */
function scanEffects(r: Reader, facts: FactCollector): void {
  const table = r.dialect === 'mysql' ? MYSQL_EFFECT_FUNCTIONS : SQLITE_EFFECT_FUNCTIONS;
  for (let i = 0; i < r.tokens.length; i++) {
    const t = r.tokens[i] as Token;
    if (t.type === 'word' && r.tokens[i + 1]?.type === 'open') {
      const name = r.text(i);
      const risk = effectFunctionRisk(name, table);
      if (risk !== undefined) facts.find(risk, `calls ${name.toLowerCase()}(), which has side effects`);
    }
    if (t.type === 'op' && r.text(i) === ':=' && r.tokens[i - 1]?.type === 'variable')
      facts.find('low', 'assigns a user variable');
    if (t.type === 'word' && r.word(i) === 'FOR' && ['UPDATE', 'SHARE'].includes(r.word(i + 1)))
      facts.find('low', 'SELECT ... FOR UPDATE/SHARE locks rows');
    if (t.type === 'word' && r.word(i) === 'LOCK' && r.word(i + 1) === 'IN' && r.word(i + 3) === 'MODE')
      facts.find('low', 'SELECT ... FOR UPDATE/SHARE locks rows');
  }
}

/** The lexical WHERE check: none at top level, or one that is a constant truth (1, TRUE, 1 = 1). */
function whereFinding(r: Reader, start: number, verb: 'UPDATE' | 'DELETE', facts: FactCollector): void {
  let depth = 0;
  let where = -1;
  for (let i = start; i < r.tokens.length; i++) {
    const t = r.tokens[i] as Token;
    if (t.type === 'open') depth++;
    else if (t.type === 'close') depth--;
    else if (depth === 0 && r.word(i) === 'WHERE') {
      where = i;
      break;
    }
  }
  if (where < 0) {
    facts.find('critical', `${verb} without WHERE`);
    return;
  }
  const cond: string[] = [];
  for (let i = where + 1; i < r.tokens.length; i++) {
    const w = r.word(i);
    if (w === 'ORDER' || w === 'LIMIT' || w === 'RETURNING') break;
    cond.push(r.tokens[i]?.type === 'word' ? w : r.text(i));
  }
  if (constantTruth(cond)) facts.find('critical', `${verb} with an always-true WHERE`);
  else facts.find('high', `${verb} changes existing rows`);
}

function literal(text: string): string | number | boolean | undefined {
  if (text === 'TRUE') return true;
  if (text === 'FALSE') return false;
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text);
  if (/^'.*'$/s.test(text) || /^".*"$/s.test(text)) return text.slice(1, -1);
  return undefined;
}

function constantTruth(cond: readonly string[]): boolean {
  const stripped = [...cond];
  while (stripped[0] === '(' && stripped[stripped.length - 1] === ')') stripped.splice(0, 1).pop();
  if (stripped.length === 1) {
    const v = literal(stripped[0] ?? '');
    return v === true || (typeof v === 'number' && v !== 0);
  }
  if (stripped.length === 3) {
    const l = literal(stripped[0] ?? '');
    const r = literal(stripped[2] ?? '');
    if (l !== undefined && r !== undefined) return compare(stripped[1] ?? '', l, r) === true;
    if (
      stripped[0] === stripped[2] &&
      /^[A-Za-z_`"]/.test(stripped[0] ?? '') &&
      ['=', '>=', '<='].includes(stripped[1] ?? '')
    )
      return true;
  }
  // ... OR <constant truth> at the end
  const or = stripped.lastIndexOf('OR');
  return or > 0 && constantTruth(stripped.slice(or + 1));
}

function classify(r: Reader, i: number, first: string, facts: FactCollector): void {
  const second = r.word(i + 1);
  switch (first) {
    case 'SELECT':
    case 'VALUES':
    case 'TABLE':
      if (r.word(i) === 'SELECT') selectInto(r, i, facts);
      return;
    case 'INSERT':
    case 'REPLACE': {
      facts.find('medium', `${first} adds rows`);
      const upsert = upsertForm(r, i);
      if (upsert !== undefined) facts.find('high', `${upsert}: the upsert overwrites existing rows`);
      return;
    }
    case 'UPDATE':
    case 'DELETE':
      whereFinding(r, i, first, facts);
      return;
    case 'GRANT':
    case 'REVOKE':
      facts.find('high', `${first} changes privileges`);
      return;
    case 'DROP':
      if (second === 'PREPARE') {
        dynamicSql(r, i, facts); // DROP PREPARE s is DEALLOCATE PREPARE s
        return;
      }
      ddl(r, i, first, facts);
      return;
    case 'CREATE':
    case 'ALTER':
    case 'RENAME':
    case 'TRUNCATE':
    case 'COMMENT':
      ddl(r, i, first, facts);
      return;
    case 'SET':
      setStatement(r, i, facts);
      return;
    case 'PRAGMA':
      pragma(r, i, facts);
      return;
    case 'EXPLAIN':
    case 'DESCRIBE':
    case 'DESC': {
      let j = i + 1;
      while (
        ['ANALYZE', 'QUERY', 'PLAN', 'EXTENDED', 'PARTITIONS', 'FORMAT'].includes(r.word(j)) ||
        r.text(j) === '=' ||
        (r.word(j - 1) === '' && r.text(j - 1) === '=')
      )
        j++;
      if (first !== 'EXPLAIN' || !knownLeadingWord(r.word(j))) {
        // DESCRIBE users [column]: a look at a table's definition
        const [table] = r.name(i + 1);
        if (table !== '' && !knownLeadingWord(r.word(i + 1))) {
          facts.read(table);
          return;
        }
      }
      const analyzeInner = r.word(i + 1) === 'ANALYZE' && r.dialect === 'mysql';
      const innerTokens = r.tokens.slice(j);
      const inner =
        innerTokens.length > 0
          ? analyzeLexically(r.sql, innerTokens, r.dialect, r.dynamic)
          : new FactCollector();
      if (analyzeInner) {
        facts.merge(inner);
        if (inner.hasEffect) facts.find('low', 'EXPLAIN ANALYZE runs the statement');
      } else facts.merge(inner, true);
      return;
    }
    case 'SHOW':
    case 'HELP':
    case 'CHECK':
    case 'CHECKSUM':
    case 'BEGIN':
    case 'START':
    case 'COMMIT':
    case 'ROLLBACK':
    case 'SAVEPOINT':
    case 'RELEASE':
    case 'END':
      return;
    case 'XA':
      facts.find('medium', 'XA two-phase commit command');
      return;
    case 'LOAD':
      if (second === 'DATA' || second === 'XML') {
        facts.find('medium', 'LOAD DATA loads rows');
        // LOAD DATA ... REPLACE INTO TABLE: rows with a duplicate key replace the old ones
        const into = r.tokens.findIndex((_, k) => k > i && r.word(k) === 'INTO');
        for (let k = i + 2; k < into; k++)
          if (r.word(k) === 'REPLACE')
            facts.find('high', 'LOAD DATA ... REPLACE: the upsert overwrites existing rows');
      } else facts.find('medium', `LOAD ${second}`);
      return;
    case 'USE':
      facts.find('low', 'USE changes the current database');
      return;
    case 'LOCK':
      facts.find('medium', 'LOCK TABLES');
      return;
    case 'PREPARE':
      facts.find('low', 'PREPARE creates a prepared statement');
      dynamicSql(r, i, facts);
      return;
    case 'DEALLOCATE':
      dynamicSql(r, i, facts);
      return;
    case 'UNLOCK':
    case 'HANDLER':
    case 'DO':
    case 'SIGNAL':
    case 'RESIGNAL':
    case 'GET':
      facts.find('low', `${first} changes session state`);
      return;
    case 'CALL':
      facts.find('medium', CALL_REASON);
      return;
    case 'EXECUTE':
      dynamicSql(r, i, facts);
      return;
    case 'KILL':
      facts.find('high', 'KILL ends another session or query');
      return;
    case 'SHUTDOWN':
    case 'RESTART':
    case 'PURGE':
    case 'RESET':
    case 'CHANGE':
    case 'STOP':
    case 'INSTALL':
    case 'UNINSTALL':
    case 'BINLOG':
      facts.find('high', `${first} ${second} changes the server`.replace('  ', ' '));
      return;
    case 'VACUUM':
      facts.find(
        'medium',
        r.word(i + 1) === 'INTO' ? 'VACUUM INTO writes a file' : 'VACUUM rebuilds the database file',
      );
      return;
    case 'ANALYZE':
    case 'OPTIMIZE':
    case 'REPAIR':
    case 'REINDEX':
    case 'FLUSH':
    case 'CACHE':
    case 'BACKUP':
      facts.find(first === 'ANALYZE' ? 'low' : 'medium', `${first} maintains tables or server state`);
      return;
    case 'ATTACH':
    case 'DETACH':
      facts.find('medium', `${first} DATABASE changes the connection's databases`);
      return;
  }
  facts.find('medium', `${first} is not classified`);
}

function selectInto(r: Reader, i: number, facts: FactCollector): void {
  let depth = 0;
  for (let j = i; j < r.tokens.length; j++) {
    const t = r.tokens[j] as Token;
    if (t.type === 'open') depth++;
    else if (t.type === 'close') depth--;
    else if (depth === 0 && r.word(j) === 'INTO') {
      const next = r.word(j + 1);
      if (next === 'OUTFILE' || next === 'DUMPFILE')
        facts.find('medium', 'SELECT ... INTO OUTFILE writes a file on the server');
      else facts.find('low', 'SELECT ... INTO assigns variables');
      return;
    }
  }
}

function ddl(r: Reader, i: number, first: string, facts: FactCollector): void {
  let j = i + 1;
  while (
    [
      'OR',
      'REPLACE',
      'TEMP',
      'TEMPORARY',
      'UNIQUE',
      'VIRTUAL',
      'ONLINE',
      'IGNORE',
      'FULLTEXT',
      'SPATIAL',
      'DEFINER',
      'ALGORITHM',
      'SQL',
      'SECURITY',
      'INVOKER',
    ].includes(r.word(j)) ||
    r.text(j) === '=' ||
    (r.tokens[j]?.type !== 'word' && r.tokens[j - 1] !== undefined && r.text(j - 1) === '=')
  )
    j++;
  const object = r.word(j);
  if (DCL_OBJECTS.has(object)) {
    facts.find('high', `${first} ${object} changes who can log in or what they may do`);
    return;
  }
  switch (first) {
    case 'DROP':
      if (object === 'DATABASE' || object === 'SCHEMA' || object === 'TABLE')
        facts.find('critical', `DROP ${object}`);
      else facts.find('high', `DROP ${object}`);
      return;
    case 'TRUNCATE':
      facts.find('critical', 'TRUNCATE removes every row');
      return;
    case 'RENAME':
      facts.find('high', `RENAME ${object}`);
      return;
    case 'ALTER':
      if (object === 'TABLE') {
        for (let k = j + 1; k < r.tokens.length; k++) {
          if (r.word(k) !== 'DROP') continue;
          const what = r.word(k + 1);
          if (what === 'COLUMN' || (!DROP_NOT_COLUMN.has(what) && r.isName(k + 1))) {
            facts.find('critical', 'ALTER TABLE ... DROP COLUMN');
            break;
          }
        }
        facts.find('high', "ALTER TABLE changes a table's definition");
      } else facts.find(object === 'DATABASE' || object === 'SCHEMA' ? 'high' : 'medium', `ALTER ${object}`);
      return;
    default:
      facts.find('medium', `${first} ${object}`);
  }
}

function pragma(r: Reader, i: number, facts: FactCollector): void {
  const [name, after] = r.name(i + 1);
  const bare = (name.split('.').pop() ?? '').toLowerCase();
  const assigns = r.text(after) === '=';
  const hasArg = r.tokens[after]?.type === 'open';
  if (bare === 'writable_schema' && (assigns || hasArg)) {
    facts.find('high', 'PRAGMA writable_schema lets statements corrupt the schema');
    return;
  }
  if (assigns || (hasArg && !READ_PRAGMAS.has(bare)) || ACTION_PRAGMAS.has(bare)) {
    facts.find('medium', `PRAGMA ${bare} changes a setting or the database file`);
  }
}

/**
 * PREPARE, EXECUTE and EXECUTE IMMEDIATE: the SQL they run is analyzed as the statement it is (through
 * `r.dynamic`, which can parse it); SQL that is not a string literal, or that does not parse, or a name
 * not prepared earlier in the same input, is SQL aishell cannot see: high.
 */
function dynamicSql(r: Reader, i: number, facts: FactCollector): void {
  const d = readDynamicSql(r.sql, r.tokens.slice(i));
  const context = r.dynamic;
  if (d?.verb === 'PREPARE') {
    // the body runs later: what it would prepare or deallocate must not count now
    const body =
      d.text === undefined || context === undefined
        ? undefined
        : context.analyze(d.text, context.prepared.fork());
    if (d.text === undefined)
      facts.find('high', 'PREPARE ... FROM prepares SQL that aishell cannot see (not a string literal)');
    else if (body === undefined)
      facts.find('high', 'PREPARE ... FROM prepares SQL that aishell cannot see (it does not parse)');
    else facts.absorb(body, 'PREPARE ... FROM: ');
    context?.prepared.prepare(d.name, body);
    return;
  }
  if (d?.verb === 'EXECUTE IMMEDIATE') {
    let body: FactCollector | undefined;
    if (d.text !== undefined && context !== undefined) {
      const fork = context.prepared.fork();
      body = context.analyze(d.text, fork);
      context.prepared.forgetChangedIn(fork);
    }
    if (d.text === undefined)
      facts.find('high', 'EXECUTE IMMEDIATE runs SQL that aishell cannot see (not a string literal)');
    else if (body === undefined)
      facts.find('high', 'EXECUTE IMMEDIATE runs SQL that aishell cannot see (it does not parse)');
    else {
      // it runs the statement now: it is that statement (EXECUTE IMMEDIATE 'COMMIT' is a COMMIT)
      facts.absorb(body, 'EXECUTE IMMEDIATE: ');
      facts.kind = body.kind;
    }
    return;
  }
  if (r.word(i) !== 'EXECUTE') {
    if (d?.verb === 'DEALLOCATE') context?.prepared.deallocate(d.name);
    if (r.word(i) !== 'PREPARE') facts.find('low', 'DEALLOCATE changes session state');
    return;
  }
  const prepared = d?.verb === 'EXECUTE' ? context?.prepared.get(d.name) : undefined;
  if (prepared === undefined) facts.find('high', 'EXECUTE runs a prepared statement that aishell cannot see');
  else {
    facts.absorb(prepared, 'EXECUTE (prepared above): ');
    facts.kind = prepared.kind;
  }
}

/** The words that give a SET assignment its scope; the last one applies to the assignments after it. */
const SET_SCOPES = new Set(['GLOBAL', 'PERSIST', 'PERSIST_ONLY', 'SESSION', 'LOCAL']);
const SERVER_SCOPES = new Set(['GLOBAL', 'PERSIST', 'PERSIST_ONLY']);

/**
 * SET: every assignment of the list counts. `SET @a = 1, @@global.x = 2` and
 * `SET SESSION a = 1, GLOBAL b = 2` change the server's configuration as much as `SET GLOBAL x = 1`.
 */
function setStatement(r: Reader, i: number, facts: FactCollector): void {
  const second = r.word(i + 1);
  if (second === 'PASSWORD') {
    facts.find('high', 'SET PASSWORD changes a password');
    return;
  }
  if (second === 'DEFAULT' && r.word(i + 2) === 'ROLE') {
    facts.find('high', 'SET DEFAULT ROLE changes what an account may do');
    return;
  }
  let end = r.tokens.length;
  if (second === 'STATEMENT') {
    // MariaDB's SET STATEMENT a = 1 FOR <statement>: the settings last for the statement, which runs
    end = topLevelWord(r, i + 2, 'FOR');
    if (end < r.tokens.length - 1) {
      facts.merge(analyzeLexically(r.sql, r.tokens.slice(end + 1), r.dialect, r.dynamic));
      facts.find('low', 'SET STATEMENT ... FOR runs the statement after FOR', false);
    }
  }
  let scope = '';
  let session = false;
  let depth = 0;
  let itemStart = second === 'STATEMENT' ? i + 2 : i + 1;
  for (let k = itemStart; k <= end; k++) {
    const t = r.tokens[k];
    if (t?.type === 'open') depth++;
    else if (t?.type === 'close') depth--;
    if (k < end && (t?.type !== 'comma' || depth > 0)) continue;
    // one assignment: [scope] name = value, or @@scope.name = value
    const lead = r.word(itemStart);
    const variable = r.tokens[itemStart]?.type === 'variable' ? r.text(itemStart).toUpperCase() : '';
    const dotted = /^@@([A-Z_]+)\./.exec(variable)?.[1] ?? '';
    if (SET_SCOPES.has(lead)) scope = lead;
    const own = SET_SCOPES.has(dotted) ? dotted : SET_SCOPES.has(lead) ? lead : scope;
    if (SERVER_SCOPES.has(own)) facts.find('high', `SET ${own} changes the server configuration`);
    else session = true;
    itemStart = k + 1;
  }
  if (session) facts.find('low', 'SET changes a session setting');
}

function topLevelWord(r: Reader, from: number, word: string): number {
  let depth = 0;
  for (let k = from; k < r.tokens.length; k++) {
    const t = r.tokens[k] as Token;
    if (t.type === 'open') depth++;
    else if (t.type === 'close') depth--;
    else if (depth === 0 && r.word(k) === word) return k;
  }
  return r.tokens.length;
}

/**
 * The form of an INSERT or REPLACE that overwrites rows already there, if it is one: REPLACE,
 * SQLite's INSERT OR REPLACE, MySQL's ON DUPLICATE KEY UPDATE, ON CONFLICT ... DO UPDATE.
 */
function upsertForm(r: Reader, i: number): string | undefined {
  if (r.word(i) === 'REPLACE') return 'REPLACE';
  if (r.word(i + 1) === 'OR' && r.word(i + 2) === 'REPLACE') return 'INSERT OR REPLACE';
  let depth = 0;
  for (let k = i + 1; k < r.tokens.length; k++) {
    const t = r.tokens[k] as Token;
    if (t.type === 'open') depth++;
    else if (t.type === 'close') depth--;
    if (depth !== 0 || r.word(k) !== 'ON') continue;
    if (r.word(k + 1) === 'DUPLICATE' && r.word(k + 2) === 'KEY' && r.word(k + 3) === 'UPDATE')
      return 'INSERT ... ON DUPLICATE KEY UPDATE';
    if (r.word(k + 1) === 'CONFLICT') {
      const action = topLevelWord(r, k + 2, 'DO');
      if (r.word(action + 1) === 'UPDATE') return 'INSERT ... ON CONFLICT DO UPDATE';
    }
  }
  return undefined;
}
