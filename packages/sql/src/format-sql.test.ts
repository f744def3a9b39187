import { describe, expect, it } from 'vitest';
import { SqlFormatError } from './errors.js';
import { formatSql } from './format-sql.js';

describe('formatSql', () => {
  it('formats PostgreSQL with upper-case keywords and two-space indentation', async () => {
    expect(await formatSql('select a, b from t where x = $1', 'postgres')).toBe(
      'SELECT\n  a,\n  b\nFROM\n  t\nWHERE\n  x = $1',
    );
  });

  it('keeps keyword case when asked and uses the indentation width given', async () => {
    expect(await formatSql('select a from t', 'mysql', { keywordCase: 'preserve', indentWidth: 4 })).toBe(
      'select\n    a\nfrom\n    t',
    );
  });

  it("reads each dialect's quoting", async () => {
    expect(await formatSql('select `a` from `t`', 'mysql')).toContain('`a`');
    expect(await formatSql('select [a] from t', 'sqlite')).toContain('[a]');
  });

  it('throws SQL_FORMAT for input the formatter cannot read', async () => {
    const error = await formatSql("select 'abc", 'mysql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlFormatError);
    expect((error as SqlFormatError).code).toBe('SQL_FORMAT');
  });

  it('masks a string literal quoted in the error, which may hold a password', async () => {
    const error = await formatSql("ALTER USER bob IDENTIFIED BY 'hunter2", 'mysql').catch((e: unknown) => e);
    expect((error as SqlFormatError).message).not.toContain('hunter2');
  });
});
