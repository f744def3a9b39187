import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { FactCollector, highestRisk } from './risk.js';
import type { StatementAnalysis } from './types.js';

const statement = (risk: StatementAnalysis['risk'], reasons: string[]): StatementAnalysis => ({
  text: '',
  kind: 'other',
  readOnly: false,
  tablesRead: [],
  tablesWritten: [],
  risk,
  reasons,
  volatile: false,
  fingerprint: '',
  normalized: '',
  canonical: '',
});

describe('highestRisk', () => {
  it('is low with no reasons for no statements', () => {
    expect(highestRisk([])).toEqual({ risk: 'low', reasons: [] });
  });

  it('returns the highest risk and the reasons of the statements at high or above, in order', () => {
    const result = highestRisk([
      statement('medium', ['INSERT adds rows']),
      statement('critical', ['DELETE without WHERE']),
      statement('low', []),
      statement('high', ['GRANT changes privileges']),
    ]);
    expect(result).toEqual({
      risk: 'critical',
      reasons: ['DELETE without WHERE', 'GRANT changes privileges'],
    });
  });

  it('leaves out the reasons of statements below high', () => {
    expect(
      highestRisk([
        statement('medium', ['CREATE TABLE']),
        statement('low', ['SET changes a session setting']),
      ]),
    ).toEqual({
      risk: 'medium',
      reasons: [],
    });
  });

  it('sums up an analyzed script', async () => {
    const { statements } = await analyze('SELECT 1; DELETE FROM t', 'postgres');
    expect(highestRisk(statements)).toEqual({ risk: 'critical', reasons: ['DELETE without WHERE'] });
  });
});

describe('FactCollector.worst', () => {
  const collector = (
    kind: FactCollector['kind'],
    risk: StatementAnalysis['risk'] | undefined,
    effect = true,
  ) => {
    const c = new FactCollector();
    c.kind = kind;
    if (risk !== undefined) c.find(risk, `${kind} ${risk}`, effect);
    return c;
  };

  it('keeps every finding and takes the kind of the riskiest part', () => {
    const sum = FactCollector.worst([collector('select', undefined), collector('ddl', 'critical')]).facts();
    expect(sum).toMatchObject({ kind: 'ddl', risk: 'critical', readOnly: false, reasons: ['ddl critical'] });
  });

  it('takes the kind of a part that is not a proven read over a read of the same risk', () => {
    const sum = FactCollector.worst([
      collector('select', undefined),
      collector('transaction', undefined),
    ]).facts();
    expect(sum).toMatchObject({ kind: 'transaction', risk: 'low', readOnly: true });
  });

  it('is the part itself when there is one', () => {
    const only = collector('select', 'low');
    expect(FactCollector.worst([only])).toBe(only);
  });
});
