import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import type { CorpusEntry } from './corpus/corpus-entry.js';
import { MYSQL_CORPUS } from './corpus/mysql-corpus.js';
import { POSTGRES_CORPUS } from './corpus/postgres-corpus.js';
import { SQLITE_CORPUS } from './corpus/sqlite-corpus.js';
import type { SqlDialect } from './types.js';

const CORPORA: Record<SqlDialect, CorpusEntry[]> = {
  postgres: POSTGRES_CORPUS,
  mysql: MYSQL_CORPUS,
  sqlite: SQLITE_CORPUS,
};

const sorted = (a: readonly string[]): string[] => [...a].sort();

describe('the statement corpus', () => {
  it('holds at least 300 statements over the three dialects', () => {
    const total = Object.values(CORPORA).reduce(
      (n, entries) => n + entries.reduce((m, e) => m + e.expected.length, 0),
      0,
    );
    expect(total).toBeGreaterThanOrEqual(300);
  });

  for (const [dialect, entries] of Object.entries(CORPORA) as [SqlDialect, CorpusEntry[]][]) {
    describe(dialect, () => {
      it.each(entries.map((e) => [e.sql, e] as const))('analyzes %s as expected', async (_sql, entry) => {
        const { statements } = await analyze(entry.sql, dialect);
        const actual = statements.map((st) => ({
          kind: st.kind,
          readOnly: st.readOnly,
          risk: st.risk,
          tablesRead: sorted(st.tablesRead),
          tablesWritten: sorted(st.tablesWritten),
        }));
        const expected = entry.expected.map((e) => ({
          ...e,
          tablesRead: sorted(e.tablesRead),
          tablesWritten: sorted(e.tablesWritten),
        }));
        expect(actual).toEqual(expected);
      });
    });
  }
});
