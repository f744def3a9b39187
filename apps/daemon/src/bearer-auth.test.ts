import { describe, expect, it } from 'vitest';
import { bearerMatches } from './bearer-auth.js';

const token = '0123456789abcdef0123456789abcdef';

describe('bearerMatches', () => {
  it('accepts the exact token after "Bearer", in any case of the scheme', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing header, another scheme, a prefix, an extension and a bare token', () => {
    for (const header of [
      undefined,
      '',
      `Basic ${token}`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}0`,
      token,
      'Bearer ',
      `Bearer ${token} extra`,
    ]) {
      expect(bearerMatches(header, token), String(header)).toBe(false);
    }
  });

  it('never matches an empty expected token with an empty presented one', () => {
    expect(bearerMatches('Bearer ', '')).toBe(false);
    expect(bearerMatches(undefined, '')).toBe(false);
  });
});
