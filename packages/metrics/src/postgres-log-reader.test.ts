import { describe, expect, it } from 'vitest';
import { PostgresCsvLogReader } from './postgres-csv-log-reader.js';
import { PostgresLogReader } from './postgres-log-reader.js';
import { readAll } from './read-all.fixture.js';

// PostgreSQL 15's stderr format with Debian's log_line_prefix '%m [%p] %q%u@%d ' (elog.c: the prefix,
// then "SEVERITY:  message", continuation lines of a message led by a tab).
const DEBIAN_USER_DB = [
  '2024-03-05 10:15:01.123 UTC [4242] app@shop LOG:  statement: SELECT id FROM orders WHERE customer_id = 7',
  '2024-03-05 10:15:01.130 UTC [4242] app@shop LOG:  duration: 0.412 ms  statement: SELECT * FROM customers WHERE id = 1',
  '2024-03-05 10:15:01.140 UTC [4243] app@shop LOG:  execute <unnamed>: SELECT * FROM items WHERE order_id = $1',
  "2024-03-05 10:15:01.140 UTC [4243] app@shop DETAIL:  parameters: $1 = '12'",
  '2024-03-05 10:15:01.150 UTC [4243] app@shop LOG:  duration: 0.050 ms  parse <unnamed>: SELECT 1',
  '2024-03-05 10:15:01.151 UTC [4243] app@shop LOG:  duration: 0.020 ms  bind S_1: SELECT 1',
  '2024-03-05 10:15:01.152 UTC [4243] app@shop LOG:  duration: 0.080 ms  execute S_1: SELECT 1',
  '2024-03-05 10:15:01.153 UTC [4243] app@shop LOG:  execute fetch from S_2/C_3: SELECT * FROM big',
  '2024-03-05 10:15:02.000 UTC [4244] app@shop LOG:  statement: SELECT name',
  '\t  FROM customers',
  '\t WHERE id = 3',
  '2024-03-05 10:15:02.100 UTC [2191] LOG:  checkpoint starting: time',
  '2024-03-05 10:15:02.200 UTC [4242] app@shop ERROR:  relation "x" does not exist at character 15',
  '2024-03-05 10:15:02.200 UTC [4242] app@shop STATEMENT:  select * from x',
  '2024-03-05 10:15:02.300 UTC [4242] app@shop LOG:  duration: 1.000 ms',
].join('\n');

describe('PostgresLogReader', () => {
  it('reads log_statement, log_min_duration_statement and extended-protocol executions with their session and time', () => {
    const statements = readAll(new PostgresLogReader(), DEBIAN_USER_DB);
    expect(statements).toEqual([
      {
        sessionId: '4242',
        timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1, 123),
        sql: 'SELECT id FROM orders WHERE customer_id = 7',
      },
      {
        sessionId: '4242',
        timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1, 130),
        sql: 'SELECT * FROM customers WHERE id = 1',
      },
      {
        sessionId: '4243',
        timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1, 140),
        sql: 'SELECT * FROM items WHERE order_id = $1',
        parameters: "$1 = '12'",
      },
      { sessionId: '4243', timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1, 152), sql: 'SELECT 1' },
      {
        sessionId: '4244',
        timestampMs: Date.UTC(2024, 2, 5, 10, 15, 2, 0),
        sql: 'SELECT name\n  FROM customers\n WHERE id = 3',
      },
    ]);
  });

  it("reads Debian's plain '%m [%p] ' prefix and the older '%t [%p-%l] ' one", () => {
    const plain = readAll(
      new PostgresLogReader(),
      '2024-03-05 10:15:01.500 UTC [77] LOG:  statement: select 1\n2024-03-05 10:15:01.600 UTC [78] LOG:  statement: select 2',
    );
    expect(plain.map((s) => [s.sessionId, s.timestampMs, s.sql])).toEqual([
      ['77', Date.UTC(2024, 2, 5, 10, 15, 1, 500), 'select 1'],
      ['78', Date.UTC(2024, 2, 5, 10, 15, 1, 600), 'select 2'],
    ]);
    const older = readAll(
      new PostgresLogReader(),
      '2024-03-05 10:15:01 CET [991-3] LOG:  statement: select 3',
    );
    expect(older).toEqual([
      { sessionId: '991', timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1), sql: 'select 3' },
    ]);
  });

  it('applies a numeric zone of the time prefix', () => {
    const [s] = readAll(new PostgresLogReader(), '2024-03-05 12:00:00.000 +02 [5] LOG:  statement: select 1');
    expect(s?.timestampMs).toBe(Date.UTC(2024, 2, 5, 10, 0, 0));
  });

  it('keeps parameter values that continue over several lines with their statement', () => {
    const [s] = readAll(
      new PostgresLogReader(),
      [
        '2024-03-05 10:15:01.140 UTC [9] LOG:  execute <unnamed>: INSERT INTO notes (body) VALUES ($1)',
        "2024-03-05 10:15:01.140 UTC [9] DETAIL:  parameters: $1 = 'line one",
        "\tline two'",
      ].join('\n'),
    );
    expect(s).toMatchObject({
      sql: 'INSERT INTO notes (body) VALUES ($1)',
      parameters: "$1 = 'line one\nline two'",
    });
  });
});

// PostgreSQL 15's csvlog: 26 columns (log_time ... query_id), fields with line breaks quoted.
const CSV = [
  '2024-03-05 10:15:01.123 UTC,"app","shop",4242,"127.0.0.1:50000",65e6f1a5.1092,1,"SELECT",2024-03-05 10:15:00 UTC,3/7,0,LOG,00000,"statement: SELECT id FROM orders WHERE note = ""a,b""",,,,,,,,,"psql","client backend",,0',
  '2024-03-05 10:15:01.200 UTC,"app","shop",4243,"127.0.0.1:50001",65e6f1a5.1093,2,"SELECT",2024-03-05 10:15:00 UTC,4/2,0,LOG,00000,"execute <unnamed>: SELECT *',
  'FROM items WHERE order_id = $1","parameters: $1 = \'12\'",,,,,,,,"app","client backend",,0',
  '2024-03-05 10:15:01.300 UTC,,,2191,,65e6f0a0.88f,5,,2024-03-05 10:00:00 UTC,,0,LOG,00000,"checkpoint starting: time",,,,,,,,,"","checkpointer",,0',
].join('\n');

describe('PostgresCsvLogReader', () => {
  it('reads statements from csvlog records, quoted fields over several lines included', () => {
    expect(readAll(new PostgresCsvLogReader(), CSV)).toEqual([
      {
        sessionId: '4242',
        timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1, 123),
        sql: 'SELECT id FROM orders WHERE note = "a,b"',
      },
      {
        sessionId: '4243',
        timestampMs: Date.UTC(2024, 2, 5, 10, 15, 1, 200),
        sql: 'SELECT *\nFROM items WHERE order_id = $1',
        parameters: "$1 = '12'",
      },
    ]);
  });
});
