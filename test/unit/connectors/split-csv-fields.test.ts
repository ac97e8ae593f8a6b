import { describe, expect, it } from 'vitest';
import { splitCsvFields } from '../../../connectors/file/split-csv-fields.ts';

function split(line: string): string[] | string {
  const fields: string[] = [];
  return splitCsvFields(line, fields) ?? fields;
}

describe('splitCsvFields', () => {
  it('splits plain fields, keeping spaces and empty fields', () => {
    expect(split('a,b ,,c')).toEqual(['a', 'b ', '', 'c']);
    expect(split('a,')).toEqual(['a', '']);
    expect(split(',')).toEqual(['', '']);
    expect(split('x')).toEqual(['x']);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    expect(split('"a,b","say ""hi""",c')).toEqual(['a,b', 'say "hi"', 'c']);
    expect(split('"",""""')).toEqual(['', '"']);
    expect(split('1,"价格, 元"')).toEqual(['1', '价格, 元']);
    expect(split('"a",')).toEqual(['a', '']);
  });

  it('rejects broken quoting', () => {
    expect(split('"abc')).toMatch(/unterminated quoted field/);
    expect(split('a,"b""')).toMatch(/unterminated quoted field/);
    expect(split('"a"b,c')).toMatch(/after the closing quote/);
    expect(split('a"b,c')).toMatch(/quote inside an unquoted field/);
    expect(split('a,b"')).toMatch(/quote inside an unquoted field at column 4/);
  });
});
