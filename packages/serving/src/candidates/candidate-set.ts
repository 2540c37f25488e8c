import type { CandidateSource } from '../contract';

/** Sources in priority order: a candidate found by several keeps the first as its `source`. */
export const SOURCES: readonly CandidateSource[] = [
  'model',
  'similar',
  'content',
  'trending',
  'popular',
  'exploration',
];
export const SOURCE = {
  model: 0,
  similar: 1,
  content: 2,
  trending: 3,
  popular: 4,
  exploration: 5,
} as const satisfies Record<CandidateSource, number>;
const N_SOURCES = SOURCES.length;

/** Why an anchor is one: the user used it, or viewed it (in this session or before). */
export const ANCHOR_USED = 1;
export const ANCHOR_VIEWED = 2;

/**
 * The merged candidates of one request as parallel typed arrays (no object per candidate): catalog index,
 * primary source, the anchor that brought it (a catalog index, -1 for none, with its kind) and a strength
 * in [0, 1] per source (its score within that source's list over the list's best).
 */
export class CandidateSet {
  size = 0;
  readonly items: Int32Array;
  readonly sources: Uint8Array;
  readonly anchors: Int32Array;
  readonly anchorKinds: Uint8Array;
  readonly strengths: Float32Array;
  private readonly slotOf: Int32Array;

  constructor(catalogSize: number, capacity: number) {
    const cap = Math.max(0, Math.min(capacity, catalogSize));
    this.items = new Int32Array(cap);
    this.sources = new Uint8Array(cap);
    this.anchors = new Int32Array(cap);
    this.anchorKinds = new Uint8Array(cap);
    this.strengths = new Float32Array(cap * N_SOURCES);
    this.slotOf = new Int32Array(catalogSize).fill(-1);
  }

  has(item: number): boolean {
    return this.slotOf[item] >= 0;
  }

  /** Adds (or reinforces) a candidate; false when the set is full. */
  add(item: number, source: number, strength: number, anchor = -1, anchorKind = 0): boolean {
    let slot = this.slotOf[item];
    if (slot < 0) {
      if (this.size === this.items.length) return false;
      slot = this.size++;
      this.slotOf[item] = slot;
      this.items[slot] = item;
      this.sources[slot] = source;
      this.anchors[slot] = anchor;
      this.anchorKinds[slot] = anchorKind;
    } else if (this.anchors[slot] < 0 && anchor >= 0) {
      this.anchors[slot] = anchor;
      this.anchorKinds[slot] = anchorKind;
    }
    const k = slot * N_SOURCES + source;
    if (strength > this.strengths[k]) this.strengths[k] = strength;
    return true;
  }

  strength(slot: number, source: number): number {
    return this.strengths[slot * N_SOURCES + source];
  }
}
