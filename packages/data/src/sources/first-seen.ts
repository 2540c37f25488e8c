/**
 * The earliest event time of each user and item met in a pass over an interaction file: the creation
 * time of users (and of items without a date of their own) in files that record none.
 */
export class FirstSeen {
  private readonly users = new Map<string, number>();
  private readonly items = new Map<string, number>();

  see(userId: string, itemId: string, ms: number): void {
    const u = this.users.get(userId);
    if (u === undefined || ms < u) this.users.set(userId, ms);
    const i = this.items.get(itemId);
    if (i === undefined || ms < i) this.items.set(itemId, ms);
  }

  user(id: string): number | undefined {
    return this.users.get(id);
  }

  item(id: string): number | undefined {
    return this.items.get(id);
  }

  /** User ids in order of first appearance in the pass. */
  userIds(): IterableIterator<string> {
    return this.users.keys();
  }
}

/** `make` run at most once, on first call; later calls share its promise. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
