import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeCopyRow, type CopyValue } from './copy-text-format';

const CHUNK_BYTES = 1 << 20;

/**
 * Streams rows into `table` with COPY FROM STDIN (text format). Rows are encoded in 1 MiB chunks so a
 * ten-million-row source never sits in memory at once. Returns the number of rows copied.
 */
export async function copyRowsIn(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]> | AsyncIterable<readonly CopyValue[]>,
): Promise<number> {
  let count = 0;
  async function* encode(): AsyncGenerator<string> {
    let chunk = '';
    for await (const row of rows) {
      if (row.length !== columns.length) {
        throw new Error(`COPY into ${table}: row has ${row.length} values for ${columns.length} columns`);
      }
      chunk += encodeCopyRow(row);
      count++;
      if (chunk.length >= CHUNK_BYTES) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  const sql = `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  const sink = client.query(copyFrom(sql));
  await pipeline(Readable.from(encode()), sink);
  return count;
}
