import { describe, expect, it } from 'vitest';
import { SqlParseError } from './errors.js';
import { parsePostgres } from './parse-postgres.js';
import { loadParser } from './parser-loader.js';

describe('parsePostgres', () => {
  it("returns libpg_query's tree with each statement's byte location and length", async () => {
    await loadParser('postgres');
    const sql = '-- née\nALTER TABLE t ADD COLUMN c int;\nCREATE INDEX CONCURRENTLY i ON t (c)';
    const { stmts } = parsePostgres(sql);
    expect(stmts.map((s) => Object.keys(s.stmt ?? {})[0])).toEqual(['AlterTableStmt', 'IndexStmt']);
    const bytes = Buffer.from(sql, 'utf8');
    const [first, second] = stmts;
    // byte offsets: the comment's é is two bytes
    expect(
      bytes.subarray(first?.stmt_location, (first?.stmt_location ?? 0) + (first?.stmt_len ?? 0)).toString(),
    ).toBe('ALTER TABLE t ADD COLUMN c int');
    expect(bytes.subarray(second?.stmt_location).toString()).toBe('CREATE INDEX CONCURRENTLY i ON t (c)');
    const index = second?.stmt?.IndexStmt as { concurrent?: boolean; idxname?: string };
    expect(index).toMatchObject({ concurrent: true, idxname: 'i' });
  });

  it('throws SqlParseError naming the line and column of a syntax error', async () => {
    await loadParser('postgres');
    const sql = 'select 1;\nselect from where;';
    expect(() => parsePostgres(sql)).toThrow(SqlParseError);
    try {
      parsePostgres(sql);
    } catch (error) {
      expect(error).toMatchObject({ code: 'SQL_PARSE', line: 2, column: 13, statementIndex: 1 });
    }
  });
});
