import { createHash, type Hash } from 'node:crypto';
import type { InteractionDataset } from './dataset';

/** Bump when what is hashed changes, so that old and new fingerprints never collide by accident. */
const FINGERPRINT_VERSION = 'recsys-dataset-fingerprint/v1';

/**
 * A hex SHA-256 identifying a dataset's training content: the event arrays (users, items, values,
 * timestamps, types, as their raw bytes) and both id maps (the index → id assignment). Models record it
 * in their manifests to say exactly what they were trained on; the same events and ids in the same order
 * give the same fingerprint on every run. The name and side data are not included.
 * Typed-array bytes are hashed in the platform's byte order (little-endian on every supported machine).
 */
export function datasetFingerprint(ds: InteractionDataset): string {
  const hash = createHash('sha256');
  hash.update(`${FINGERPRINT_VERSION}\n`);
  const { log } = ds;
  hash.update(`events ${log.length}\n`);
  for (const a of [log.users, log.items, log.values, log.timestamps, log.types]) updateBytes(hash, a);
  // JSON arrays keep ids with any characters unambiguous.
  hash.update(`\nusers ${JSON.stringify(ds.users.toJSON())}\nitems ${JSON.stringify(ds.items.toJSON())}\n`);
  return hash.digest('hex');
}

function updateBytes(hash: Hash, a: Int32Array | Float32Array | Float64Array | Uint8Array): void {
  hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
