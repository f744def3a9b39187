import { describe, expect, it } from 'vitest';
import { assertJsonDepth } from './json-body.js';

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('assertJsonDepth', () => {
  it('accepts nesting up to the bound and refuses one level more', () => {
    expect(() => assertJsonDepth(nested(32), 32)).not.toThrow();
    expect(() => assertJsonDepth(nested(33), 32)).toThrow(
      expect.objectContaining({ code: 'DAEMON_BODY_TOO_DEEP', statusCode: 400 }),
    );
  });

  it('refuses 100,000 nested arrays without recursing', () => {
    expect(() => assertJsonDepth(`{"params":${nested(100_000)}}`)).toThrow(/deeper than 32 levels/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ sql: `select '${'['.repeat(100)}\\"${'{'.repeat(100)}'`, params: [[1]] });
    expect(() => assertJsonDepth(text, 3)).not.toThrow();
  });

  it('counts objects as well as arrays', () => {
    expect(() => assertJsonDepth(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 32)).toThrow();
  });

  it('accepts a wide flat body of 300,000 parameters', () => {
    expect(() => assertJsonDepth(JSON.stringify({ params: new Array(300_000).fill(1) }))).not.toThrow();
  });
});
