import { describe, expect, it } from 'vitest';
import { MysqlLogReader } from './mysql-log-reader.js';
import { readAll as readWith } from './read-all.fixture.js';

const readAll = (text: string) => readWith(new MysqlLogReader(), text);

// MariaDB 10.11's general query log (sql/log.cc): the header, then rows of "YYMMDD H:MM:SS\t" (only when
// the second changes, else "\t\t"), the thread id in 6 columns, the command, a tab, the argument.
const MARIADB = [
  '/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:',
  'Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock',
  'Time\t\t    Id Command\tArgument',
  '240305  9:05:01\t    31 Connect\tapp@localhost on shop using TCP/IP',
  '\t\t    31 Query\tSELECT id FROM orders WHERE customer_id = 7',
  '\t\t    32 Prepare\tSELECT * FROM items WHERE order_id = ?',
  '\t\t    32 Execute\tSELECT * FROM items WHERE order_id = 12',
  '240305  9:05:02\t    31 Query\tSELECT name',
  '  FROM customers',
  ' WHERE id = 3',
  '\t\t    31 Quit\t',
  "\t\t    34 Query\tSET GLOBAL general_log = 'OFF'",
  '/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:',
  'Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock',
  'Time\t\t    Id Command\tArgument',
  '240305 10:00:00\t    33 Query\tSELECT 1',
].join('\n');

describe('MysqlLogReader', () => {
  it('reads Query and Execute rows of a MariaDB log with their thread and the last time printed, skipping headers', () => {
    expect(readAll(MARIADB)).toEqual([
      {
        sessionId: '31',
        timestampMs: Date.UTC(2024, 2, 5, 9, 5, 1),
        sql: 'SELECT id FROM orders WHERE customer_id = 7',
      },
      {
        sessionId: '32',
        timestampMs: Date.UTC(2024, 2, 5, 9, 5, 1),
        sql: 'SELECT * FROM items WHERE order_id = 12',
      },
      {
        sessionId: '31',
        timestampMs: Date.UTC(2024, 2, 5, 9, 5, 2),
        sql: 'SELECT name\n  FROM customers\n WHERE id = 3',
      },
      { sessionId: '34', timestampMs: Date.UTC(2024, 2, 5, 9, 5, 2), sql: "SET GLOBAL general_log = 'OFF'" },
      { sessionId: '33', timestampMs: Date.UTC(2024, 2, 5, 10, 0, 0), sql: 'SELECT 1' },
    ]);
  });

  it('reads the ISO 8601 times that MySQL prints on every row', () => {
    const log = [
      '/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:',
      'Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock',
      'Time                 Id Command    Argument',
      '2024-03-05T09:05:01.250000Z\t   12 Query\tSELECT 1',
      '2024-03-05T11:05:01.500000+02:00\t   12 Query\tSELECT 2',
    ].join('\n');
    expect(readAll(log)).toEqual([
      { sessionId: '12', timestampMs: Date.UTC(2024, 2, 5, 9, 5, 1, 250), sql: 'SELECT 1' },
      { sessionId: '12', timestampMs: Date.UTC(2024, 2, 5, 9, 5, 1, 500), sql: 'SELECT 2' },
    ]);
  });
});
