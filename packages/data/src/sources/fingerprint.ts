import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { JsonValue } from '@recsys/db';

/**
 * SHA-256 hex over the files, in the order given: for each, its base name, a NUL, its bytes, a NUL.
 * Base names (not full paths) are hashed so that the same data in another folder has the same fingerprint,
 * while swapping two files' contents does not.
 */
export async function fingerprintFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.basename(file) + '\0');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** SHA-256 hex over a JSON value written with sorted object keys, so key order never changes the digest. */
export function fingerprintValue(value: JsonValue): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
