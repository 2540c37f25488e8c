/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, public domain; reference implementation
 * https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp), over the UTF-8 bytes of a string.
 * Stable across processes, platforms and Node versions, so hashed feature indexes saved with a model stay
 * valid at serving time. Known values: ("", 0) → 0, ("hello", 0) → 0x248bfa47,
 * ("The quick brown fox jumps over the lazy dog", 0) → 0x2e4ff723.
 *
 * Per 4-byte little-endian block k: k·c1, rotl 15, ·c2; h ^= k, rotl 13, h·5 + 0xe6546b64;
 * then the 1-3 tail bytes likewise without the h mixing, h ^= length, and the fmix32 avalanche.
 */
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();

/** The unsigned 32-bit MurmurHash3 of the UTF-8 encoding of `text`. */
export function murmurHash3(text: string, seed = 0): number {
  return murmurHash3Bytes(encoder.encode(text), seed);
}

export function murmurHash3Bytes(bytes: Uint8Array, seed = 0): number {
  const n = bytes.length;
  const blocks = n & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2] << 16;
    if (tail >= 2) k ^= bytes[blocks + 1] << 8;
    k ^= bytes[blocks];
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
