import type { InteractionLog } from '../../src/interactions/interaction-log';
import type { Split } from '../../src/splits/split';

/** Checks sorted, disjoint halves that together hold every event once. */
export function expectPartition(split: Split, n: number): void {
  const seen = new Uint8Array(n);
  for (const half of [split.train, split.test]) {
    for (let k = 0; k < half.length; k++) {
      if (k > 0 && half[k] <= half[k - 1]) throw new Error(`not ascending at ${k}`);
      seen[half[k]]++;
    }
  }
  expect(split.train.length + split.test.length).toBe(n);
  expect(seen.every((c) => c === 1)).toBe(true);
}

/** Events per user among `events`. */
export function perUserCounts(l: InteractionLog, events: Int32Array, nUsers: number): Int32Array {
  const c = new Int32Array(nUsers);
  for (const e of events) c[l.users[e]]++;
  return c;
}
