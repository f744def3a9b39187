import { describe, expect, it } from 'vitest';
import { hypopgStatus } from './postgres-catalog.js';

describe('hypopgStatus', () => {
  it('says how to get HypoPG: the Debian package of the server major, then CREATE EXTENSION', () => {
    expect(hypopgStatus(null, false, 15)).toMatchObject({ state: 'not-available' });
    expect(hypopgStatus(null, false, 15).hint).toMatch(
      /apt install postgresql-15-hypopg.*CREATE EXTENSION hypopg/,
    );
    expect(hypopgStatus(null, true, 15)).toMatchObject({ state: 'not-created' });
    expect(hypopgStatus(null, true, 15).hint).toMatch(/CREATE EXTENSION hypopg/);
    expect(hypopgStatus('1.3.1', true, 15)).toEqual({ state: 'ready', version: '1.3.1', hint: null });
  });
});
