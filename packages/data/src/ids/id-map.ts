/**
 * A bijection between external string ids (the marketplace's user and service ids) and dense
 * indexes 0..size-1, which every matrix, embedding table and typed array of the platform is indexed by.
 * Indexes are assigned in order of first appearance, so the same input order gives the same map.
 */
export class IdMap {
  private readonly toIndex = new Map<string, number>();
  private readonly ids: string[] = [];

  static from(ids: Iterable<string>): IdMap {
    const map = new IdMap();
    for (const id of ids) map.add(id);
    return map;
  }

  /** Restores a map saved with `toJSON` (the index of each id is its position). */
  static fromJSON(ids: readonly string[]): IdMap {
    const map = new IdMap();
    for (const id of ids) {
      if (map.toIndex.has(id)) throw new Error(`IdMap.fromJSON: duplicate id "${id}"`);
      map.add(id);
    }
    return map;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The index of `id`, assigning the next free one if it is new. */
  add(id: string): number {
    let index = this.toIndex.get(id);
    if (index === undefined) {
      index = this.ids.length;
      this.ids.push(id);
      this.toIndex.set(id, index);
    }
    return index;
  }

  /** The index of `id`, or undefined when it is not in the map. */
  indexOf(id: string): number | undefined {
    return this.toIndex.get(id);
  }

  has(id: string): boolean {
    return this.toIndex.has(id);
  }

  /** The external id at `index`; throws a RangeError outside 0..size-1. */
  idAt(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`IdMap: index ${index} outside 0..${this.ids.length - 1}`);
    return id;
  }

  /** The ids in index order (a copy). */
  toJSON(): string[] {
    return this.ids.slice();
  }
}
