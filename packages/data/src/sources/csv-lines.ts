import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parse as csvParse, type Parser } from 'csv-parse';
import type { ImportIssues, RowSource } from '@recsys/db';

/**
 * The reading plumbing every file importer shares: records with their file and 1-based line, and one place
 * that reports a record with the wrong number of fields (as an ImportIssue, skipping the record).
 * Files are streamed, never read whole into a string.
 */

/** One record of a text file: its fields and where it starts. */
export interface TextRecord {
  readonly source: RowSource;
  readonly fields: string[];
}

export interface DelimitedFileOptions {
  /** The field separator: '\t' for u.data, '|' for u.item. */
  separator: string;
  /** MovieLens 100K is Latin-1 ('latin1'); the default is UTF-8. */
  encoding?: BufferEncoding;
  /** How many fields a record must have; others are reported and skipped. */
  fields?: number;
}

/**
 * Turns one record into a row, or reports it to `issues` and returns undefined. The readers call it in file
 * order, so that the issues of a file come out in line order whoever finds them.
 */
export type RecordParser<R, T> = (record: R, issues: ImportIssues) => T | undefined;

/**
 * The rows `parse` makes of a separator-delimited file without quoting (the MovieLens 100K `u.*` files): one
 * record per line, blank lines skipped, `\r\n` or `\n` line ends, a record with another field count than
 * `options.fields` reported and skipped. Yields one batch per chunk read, so that a consumer pays one
 * asynchronous step per chunk rather than per line (readline's iterator costs several times more).
 */
export async function* readDelimitedBatches<T>(
  file: string,
  issues: ImportIssues,
  options: DelimitedFileOptions,
  parse: RecordParser<TextRecord, T>,
): AsyncGenerator<T[]> {
  let line = 0;
  let rest = '';
  const take = (text: string, batch: T[]): void => {
    line++;
    if (text.trim() === '') return;
    const fields = text.split(options.separator);
    const source = { file, line };
    if (options.fields !== undefined && fields.length !== options.fields) {
      issues.add(
        source,
        `expected ${options.fields} ${separatorName(options.separator)}-separated fields, found ${fields.length}`,
      );
      return;
    }
    const row = parse({ source, fields }, issues);
    if (row !== undefined) batch.push(row);
  };
  for await (const chunk of createReadStream(file, { encoding: options.encoding ?? 'utf8' })) {
    const text = rest + (chunk as string);
    const batch: T[] = [];
    let start = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
      take(text.charCodeAt(i - 1) === 13 ? text.slice(start, i - 1) : text.slice(start, i), batch);
      start = i + 1;
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  const last: T[] = [];
  if (rest !== '') take(rest.endsWith('\r') ? rest.slice(0, -1) : rest, last);
  if (last.length > 0) yield last;
}

function separatorName(separator: string): string {
  return separator === '\t' ? 'tab' : separator === '|' ? 'pipe' : JSON.stringify(separator);
}

/**
 * Raw records of an RFC 4180 CSV file (UTF-8, optional BOM, quoted fields with commas, doubled quotes and
 * line breaks), parsed by csv-parse, in batches (whatever the parser has ready: one asynchronous step per
 * batch, not per record). The line of a record is where it starts, counted here from the records and the
 * line breaks inside their quoted fields: csv-parse's `info` and `on_record` options would tell where a
 * record ends, at twice the parse time. A stray quote inside an unquoted field is kept as text. A record
 * csv-parse cannot read (a quote closed mid-field) is reported on its line and skipped; lines after it may
 * be swallowed until the quotes balance again, but the import fails on the issue either way.
 */
export async function* readCsvBatches<T>(
  file: string,
  issues: ImportIssues,
  parse: RecordParser<TextRecord, T>,
  /** Checked after each record: true stops reading there (the rest of the file is neither read nor reported). */
  stop?: () => boolean,
): AsyncGenerator<T[]> {
  let lastLine = 0;
  let read = 0;
  // Records csv-parse skipped: after how many good records, the line it stopped on, why. Reported in file order.
  const skipped: { after: number; endLine: number; message: string }[] = [];
  const applySkips = (): void => {
    while (skipped.length > 0 && skipped[0].after <= read) {
      const skip = skipped.shift() as (typeof skipped)[number];
      issues.add({ file, line: lastLine + 1 }, skip.message);
      lastLine = Math.max(lastLine + 1, skip.endLine);
    }
  };
  const parser: Parser = csvParse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      skipped.push({
        after: parser.info.records,
        endLine: typeof error?.lines === 'number' ? error.lines : parser.info.lines,
        message: `unreadable CSV record: ${error?.message ?? 'parse error'}`,
      });
      return undefined;
    },
  });
  const input = createReadStream(file);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for (;;) {
      const batch: T[] = [];
      for (let fields: string[] | null = parser.read(); fields !== null; fields = parser.read()) {
        if (skipped.length > 0) applySkips();
        const line = lastLine + 1;
        lastLine = line + embeddedLineBreaks(fields);
        read++;
        if (fields.length === 1 && fields[0] === '') continue; // a blank line
        const row = parse({ source: { file, line }, fields }, issues);
        if (row !== undefined) batch.push(row);
        if (stop?.()) {
          if (batch.length > 0) yield batch;
          return;
        }
      }
      if (batch.length > 0) yield batch;
      else if (parser.readableEnded) break;
      else await readableOrEnd(parser);
    }
    applySkips();
  } catch (error) {
    if (
      !(error instanceof Error) ||
      !('code' in error) ||
      typeof error.code !== 'string' ||
      !error.code.startsWith('CSV_')
    ) {
      throw error;
    }
    applySkips();
    issues.add({ file, line: lastLine + 1 }, `unreadable CSV: ${error.message}`);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** Resolves when `stream` has data or has ended; rejects on its error. */
function readableOrEnd(stream: Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      stream.off('readable', onReady);
      stream.off('end', onReady);
      stream.off('error', settle);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => settle();
    stream.on('readable', onReady);
    stream.on('end', onReady);
    stream.on('error', settle);
  });
}

function embeddedLineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const field of fields) {
    for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** The columns an importer reads from a CSV file with a header row. Names are matched case-insensitively. */
export interface CsvColumnSpec<C extends string> {
  required: readonly C[];
  optional?: readonly C[];
  /** Other accepted header names (lower case) per column, e.g. `{ user: ['userid', 'user_id'] }`. */
  aliases?: Partial<Record<C, readonly string[]>>;
}

/** The header of a CSV file resolved against a column spec. */
export class CsvHeader<C extends string> {
  private constructor(
    readonly names: readonly string[],
    private readonly index: ReadonlyMap<C, number>,
    /** Header positions not claimed by the spec, with their names. */
    readonly extras: readonly (readonly [name: string, index: number])[],
  ) {}

  /** Resolves `names` (the header record) against `spec`; returns the problem as a message when it does not fit. */
  static resolve<C extends string>(names: readonly string[], spec: CsvColumnSpec<C>): CsvHeader<C> | string {
    const normalized = names.map((n) => n.trim().toLowerCase());
    const seen = new Set<string>();
    for (const n of normalized) {
      if (seen.has(n)) return `duplicate column ${JSON.stringify(n)} in the header`;
      seen.add(n);
    }
    const index = new Map<C, number>();
    const claimed = new Set<number>();
    for (const column of [...spec.required, ...(spec.optional ?? [])]) {
      const accepted = [column.toLowerCase(), ...(spec.aliases?.[column] ?? [])];
      const i = normalized.findIndex((n) => accepted.includes(n));
      if (i >= 0) {
        index.set(column, i);
        claimed.add(i);
      }
    }
    const missing = spec.required.filter((c) => !index.has(c));
    if (missing.length > 0) {
      return `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => JSON.stringify(c)).join(', ')} (the header has ${normalized.map((n) => JSON.stringify(n)).join(', ')})`;
    }
    const extras = normalized.flatMap((n, i) => (claimed.has(i) || n === '' ? [] : [[n, i] as const]));
    return new CsvHeader(normalized, index, extras);
  }

  has(column: C): boolean {
    return this.index.has(column);
  }

  /** The trimmed value of `column` in `fields`, or undefined when the file has no such column. */
  get(fields: readonly string[], column: C): string | undefined {
    const i = this.index.get(column);
    return i === undefined ? undefined : fields[i].trim();
  }

  /** The non-empty values of the columns outside the spec, by (lower-case) header name. */
  extraValues(fields: readonly string[]): Record<string, string> | null {
    let out: Record<string, string> | null = null;
    for (const [name, i] of this.extras) {
      const value = fields[i].trim();
      if (value !== '') (out ??= {})[name] = value;
    }
    return out;
  }
}

/** A CSV record under its resolved header. */
export interface CsvRow<C extends string> extends TextRecord {
  readonly header: CsvHeader<C>;
}

/**
 * The rows `parse` makes of a CSV file with a header row checked against `spec`, in batches: a header
 * without a required column, or with a duplicate name, is reported on its line and yields nothing; a record
 * whose field count differs from the header's is reported and skipped.
 */
export async function* readCsvTable<C extends string, T>(
  file: string,
  issues: ImportIssues,
  spec: CsvColumnSpec<C>,
  parse: RecordParser<CsvRow<C>, T>,
): AsyncGenerator<T[]> {
  let header: CsvHeader<C> | undefined;
  let badHeader = false;
  const parseRecord = ({ source, fields }: TextRecord): T | undefined => {
    if (badHeader) return undefined;
    if (header === undefined) {
      const resolved = CsvHeader.resolve(fields, spec);
      if (typeof resolved === 'string') {
        issues.add(source, resolved);
        badHeader = true;
      } else {
        header = resolved;
      }
      return undefined;
    }
    if (fields.length !== header.names.length) {
      issues.add(
        source,
        `expected ${header.names.length} fields (${header.names.join(',')}), found ${fields.length}`,
      );
      return undefined;
    }
    return parse({ source, fields, header }, issues);
  };
  // A header that does not fit stops the read: every record after it would be unreadable anyway.
  yield* readCsvBatches(file, issues, parseRecord, () => badHeader);
  if (header === undefined && !badHeader) issues.add({ file, line: 0 }, 'empty file: expected a header row');
}

/** One row at a time from batches: the shape the dataset writer consumes. */
export async function* eachRow<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
