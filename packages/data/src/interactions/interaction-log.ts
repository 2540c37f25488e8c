import { INTERACTION_TYPES, type InteractionTypeName } from '@recsys/db';

/** An interaction type as stored in the log: its index in INTERACTION_TYPES. */
export type InteractionTypeCode = number;

const TYPE_CODES = new Map<string, InteractionTypeCode>(INTERACTION_TYPES.map((t, i) => [t, i]));

export function interactionTypeCode(type: InteractionTypeName | string): InteractionTypeCode {
  const code = TYPE_CODES.get(type);
  if (code === undefined)
    throw new Error(`unknown interaction type "${type}" (expected one of ${INTERACTION_TYPES.join(', ')})`);
  return code;
}

export function interactionTypeName(code: InteractionTypeCode): InteractionTypeName {
  const name = INTERACTION_TYPES[code];
  if (name === undefined) throw new RangeError(`unknown interaction type code ${code}`);
  return name;
}

/**
 * The interaction events of a dataset as parallel typed arrays (structure of arrays): event `e` is
 * user `users[e]` on item `items[e]` of type `types[e]` at `timestamps[e]` (seconds since the epoch)
 * with value `values[e]` (the rating, or NaN where the event carries none).
 * Ten million events take 210 MB, against several GB as JavaScript objects.
 */
export interface InteractionLog {
  readonly length: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
  readonly timestamps: Float64Array;
  readonly types: Uint8Array;
}

/** Appends events into growing typed arrays (doubling), then trims them in `build`. */
export class InteractionLogBuilder {
  private n = 0;
  private users: Int32Array;
  private items: Int32Array;
  private values: Float32Array;
  private timestamps: Float64Array;
  private types: Uint8Array;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity);
    this.users = new Int32Array(c);
    this.items = new Int32Array(c);
    this.values = new Float32Array(c);
    this.timestamps = new Float64Array(c);
    this.types = new Uint8Array(c);
  }

  get length(): number {
    return this.n;
  }

  push(user: number, item: number, value: number, timestampSeconds: number, type: InteractionTypeCode): void {
    if (this.n === this.users.length) this.grow();
    const i = this.n++;
    this.users[i] = user;
    this.items[i] = item;
    this.values[i] = value;
    this.timestamps[i] = timestampSeconds;
    this.types[i] = type;
  }

  private grow(): void {
    const c = this.users.length * 2;
    const grow = <T extends Int32Array | Float32Array | Float64Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(c);
      b.set(a);
      return b;
    };
    this.users = grow(this.users, (n) => new Int32Array(n));
    this.items = grow(this.items, (n) => new Int32Array(n));
    this.values = grow(this.values, (n) => new Float32Array(n));
    this.timestamps = grow(this.timestamps, (n) => new Float64Array(n));
    this.types = grow(this.types, (n) => new Uint8Array(n));
  }

  build(): InteractionLog {
    const n = this.n;
    return {
      length: n,
      users: this.users.slice(0, n),
      items: this.items.slice(0, n),
      values: this.values.slice(0, n),
      timestamps: this.timestamps.slice(0, n),
      types: this.types.slice(0, n),
    };
  }
}

/** The events at `indices`, in that order, as a new log. */
export function selectEvents(log: InteractionLog, indices: ArrayLike<number>): InteractionLog {
  const n = indices.length;
  const out = {
    length: n,
    users: new Int32Array(n),
    items: new Int32Array(n),
    values: new Float32Array(n),
    timestamps: new Float64Array(n),
    types: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const e = indices[k];
    out.users[k] = log.users[e];
    out.items[k] = log.items[e];
    out.values[k] = log.values[e];
    out.timestamps[k] = log.timestamps[e];
    out.types[k] = log.types[e];
  }
  return out;
}
