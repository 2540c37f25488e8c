import { StringDecoder } from 'node:string_decoder';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Streams the rows of `COPY (query) TO STDOUT` (text format) as arrays of raw fields, undecoded, one
 * batch per network chunk: per-row async iteration would cost a promise per row, which dominates a
 * ten-million-row read. Callers that know their columns hold no escapes (ids, numbers, enum names) skip
 * the decoding cost; others pass fields through `decodeCopyField`. The query must not take parameters
 * (COPY cannot), so callers inline literals with `quoteLiteral`.
 */
export async function* copyRowBatchesOut(client: PoolClient, query: string): AsyncGenerator<string[][]> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  const decoder = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const batch: string[][] = [];
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl >= 0) {
      batch.push(text.slice(start, nl).split('\t'));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  rest += decoder.end();
  if (rest.length > 0) yield [rest.split('\t')];
}

/** The rows of `copyRowBatchesOut` one at a time, for small reads. */
export async function* copyRowsOut(client: PoolClient, query: string): AsyncGenerator<string[]> {
  for await (const batch of copyRowBatchesOut(client, query)) yield* batch;
}

/** A SQL string literal (standard_conforming_strings on, as in every supported PostgreSQL). */
export function quoteLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}
