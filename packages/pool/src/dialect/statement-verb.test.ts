import { describe, expect, it } from 'vitest';
import { statementVerb } from './statement-verb.js';

describe('statementVerb', () => {
  it('upper-cases the first keyword', () => {
    expect(statementVerb('select 1')).toBe('SELECT');
    expect(statementVerb('  Insert into t values (1)')).toBe('INSERT');
  });

  it('skips comments and parentheses before the keyword', () => {
    expect(statementVerb('-- hi\n/* there */ (select 1)')).toBe('SELECT');
    expect(statementVerb('# mysql comment\nupdate t set a = 1')).toBe('UPDATE');
  });

  it('gives an empty verb for an empty statement', () => {
    expect(statementVerb('  -- nothing')).toBe('');
  });
});
