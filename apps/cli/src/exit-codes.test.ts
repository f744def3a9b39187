import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from './exit-codes.js';

describe('exitCodeFor', () => {
  it.each([
    ['DEMO_SEED', ExitCode.connect],
    ['DEMO_OPTIONS', ExitCode.usage],
    ['METRICS_INVALID_ARGUMENT', ExitCode.usage],
    ['NL_UNSAFE_OUTPUT', ExitCode.refused],
    ['ENGINE_ABORTED', ExitCode.refused],
    ['CACHE_ABORTED', ExitCode.refused],
    ['SAFETY_READ_ONLY', ExitCode.safety],
    ['VAULT_BAD_OPTIONS', ExitCode.usage],
    ['DAEMON_START_FAILED', ExitCode.connect],
  ])('maps %s, which used to fall through to "a bug in aishell", to %i', (code, exit) => {
    expect(exitCodeFor(Object.assign(new Error('x'), { code }))).toBe(exit);
  });

  it('keeps exit 1 for what is a bug (used after close) and for codes no package defines', () => {
    for (const code of [
      'POOL_CLOSED',
      'CACHE_CLOSED',
      'VAULT_CLOSED',
      'SQL_PARSER_NOT_LOADED',
      'NOPE',
      'toString',
    ])
      expect(exitCodeFor(Object.assign(new Error('x'), { code }))).toBe(ExitCode.internal);
  });
});
