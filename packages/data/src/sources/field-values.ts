/**
 * Parsers for the cell values every importer reads (ids, integers, ratings, timestamps, `|` lists).
 * Each returns `undefined` for text it does not accept, so the caller can name the column and the value
 * in an ImportIssue; none of them throws.
 */

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** ISO-8601 date, or date and time with optional seconds, fraction and zone (Z or ±hh[:]mm). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/** A safe integer written in decimal digits ('42', '-3'); not '4.0', not '', not '1e3'. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A finite decimal number ('3.5', '-2', '1e-3'); not 'NaN', 'Infinity', '0x10' or ''. */
export function parseNumber(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Milliseconds since the epoch from Unix seconds ('964982703', '964982703.25') or ISO-8601
 * ('2024-03-01', '2024-03-01T12:00:00Z', '2024-03-01 12:00:00+02:00'). An ISO time without a zone is read
 * as UTC, not local time, so that an import gives the same instants on every machine.
 */
export function parseTimestampMs(text: string): number | undefined {
  const seconds = parseNumber(text);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  const iso = ISO_8601.exec(text);
  if (!iso) return undefined;
  let normalized = text.replace(' ', 'T').replace(',', '.');
  if (normalized.length > 10 && iso[1] === undefined) normalized += 'Z';
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : undefined;
}

/** MovieLens 100K release dates, 'D-Mon-YYYY' or 'DD-Mon-YYYY' ('01-Jan-1995', '4-Feb-1971'), as UTC midnight. */
export function parseDayMonthYear(text: string): number | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS[m[2].toLowerCase()];
  const day = Number(m[1]);
  if (month === undefined || day < 1 || day > 31) return undefined;
  return Date.UTC(Number(m[3]), month, day);
}

/** The distinct non-empty trimmed entries of a `sep`-separated list, in first-seen order. */
export function splitList(text: string | undefined, sep = '|'): string[] {
  if (text === undefined || text === '') return [];
  const out: string[] = [];
  for (const part of text.split(sep)) {
    const item = part.trim();
    if (item !== '' && !out.includes(item)) out.push(item);
  }
  return out;
}

/** A cell value quoted for an issue message: JSON quoting shows empty and whitespace-only values plainly. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text);
}
