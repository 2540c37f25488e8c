import { assertItemInRange, validateCatalogSize, validateK } from '../shared/validation';

/**
 * Running exposure counts: after `add`ing lists, counts[i] = the number of lists whose first K positions
 * contain item i (whole lists without K). A repeated item counts once per list. Item ids must be integers
 * in 0..numItems-1.
 */
export class ExposureCounter {
  readonly counts: Float64Array;
  /** lastList[i] = the 1-based number of the last list that counted item i. */
  private readonly lastList: Int32Array;
  private lists = 0;

  constructor(
    readonly numItems: number,
    readonly k?: number,
  ) {
    validateCatalogSize(numItems, 'ExposureCounter');
    if (k !== undefined) validateK(k, 'ExposureCounter');
    this.counts = new Float64Array(numItems);
    this.lastList = new Int32Array(numItems);
  }

  /** Throws MetricInputError `ITEM_OUT_OF_RANGE` if an id among the list's first K is outside the catalog. */
  validate(list: ArrayLike<number>): void {
    const m = Math.min(list.length, this.k ?? list.length);
    for (let p = 0; p < m; p++) assertItemInRange(list[p], this.numItems, 'ExposureCounter');
  }

  /** Counts one list; validates it first, so a rejected list changes no count. */
  add(list: ArrayLike<number>): void {
    this.validate(list);
    const tag = ++this.lists;
    const m = Math.min(list.length, this.k ?? list.length);
    for (let p = 0; p < m; p++) {
      const item = list[p];
      if (this.lastList[item] === tag) continue;
      this.lastList[item] = tag;
      this.counts[item]++;
    }
  }
}

/** Exposure of each catalog item over `lists` (see ExposureCounter): c_i = lists showing item i in their top K. */
export function itemExposure(
  lists: ReadonlyArray<ArrayLike<number>>,
  numItems: number,
  k?: number,
): Float64Array {
  const counter = new ExposureCounter(numItems, k);
  for (const list of lists) counter.add(list);
  return counter.counts;
}

/** The share of items with non-zero exposure (the coverage formula, shared with the accumulator). */
export function coveredShare(counts: Float64Array): number {
  let covered = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) covered++;
  return covered / counts.length;
}
