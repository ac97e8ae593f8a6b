/**
 * Fuzzing the JSONL and CSV line parsers: every line ends as exactly one record or one malformed
 * report (or, for CSV, as the header), whatever it holds, and valid rows survive a round trip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceOutput } from '../../common/connector/source.ts';
import { CsvLineParser } from '../../connectors/file/csv-line-parser.ts';
import { JsonlLineParser } from '../../connectors/file/jsonl-line-parser.ts';
import { budget, FUZZ_TIMEOUT_MS } from './fuzz-budget.ts';

/** A line as it may appear in a file: any text without a newline, often JSON-like or CSV-like. */
const line = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('"', '""', ',', '"a,b"', ' ')), { maxLength: 8 }).map((parts) => parts.join(',')),
).map((s) => s.replace(/[\r\n]/g, ' '));

describe('line parser fuzzing', () => {
  it('JSONL: each line is one record or one malformed report with a reason, never an exception', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const parser = new JsonlLineParser();
        const reports: string[] = [];
        let records = 0;
        const out: SourceOutput<Record<string, unknown>> = { collect: () => records++, malformed: (_raw, error) => reports.push(error), setSplit: () => {}, splitEnded: () => {} };
        for (const l of lines) parser.parse(l, out);
        expect(records + reports.length).toBe(lines.length);
        for (const r of reports) expect(r.length).toBeGreaterThan(0);
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('CSV: after the header, each line is one record or one malformed report, never an exception', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
        const parser = new CsvLineParser();
        const reports: string[] = [];
        const records: Record<string, unknown>[] = [];
        const out: SourceOutput<Record<string, unknown>> = { collect: (r) => records.push(r), malformed: (_raw, error) => reports.push(error), setSplit: () => {}, splitEnded: () => {} };
        for (const l of lines) parser.parse(l, out);
        // A valid header is taken silently; an invalid one is reported, and so is every row after it.
        const handled = records.length + reports.length;
        expect(handled === lines.length - 1 || (records.length === 0 && handled === lines.length)).toBe(true);
        for (const r of records) for (const v of Object.values(r)) expect(typeof v).toBe('string');
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);

  it('CSV: quoted fields of any text come back as written', () => {
    const field = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 5 }), fc.array(field, { minLength: 5, maxLength: 5 }), (columns, values) => {
        const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
        const parser = new CsvLineParser();
        const records: Record<string, unknown>[] = [];
        const reports: string[] = [];
        const out: SourceOutput<Record<string, unknown>> = { collect: (r) => records.push(r), malformed: (_raw, error) => reports.push(error), setSplit: () => {}, splitEnded: () => {} };
        parser.parse(columns.join(','), out);
        parser.parse(columns.map((_, i) => quote(values[i]!)).join(','), out);
        expect(reports).toEqual([]);
        expect(records).toEqual([Object.fromEntries(columns.map((c, i) => [c, values[i]]))]);
      }),
      budget(),
    );
  }, FUZZ_TIMEOUT_MS);
});
