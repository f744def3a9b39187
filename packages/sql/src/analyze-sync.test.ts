import { describe, expect, it } from 'vitest';
import { analyzeSync } from './analyze.js';
import { SqlParserNotLoadedError } from './errors.js';
import { isParserLoaded, loadParser } from './parser-loader.js';

// A file of its own: the parsers load once per module instance, and this file must see them unloaded.
describe('analyzeSync before loading', () => {
  it('throws SQL_PARSER_NOT_LOADED until loadParser has run, then analyzes', async () => {
    expect(isParserLoaded('sqlite')).toBe(false);
    expect(() => analyzeSync('select 1', 'sqlite')).toThrow(SqlParserNotLoadedError);
    try {
      analyzeSync('select 1', 'sqlite');
    } catch (error) {
      expect((error as SqlParserNotLoadedError).code).toBe('SQL_PARSER_NOT_LOADED');
    }
    await Promise.all([loadParser('sqlite'), loadParser('sqlite')]);
    expect(isParserLoaded('sqlite')).toBe(true);
    expect(analyzeSync('select 1', 'sqlite').statements).toHaveLength(1);
  });

  it('does not load any parser when the module is imported', () => {
    expect(isParserLoaded('postgres')).toBe(false);
    expect(isParserLoaded('mysql')).toBe(false);
  });
});
