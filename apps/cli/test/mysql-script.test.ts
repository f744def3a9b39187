import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl } from '@aishell/testing';
import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

describe('aishell query --file on MySQL/MariaDB', () => {
  it("runs a script written for the mysql client, DELIMITER lines and a procedure's CALL included", async () => {
    const proc = `cli_proc_${randomBytes(4).toString('hex')}`;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-mysql-')), 'proc.sql');
    writeFileSync(
      file,
      [
        `drop procedure if exists ${proc};`,
        'DELIMITER //',
        `CREATE PROCEDURE ${proc}(IN n INT)`,
        'BEGIN',
        "  SELECT n AS got, ';' AS semi;",
        'END //',
        'DELIMITER ;',
        `call ${proc}(41);`,
        `drop procedure ${proc};`,
      ].join('\n'),
    );
    const r = await runCli(['query', '--file', file, '-c', await mysqlUrl(), '--yes', '--json'], {
      env: tempHome(),
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: { command: string; rows: unknown[] }[] };
    expect(doc.results.map((x) => x.command)).toEqual(['DROP', 'CREATE', 'CALL', 'DROP']);
    expect(doc.results[2]?.rows).toEqual([{ got: 41, semi: ';' }]);
  });
});
