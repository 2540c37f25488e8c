import { murmurHash3 } from '@recsys/features';

/** Traffic is split in 10,000 buckets: shares are honoured to 0.01 %. */
export const BUCKETS = 10_000;

const HASH_RANGE = 2 ** 32;

/**
 * The bucket in [0, BUCKETS) of `key`: MurmurHash3 (x86, 32-bit, seed 0) of its UTF-8 bytes scaled to
 * the bucket range (floor(h · BUCKETS / 2^32), exact in doubles). The same key gives the same bucket in
 * every process, on every machine, before and after restarts.
 */
export function bucketOf(key: string): number {
  return Math.floor((murmurHash3(key) * BUCKETS) / HASH_RANGE);
}

/** The user's bucket in an experiment: the hash of `experimentName + ':' + userId`. */
export function assignmentBucket(experimentName: string, userId: string): number {
  return bucketOf(`${experimentName}:${userId}`);
}

/**
 * The user's bucket for mirroring requests to a shadow variant: a hash of its own
 * (`experimentName:variantName:userId`), independent of the assignment, so that the shadow sees users of
 * every shown variant in proportion.
 */
export function shadowBucket(experimentName: string, variantName: string, userId: string): number {
  return bucketOf(`${experimentName}:${variantName}:${userId}`);
}
