import { describe, expect, it } from 'vitest';
import { bytesPerChar, classifyMysqlTypeChange } from './mysql-type-change.js';

describe('classifyMysqlTypeChange', () => {
  it('treats an appended ENUM value and a VARCHAR lengthened within its length byte as metadata', () => {
    expect(classifyMysqlTypeChange("enum('a','b')", "enum('a','b','c')", 'utf8mb4')).toBe('metadata');
    expect(classifyMysqlTypeChange('varchar(20)', 'varchar(40)', 'utf8mb4')).toBe('metadata');
    expect(classifyMysqlTypeChange('varchar(100)', 'varchar(200)', 'latin1')).toBe('metadata');
  });

  it('sees a VARCHAR crossing 255 bytes as a widening copy', () => {
    expect(classifyMysqlTypeChange('varchar(50)', 'varchar(100)', 'utf8mb4')).toBe('widening');
    expect(classifyMysqlTypeChange('varchar(200)', 'varchar(300)', 'latin1')).toBe('widening');
  });

  it.each([
    ['int(11)', 'bigint(20)'],
    ['tinyint(4)', 'int(11)'],
    ['int(10) unsigned', 'bigint(20)'],
    ['decimal(10,2)', 'decimal(12,4)'],
    ['varchar(20)', 'text'],
    ['text', 'longtext'],
    ['date', 'datetime'],
    ['float', 'double'],
  ])('%s -> %s keeps every value', (from, to) => {
    expect(classifyMysqlTypeChange(from, to, 'utf8mb4')).toBe('widening');
  });

  it.each([
    ['bigint(20)', 'int(11)'],
    ['int(11)', 'int(10) unsigned'],
    ['varchar(50)', 'varchar(10)'],
    ['longtext', 'text'],
    ["enum('a','b','c')", "enum('a','b')"],
    ["enum('a','b')", "enum('b','a')"],
    ['decimal(12,4)', 'decimal(10,2)'],
    ['datetime', 'date'],
  ])('%s -> %s may lose values', (from, to) => {
    expect(classifyMysqlTypeChange(from, to, 'utf8mb4')).toBe('narrowing');
  });

  it('reads a display width change as metadata', () => {
    expect(classifyMysqlTypeChange('int(11)', 'int(10)', null)).toBe('metadata');
  });

  it('counts bytes per character by character set', () => {
    expect(bytesPerChar('utf8mb4')).toBe(4);
    expect(bytesPerChar('utf8mb3')).toBe(3);
    expect(bytesPerChar('latin1')).toBe(1);
    expect(bytesPerChar(null)).toBe(1);
  });
});
