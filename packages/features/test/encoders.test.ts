import {
  CategoricalVocabulary,
  CyclicalEncoder,
  FeatureError,
  FeatureSchema,
  FeatureSchemaBuilder,
  HashingEncoder,
  MinMaxScaler,
  MultiHotEncoder,
  OOV_INDEX,
  StandardScaler,
  murmurHash3,
} from '../src';

/** JSON.stringify → JSON.parse, as saving and loading a model does. */
const roundTrip = (state: unknown): unknown => JSON.parse(JSON.stringify(state));

describe('murmurHash3 (x86, 32-bit)', () => {
  it('matches the reference implementation on known inputs', () => {
    expect(murmurHash3('', 0)).toBe(0);
    expect(murmurHash3('', 1)).toBe(0x514e28b7);
    expect(murmurHash3('hello', 0)).toBe(0x248bfa47);
    expect(murmurHash3('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });
});

describe('CyclicalEncoder', () => {
  const out = new Float32Array(2);
  const at = (enc: CyclicalEncoder, x: number): [number, number] => {
    enc.encode(x, out, 0);
    return [out[0], out[1]];
  };

  it('puts hours on the unit circle: 0 → (0,1), 6 → (1,0), 12 → (0,−1), 18 → (−1,0)', () => {
    const hour = new CyclicalEncoder(24);
    const cases: [number, number, number][] = [
      [0, 0, 1],
      [6, 1, 0],
      [12, 0, -1],
      [18, -1, 0],
      [3, Math.SQRT1_2, Math.SQRT1_2],
      [24, 0, 1],
    ];
    for (const [h, s, c] of cases) {
      const [gotS, gotC] = at(hour, h);
      expect(gotS).toBeCloseTo(s, 6);
      expect(gotC).toBeCloseTo(c, 6);
    }
  });

  it('makes 23:00 as close to 00:00 as 01:00 is, and maps NaN to the centre', () => {
    const hour = new CyclicalEncoder(24);
    const dist = (a: number, b: number): number => {
      const [as, ac] = at(hour, a);
      const [bs, bc] = at(hour, b);
      return Math.hypot(as - bs, ac - bc);
    };
    expect(dist(23, 0)).toBeCloseTo(dist(0, 1), 6);
    expect(at(hour, Number.NaN)).toEqual([0, 0]);
    // weekday Wednesday (3) of 7: angle 6π/7
    const [s, c] = at(new CyclicalEncoder(7), 3);
    expect(s).toBeCloseTo(Math.sin((6 * Math.PI) / 7), 6);
    expect(c).toBeCloseTo(Math.cos((6 * Math.PI) / 7), 6);
    expect(CyclicalEncoder.fromJSON(roundTrip(new CyclicalEncoder(12).toJSON())).period).toBe(12);
  });
});

describe('StandardScaler', () => {
  // numpy: x = [1, 2, 3, 4, 10]; x.mean() = 4.0; x.std() = sqrt(50/5) = 3.1622776601683795 (ddof=0)
  const values = [1, 2, Number.NaN, 3, 4, 10];

  it('fits the numpy mean and population std, ignoring NaN', () => {
    const s = StandardScaler.fit(values, { missingIndicator: true });
    expect(s.mean).toBeCloseTo(4, 12);
    expect(s.std).toBeCloseTo(3.1622776601683795, 12);
    expect(s.count).toBe(5);
    expect(s.missing).toBe(1);
    expect(s.scale(10)).toBeCloseTo(6 / 3.1622776601683795, 12);
    expect(s.unscale(s.scale(2.5))).toBeCloseTo(2.5, 12);
  });

  it('imputes a missing value with the training mean (z = 0) and sets the indicator', () => {
    const s = StandardScaler.fit(values, { missingIndicator: true });
    const out = new Float32Array(4).fill(9);
    s.encode(Number.NaN, out, 0);
    s.encode(4, out, 2);
    expect(Array.from(out)).toEqual([0, 1, 0, 0]);
    expect(s.columnNames('age')).toEqual(['age', 'age_missing']);
  });

  it('maps a constant column to 0 and survives a JSON round trip exactly', () => {
    const constant = StandardScaler.fit([5, 5, 5]);
    expect(constant.scale(5)).toBe(0);
    expect(constant.scale(7)).toBe(2);
    const s = StandardScaler.fit([0.1, 0.7, 1.3, 2.9]);
    const back = StandardScaler.fromJSON(roundTrip(s.toJSON()));
    for (const x of [-3, 0.25, 1, 8]) expect(back.scale(x)).toBe(s.scale(x));
  });

  it('rejects a state of another kind or version', () => {
    const state = StandardScaler.fit([1, 2]).toJSON();
    expect(() => StandardScaler.fromJSON({ ...state, formatVersion: 99 })).toThrow(FeatureError);
    expect(() => StandardScaler.fromJSON({ ...state, kind: 'min-max-scaler' })).toThrow(
      /expected a "standard-scaler"/,
    );
    expect(() => StandardScaler.fromJSON({ ...state, mean: 'x' })).toThrow(/mean/);
  });
});

describe('MinMaxScaler', () => {
  it('scales into [0, 1] with the training range, clipping and imputing the mean', () => {
    const s = MinMaxScaler.fit([2, 4, 10, Number.NaN], { missingIndicator: true });
    expect([s.min, s.max]).toEqual([2, 10]);
    expect(s.scale(6)).toBe(0.5);
    expect(s.scale(20)).toBe(1);
    expect(s.scale(-1)).toBe(0);
    expect(s.scale(Number.NaN)).toBeCloseTo((16 / 3 - 2) / 8, 12);
    const back = MinMaxScaler.fromJSON(roundTrip(s.toJSON()));
    expect(back.scale(7)).toBe(s.scale(7));
  });
});

describe('CategoricalVocabulary', () => {
  const seen = ['b', 'a', 'c', 'a', 'b', 'a', 'd', null, '', 'c'];

  it('orders by count (ties by string), drops values under minCount, and keeps index 0 for OOV', () => {
    const v = CategoricalVocabulary.fit(seen, { minCount: 2 });
    expect(v.knownValues()).toEqual(['a', 'b', 'c']);
    expect(v.cardinality).toBe(4);
    expect([v.indexOf('a'), v.indexOf('b'), v.indexOf('c')]).toEqual([1, 2, 3]);
    expect(v.indexOf('d')).toBe(OOV_INDEX); // seen once, under minCount
    expect(v.valueAt(0)).toBeNull();
  });

  it('maps unknown and missing values at transform time to the OOV index without throwing', () => {
    const v = CategoricalVocabulary.fit(seen);
    expect(v.size).toBe(4);
    expect(v.indexOf('never-seen')).toBe(0);
    expect(v.indexOf(null)).toBe(0);
    expect(v.indexOf(undefined)).toBe(0);
  });

  it('caps the size at maxSize, keeping the most frequent', () => {
    expect(CategoricalVocabulary.fit(seen, { maxSize: 2 }).knownValues()).toEqual(['a', 'b']);
  });

  it('round-trips through JSON with identical indexes', () => {
    const v = CategoricalVocabulary.fit(seen, { minCount: 2, maxSize: 10 });
    const back = CategoricalVocabulary.fromJSON(roundTrip(v.toJSON()));
    for (const x of ['a', 'b', 'c', 'd', 'zzz', null]) expect(back.indexOf(x)).toBe(v.indexOf(x));
    expect(back.toJSON()).toEqual(v.toJSON());
  });
});

describe('MultiHotEncoder and HashingEncoder', () => {
  it('multi-hot: one column per known value, column 0 for unknown ones', () => {
    const enc = MultiHotEncoder.fit([['x', 'y'], ['y'], ['z', 'y']], { minCount: 2 });
    expect(enc.columnNames('tag')).toEqual(['tag=<oov>', 'tag=y']);
    const out = new Float32Array(4).fill(7);
    enc.encode(['y', 'x', 'unknown'], out, 1);
    expect(Array.from(out)).toEqual([7, 1, 1, 7]);
    enc.encode([], out, 1);
    expect(Array.from(out)).toEqual([7, 0, 0, 7]);
    const back = MultiHotEncoder.fromJSON(roundTrip(enc.toJSON()));
    expect(back.columnNames('tag')).toEqual(enc.columnNames('tag'));
  });

  it('hashing: stable buckets, 0 for missing, never throws on unseen values', () => {
    const h = new HashingEncoder(16, 7);
    expect(h.indexOf(null)).toBe(0);
    expect(h.indexOf('hello')).toBe(1 + (murmurHash3('hello', 7) % 16));
    expect(h.cardinality).toBe(17);
    const out = new Float32Array(16);
    h.encode(['a', 'b', 'a'], out, 0);
    expect(out[h.bucket('a')]).toBe(1);
    expect(out.reduce((s, x) => s + x, 0)).toBe(h.bucket('a') === h.bucket('b') ? 1 : 2);
    const back = HashingEncoder.fromJSON(roundTrip(h.toJSON()));
    expect(back.indexOf('anything at all')).toBe(h.indexOf('anything at all'));
  });

  it('refuses to write past the end of a buffer', () => {
    expect(() => new HashingEncoder(8).encode(['a'], new Float32Array(4), 0)).toThrow(FeatureError);
  });
});

describe('FeatureSchema', () => {
  it('records offsets and cardinalities, concatenates with blocks, and round-trips', () => {
    const a = new FeatureSchemaBuilder();
    a.addDense(['x', 'y']);
    a.addCategorical('role', 4);
    const b = new FeatureSchemaBuilder();
    b.addDense(['z']);
    b.addCategorical('provider', 9);
    b.addCategorical('tier', 6);
    const joined = FeatureSchema.concat('ab', [
      { name: 'user', schema: a.build('user') },
      { name: 'item', schema: b.build('item') },
    ]);
    expect(joined.denseNames).toEqual(['user.x', 'user.y', 'item.z']);
    expect(joined.denseOffset('item.z')).toBe(2);
    expect(joined.field('item.provider')).toEqual({ name: 'item.provider', cardinality: 9, oovIndex: 0 });
    expect(joined.block('item')).toEqual({
      name: 'item',
      denseOffset: 2,
      denseWidth: 1,
      categoricalOffset: 1,
      categoricalCount: 2,
    });
    expect(FeatureSchema.fromJSON(roundTrip(joined.toJSON())).toJSON()).toEqual(joined.toJSON());
  });
});
