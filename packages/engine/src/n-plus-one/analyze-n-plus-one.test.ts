import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectLogFormat, N_PLUS_ONE_DEFAULTS } from '@aishell/metrics';
import { describe, expect, it } from 'vitest';
import { ANALYZE_N_PLUS_ONE_DEFAULTS, analyzeNPlusOne } from './analyze-n-plus-one.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-n1-'));
function logFile(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function pgLine(ms: number, pid: number, message: string): string {
  const t = new Date(Date.UTC(2024, 2, 5, 10, 0, 0) + ms)
    .toISOString()
    .replace('T', ' ')
    .replace('Z', ' UTC');
  return `${t} [${pid}] app@shop LOG:  ${message}`;
}

/** One query for the orders, then one per order, each in its own transaction; plus unrelated statements. */
function nPlusOneLog(): string[] {
  const lines = [pgLine(0, 100, 'statement: SELECT id FROM orders WHERE customer_id = 7')];
  for (let i = 1; i <= 12; i++) {
    lines.push(pgLine(i * 10, 100, 'statement: BEGIN'));
    lines.push(
      pgLine(
        i * 10 + 1,
        100,
        `statement: SELECT * FROM items WHERE order_id = ${i} AND secret = 'hunter${i}'`,
      ),
    );
    lines.push(pgLine(i * 10 + 2, 100, 'statement: COMMIT'));
  }
  lines.push(pgLine(200, 101, 'statement: SELECT count(*) FROM customers'));
  lines.push(pgLine(210, 101, 'statement: SELEC broken FROM'));
  return lines;
}

describe('analyzeNPlusOne', () => {
  it('reports a fingerprint repeated in one session with its normalized text, counts, span and hint', async () => {
    const report = await analyzeNPlusOne(logFile('pg.log', nPlusOneLog()));
    expect(report).toMatchObject({ format: 'postgres', layout: 'stderr', statements: 39, unparsed: 1 });
    expect(report.findings).toEqual([
      {
        fingerprint: expect.any(String),
        normalized: 'SELECT * FROM items WHERE order_id = $1 AND secret = $2',
        kind: 'select',
        tables: ['items'],
        count: 12,
        largestBurst: 12,
        sessions: 1,
        executions: 12,
        firstAt: '2024-03-05T10:00:00.011Z',
        lastAt: '2024-03-05T10:00:00.121Z',
        spanMs: 110,
        hint: expect.stringContaining('IN (...) or a JOIN'),
      },
    ]);
    // BEGIN and COMMIT repeat as often, but are not findings; no literal leaks into the report.
    expect(JSON.stringify(report)).not.toContain('hunter');
  });

  it('adds one example with its literals only when asked', async () => {
    const report = await analyzeNPlusOne(logFile('pg-example.log', nPlusOneLog()), { includeExamples: true });
    expect(report.findings[0]?.example).toBe("SELECT * FROM items WHERE order_id = 1 AND secret = 'hunter1'");
  });

  it('follows the threshold and window it is given', async () => {
    const file = logFile('pg-threshold.log', nPlusOneLog());
    expect((await analyzeNPlusOne(file, { threshold: 13 })).findings).toEqual([]);
    expect((await analyzeNPlusOne(file, { threshold: 3, windowMillis: 15 })).findings).toEqual([]);
    const narrow = await analyzeNPlusOne(file, { threshold: 2, windowMillis: 15 });
    expect(narrow.findings.map((f) => [f.largestBurst, f.count])).toEqual([[2, 2]]);
  });

  it('counts sessions separately: the same statement once per session is no N+1', async () => {
    const lines = Array.from({ length: 20 }, (_, i) =>
      pgLine(i, 200 + i, `statement: SELECT * FROM items WHERE order_id = ${i}`),
    );
    const report = await analyzeNPlusOne(logFile('pg-sessions.log', lines));
    expect(report.statements).toBe(20);
    expect(report.findings).toEqual([]);
  });

  it('reads a MariaDB general query log and fingerprints in the MySQL dialect', async () => {
    const lines = [
      '/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:',
      'Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock',
      'Time\t\t    Id Command\tArgument',
      '240305 10:00:00\t    31 Query\tSELECT id FROM orders WHERE customer_id = 7',
      ...Array.from(
        { length: 10 },
        (_, i) => `\t\t    31 Query\tSELECT * FROM \`items\` WHERE order_id = ${i}`,
      ),
    ];
    const report = await analyzeNPlusOne(logFile('maria.log', lines));
    expect(report).toMatchObject({ format: 'mysql', layout: 'general-log', statements: 11, unparsed: 0 });
    expect(report.findings.map((f) => [f.normalized, f.count])).toEqual([
      ['SELECT * FROM `items` WHERE order_id = ?', 10],
    ]);
  });

  it('reports progress as it reads', async () => {
    const seen: number[] = [];
    const file = logFile('pg-progress.log', nPlusOneLog());
    await analyzeNPlusOne(file, {
      onProgress: ({ bytesRead, totalBytes }) => seen.push(bytesRead / totalBytes),
    });
    expect(seen.at(-1)).toBe(1);
  });

  it('refuses a missing file, a directory and a file of unknown format with a usage error', async () => {
    await expect(analyzeNPlusOne(path.join(dir, 'nope.log'))).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
      message: expect.stringContaining('no such file'),
    });
    await expect(analyzeNPlusOne(dir)).rejects.toMatchObject({ code: 'ENGINE_USAGE' });
    await expect(analyzeNPlusOne(logFile('text.log', ['hello', 'world']))).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
      message: expect.stringContaining('cannot tell the format'),
    });
    await expect(analyzeNPlusOne(logFile('ok.log', nPlusOneLog()), { threshold: 0 })).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
    });
  });
});

describe('detectLogFormat', () => {
  it('tells PostgreSQL stderr, csvlog and the MySQL general log apart from their first lines', () => {
    expect(detectLogFormat(['2024-03-05 10:00:00.000 UTC [1] LOG:  database system is ready'])).toEqual({
      format: 'postgres',
      layout: 'stderr',
    });
    expect(
      detectLogFormat([
        '2024-03-05 10:00:00.000 UTC,"app","shop",42,"[local]",1.2,1,"idle",,3/1,0,LOG,00000,"statement: select 1"',
      ]),
    ).toEqual({ format: 'postgres', layout: 'csvlog' });
    expect(
      detectLogFormat(['/usr/sbin/mariadbd, Version: 10.11.6-MariaDB (Debian 12). started with:']),
    ).toEqual({
      format: 'mysql',
      layout: 'general-log',
    });
    expect(detectLogFormat(['nothing to see'])).toBeUndefined();
    expect(detectLogFormat(['nothing to see'], 'mysql')).toEqual({ format: 'mysql', layout: 'general-log' });
  });
});

describe('ANALYZE_N_PLUS_ONE_DEFAULTS', () => {
  it("are the detector's own defaults", () => {
    expect({
      threshold: ANALYZE_N_PLUS_ONE_DEFAULTS.threshold,
      windowMillis: ANALYZE_N_PLUS_ONE_DEFAULTS.windowMillis,
    }).toEqual({ threshold: N_PLUS_ONE_DEFAULTS.threshold, windowMillis: N_PLUS_ONE_DEFAULTS.windowMillis });
  });
});
