import { describe, expect, it } from 'vitest';
import { readDynamicSql } from './dynamic-sql.js';
import { tokenize } from './sql-lexer.js';

const read = (sql: string) => readDynamicSql(sql, tokenize(sql, 'mysql'));

describe('readDynamicSql', () => {
  it('reads the SQL of a PREPARE ... FROM string literal with its quotes and escapes undone', () => {
    expect(read("PREPARE s FROM 'SELECT ''a'', \\'b\\', \"c\"'")).toEqual({
      verb: 'PREPARE',
      name: 's',
      text: "SELECT 'a', 'b', \"c\"",
    });
    expect(read('PREPARE `my s` FROM "SELECT \\"x\\""')).toEqual({
      verb: 'PREPARE',
      name: 'my s',
      text: 'SELECT "x"',
    });
  });

  it('joins literals side by side and drops a character set introducer', () => {
    expect(read("PREPARE s FROM _utf8mb4'DROP ' N'TABLE t'")).toMatchObject({ text: 'DROP TABLE t' });
  });

  it('has no text for SQL that is not a string literal', () => {
    for (const sql of [
      'PREPARE s FROM @sql',
      "PREPARE s FROM X'44524F50'",
      "PREPARE s FROM CONCAT('a', 'b')",
      "PREPARE s FROM 'a' || @b",
    ]) {
      expect(read(sql)).toEqual({ verb: 'PREPARE', name: 's', text: undefined });
    }
  });

  it('reads EXECUTE IMMEDIATE up to its USING list', () => {
    expect(read("EXECUTE IMMEDIATE 'DELETE FROM t WHERE id = ?' USING 1")).toEqual({
      verb: 'EXECUTE IMMEDIATE',
      text: 'DELETE FROM t WHERE id = ?',
    });
    expect(read('EXECUTE IMMEDIATE @q')).toEqual({ verb: 'EXECUTE IMMEDIATE', text: undefined });
  });

  it('reads EXECUTE and DEALLOCATE of a name', () => {
    expect(read('EXECUTE s USING @a')).toEqual({ verb: 'EXECUTE', name: 's' });
    expect(read('EXECUTE immediate')).toEqual({ verb: 'EXECUTE', name: 'immediate' });
    expect(read('DEALLOCATE PREPARE s')).toEqual({ verb: 'DEALLOCATE', name: 's' });
    expect(read('DROP PREPARE s')).toEqual({ verb: 'DEALLOCATE', name: 's' });
  });

  it('ignores other statements', () => {
    expect(read('SELECT 1')).toBeUndefined();
  });
});
