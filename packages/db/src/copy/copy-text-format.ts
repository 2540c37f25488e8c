/**
 * PostgreSQL COPY text format (https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.2):
 * columns separated by a tab, rows by a newline, NULL written as \N, and backslash, tab, newline and
 * carriage return escaped with a backslash.
 */

export type CopyValue = string | number | boolean | null | undefined | readonly string[] | Date;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escapeText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** A PostgreSQL array literal ({"a","b"}) for a text[] column; elements are always quoted. */
export function textArrayLiteral(values: readonly string[]): string {
  const parts = values.map((v) => '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"');
  return '{' + parts.join(',') + '}';
}

export function encodeCopyValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '\\N';
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return escapeText(textArrayLiteral(value));
}

export function encodeCopyRow(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    line += encodeCopyValue(values[i]);
  }
  return line + '\n';
}

/** Undoes the text-format escapes of one field read from COPY ... TO STDOUT. */
export function decodeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  if (field.indexOf('\\') < 0) return field;
  return field.replace(/\\(.)/g, (_m, c: string) =>
    c === 't'
      ? '\t'
      : c === 'n'
        ? '\n'
        : c === 'r'
          ? '\r'
          : c === 'b'
            ? '\b'
            : c === 'f'
              ? '\f'
              : c === 'v'
                ? '\v'
                : c,
  );
}
