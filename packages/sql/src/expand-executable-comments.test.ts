import { describe, expect, it } from 'vitest';
import { expandExecutableComments, MAX_EXECUTABLE_COMMENT_DEPTH } from './expand-executable-comments.js';

describe('expandExecutableComments', () => {
  it('blanks the markers of /*!, /*!NNNNN, /*M! and /*M!NNNNNN comments and keeps their content', () => {
    expect(expandExecutableComments('SET /*!GLOBAL */ x = 1')).toBe('SET    GLOBAL  \n x = 1');
    expect(expandExecutableComments('/*!50700 DROP TABLE t */')).toBe('         DROP TABLE t  \n');
    expect(expandExecutableComments('/*M! a */ /*M!100100 b */')).toBe('     a  \n            b  \n');
  });

  it('keeps every offset pointing at the same character', () => {
    const sql = "SELECT 1 /*!INTO OUTFILE '/tmp/x' */, 2";
    const expanded = expandExecutableComments(sql) ?? '';
    expect(expanded).toHaveLength(sql.length);
    expect(expanded.indexOf('INTO')).toBe(sql.indexOf('INTO'));
    expect(expanded.indexOf(', 2')).toBe(sql.indexOf(', 2'));
  });

  it('leaves plain comments, optimizer hints and strings alone', () => {
    const sql = "SELECT /*+ BKA(t) */ '/*!x */' /* c */ FROM t";
    expect(expandExecutableComments(sql)).toBe(sql);
  });

  it('reads a */ inside a string of the content as part of the string', () => {
    expect(expandExecutableComments("/*! SELECT '*/' */")).toBe("    SELECT '*/'  \n");
  });

  it('skips a plain comment inside the content whole', () => {
    expect(expandExecutableComments('/*! DROP /* x */ TABLE t */')).toBe('    DROP /* x */ TABLE t  \n');
  });

  it('ends the comment at a */ inside a line comment of the content, and ends that line comment there', () => {
    expect(expandExecutableComments("SELECT 1 /*! -- don't */ , 2")).toBe("SELECT 1     -- don't  \n , 2");
  });

  it('opens a comment that sits inside another one', () => {
    expect(expandExecutableComments('/*! /*! DROP TABLE t */ */')?.trim()).toBe('DROP TABLE t');
  });

  it('gives up on comments nested deeper than MAX_EXECUTABLE_COMMENT_DEPTH', () => {
    const nested = (depth: number): string => (depth === 0 ? 'x' : `/*! ${nested(depth - 1)} */`);
    expect(expandExecutableComments(nested(MAX_EXECUTABLE_COMMENT_DEPTH))?.trim()).toBe('x');
    expect(expandExecutableComments(nested(MAX_EXECUTABLE_COMMENT_DEPTH + 1))).toBeUndefined();
  });

  it('leaves an unterminated comment open to the end of the text', () => {
    expect(expandExecutableComments('SELECT 1 /*!, 2')).toBe('SELECT 1    , 2');
  });
});
