import { z } from 'zod';
import type { CsrMatrix } from '@recsys/data';

/**
 * The `segments` parameter: users bucketed by training activity (distinct items in their history)
 * into `buckets` quantile groups (3: light, medium, heavy), each with weights of its own. A segment
 * with fewer than `minUsers` validation users keeps the global weights: too few lists to learn from.
 */
export const segmentsSchema = z.object({
  by: z.literal('activity'),
  buckets: z.number().int().min(2).max(10).default(3),
  minUsers: z.number().int().min(1).default(100),
});

export type SegmentsParams = z.output<typeof segmentsSchema>;

/** Distinct training items of each user (row lengths of the binary training matrix). */
export function userActivity(seen: CsrMatrix): Int32Array {
  const out = new Int32Array(seen.rows);
  for (let u = 0; u < seen.rows; u++) out[u] = seen.indptr[u + 1] - seen.indptr[u];
  return out;
}

/**
 * Upper edges of `buckets` activity quantiles over users with history: a user with activity a is in
 * segment s = the number of edges ≤ a. Edges are strictly increasing (repeated quantiles merge, so a
 * dataset where everyone has the same activity gets one segment).
 */
export function activityEdges(activity: Int32Array, buckets: number): Float64Array {
  const active = Array.from(activity).filter((a) => a > 0);
  active.sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < buckets && active.length > 0; b++) {
    const q = active[Math.min(active.length - 1, Math.floor((b * active.length) / buckets))];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  return Float64Array.from(edges);
}

/** The segment of a user with `activity` distinct training items (0 .. edges.length). */
export function segmentOf(activity: number, edges: Float64Array): number {
  let s = 0;
  while (s < edges.length && activity >= edges[s]) s++;
  return s;
}
