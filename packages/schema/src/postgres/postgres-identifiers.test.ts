import { describe, expect, it } from 'vitest';
import { displayName, displayRelation, renameIdentifier, usesIdentifier } from './postgres-identifiers.js';

describe('renameIdentifier', () => {
  it('renames bare and quoted identifiers, never inside literals or dollar quotes', () => {
    const text = `(mail IS NOT NULL AND "mail" <> 'mail' AND t.mail ~ $x$mail$x$ AND mailbox > 0)`;
    expect(renameIdentifier(text, 'mail', 'email')).toBe(
      `(email IS NOT NULL AND email <> 'mail' AND t.email ~ $x$mail$x$ AND mailbox > 0)`,
    );
  });

  it('quotes a new name that needs it and keeps doubled quotes in literals', () => {
    expect(renameIdentifier(`lower(a) = 'it''s a'`, 'a', 'Big A')).toBe(`lower("Big A") = 'it''s a'`);
  });

  it('tells whether a text uses an identifier', () => {
    expect(usesIdentifier('btree (lower(email))', 'email')).toBe(true);
    expect(usesIdentifier("btree (x) WHERE (y = 'email')", 'email')).toBe(false);
  });
});

describe('displayName', () => {
  it('prints lower-case names bare and the rest quoted, as the catalog does', () => {
    expect(displayName('orders')).toBe('orders');
    expect(displayName('Orders')).toBe('"Orders"');
    expect(displayRelation('public', 't', false)).toBe('t');
    expect(displayRelation('app', 't', false)).toBe('app.t');
    expect(displayRelation('public', 't', true)).toBe('public.t');
  });
});
