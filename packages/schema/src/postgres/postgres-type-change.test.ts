import { describe, expect, it } from 'vitest';
import { classifyTypeChange, needsUsing } from './postgres-type-change.js';

describe('classifyTypeChange', () => {
  it.each([
    ['character varying(20)', 'character varying(50)', 'binary'],
    ['character varying(20)', 'text', 'binary'],
    ['character varying(20)', 'character varying', 'binary'],
    ['numeric(10,2)', 'numeric(12,2)', 'binary'],
    ['cidr', 'inet', 'binary'],
    ['integer', 'bigint', 'widening'],
    ['smallint', 'integer', 'widening'],
    ['real', 'double precision', 'widening'],
    ['timestamp without time zone', 'timestamp with time zone', 'widening'],
    ['timestamp(3) without time zone', 'timestamp(6) without time zone', 'widening'],
    ['numeric(10,2)', 'numeric(12,4)', 'widening'],
    ['integer', 'text', 'widening'],
    ['text', 'citext', 'widening'],
  ] as const)('%s -> %s keeps every value (%s)', (from, to, expected) => {
    expect(classifyTypeChange(from, to)).toBe(expected);
  });

  it.each([
    ['bigint', 'integer'],
    ['character varying(50)', 'character varying(10)'],
    ['text', 'character varying(10)'],
    ['text', 'integer'],
    ['numeric(12,2)', 'numeric(12,0)'],
    ['integer', 'real'],
    ['bigint', 'double precision'],
    ['integer[]', 'integer'],
    ['timestamp with time zone', 'timestamp without time zone'],
    ['text', 'mood'],
  ])('%s -> %s may lose values', (from, to) => {
    expect(classifyTypeChange(from, to)).toBe('narrowing');
  });

  it('sees no change in the same type', () => {
    expect(classifyTypeChange('integer', 'integer')).toBe('none');
  });
});

describe('needsUsing', () => {
  it('asks for USING across categories and to user types, not within one category or to text', () => {
    expect(needsUsing('text', 'integer')).toBe(true);
    expect(needsUsing('text', 'mood')).toBe(true);
    expect(needsUsing('integer', 'bigint')).toBe(false);
    expect(needsUsing('character varying(50)', 'character varying(10)')).toBe(false);
    expect(needsUsing('integer', 'text')).toBe(false);
    expect(needsUsing('json', 'jsonb')).toBe(true);
  });
});
