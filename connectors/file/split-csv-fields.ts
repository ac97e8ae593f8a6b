/**
 * RFC 4180 field splitting of one CSV line.
 */

const QUOTE = 34;
const COMMA = 44;

/**
 * Splits one CSV line into `fields` (cleared first) and returns `undefined`, or returns the
 * reason the line is not valid CSV. A field is either unquoted (no `"` in it) or fully quoted,
 * where `""` stands for one `"` and commas are literal. Quoted fields that span lines are not
 * supported: the first line of such a row has an unterminated quote and is reported as such.
 * Reusing `fields` keeps the per-row cost to the field strings themselves.
 */
export function splitCsvFields(line: string, fields: string[]): string | undefined {
  fields.length = 0;
  const n = line.length;
  let i = 0;
  let nextQuote = line.indexOf('"');
  for (;;) {
    if (i < n && line.charCodeAt(i) === QUOTE) {
      let value = '';
      let start = i + 1;
      for (;;) {
        const q = line.indexOf('"', start);
        if (q < 0) return `unterminated quoted field at column ${i + 1} (quoted fields spanning lines are not supported)`;
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += line.slice(start, q + 1);
          start = q + 2;
          continue;
        }
        value += line.slice(start, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return undefined;
      if (line.charCodeAt(i) !== COMMA) return `unexpected character after the closing quote at column ${i + 1}`;
      i++;
      nextQuote = line.indexOf('"', i);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      if (nextQuote >= 0 && nextQuote < end) return `quote inside an unquoted field at column ${nextQuote + 1}`;
      fields.push(line.slice(i, end));
      if (comma < 0) return undefined;
      i = comma + 1;
    }
  }
}
