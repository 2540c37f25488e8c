import * as tf from '@tensorflow/tfjs';
import {
  InteractionLogBuilder,
  interactionTypeCode,
  Rng,
  UniformNegativeSampler,
  userItemMatrix,
  userSequences,
} from '@recsys/data';
import {
  bceWithNegatives,
  bprMax,
  lastItems,
  PAD,
  padSequence,
  selectBackend,
  SequenceExamples,
  silentLogger,
  softmaxCrossEntropy,
} from '../src';

/** users' item lists in time order → UserSequences (user 1 has a single event: no window). */
function sequencesOf(lists: number[][]) {
  const log = new InteractionLogBuilder();
  let t = 1_000;
  lists.forEach((items, u) => items.forEach((i) => log.push(u, i, 1, t++, interactionTypeCode('CLICK'))));
  const built = log.build();
  return { log: built, sequences: userSequences(built, lists.length) };
}

describe('SequenceExamples: next-item windows', () => {
  const lists = [[10, 11, 12, 13, 14], [20], [30, 31]];
  const { log, sequences } = sequencesOf(lists);

  it("cuts each history from its end into windows whose targets cover every event but the user's first", () => {
    const examples = new SequenceExamples(sequences, 2, 1);
    expect(examples.windows).toBe(3);
    expect(examples.targets).toBe(5);
    const [batch] = [...examples.epoch(10)];
    const rows = Array.from({ length: batch.rows }, (_, r) => ({
      user: batch.users[r],
      inputs: Array.from(batch.inputs.subarray(r * 2, r * 2 + 2)),
      targets: Array.from(batch.targets.subarray(r * 2, r * 2 + 2)),
    })).sort((a, b) => a.user - b.user || a.inputs[0] - b.inputs[0]);
    expect(rows).toEqual([
      { user: 0, inputs: [10, 11], targets: [11, 12] },
      { user: 0, inputs: [12, 13], targets: [13, 14] },
      { user: 2, inputs: [PAD, 30], targets: [PAD, 31] },
    ]);
  });

  it('shuffles windows per epoch from the seed, in batches of at most batchSize rows', () => {
    const order = (seed: number) =>
      [...new SequenceExamples(sequences, 2, seed).epoch(1)].map((b) => `${b.users[0]}:${b.inputs[1]}`);
    expect(order(4)).toEqual(order(4));
    expect([...order(4)].sort()).toEqual(['0:11', '0:13', '2:30']);
    const sizes = [...new SequenceExamples(sequences, 2, 1).epoch(2)].map((b) => b.rows);
    expect(sizes).toEqual([2, 1]);
    expect(() => [...new SequenceExamples(sequences, 2, 1).epoch(0)]).toThrow(RangeError);
  });

  it("draws per-position negatives outside the user's items and shared ones inside the catalog", () => {
    const seen = userItemMatrix(log, 3, 40, { value: 'binary' });
    const examples = new SequenceExamples(sequences, 3, 1, {
      perPosition: { sampler: new UniformNegativeSampler(seen, { seed: 2 }), count: 1 },
      shared: { count: 7, items: 40 },
    });
    for (const batch of examples.epoch(2)) {
      expect(batch.negatives).toHaveLength(batch.rows * 3);
      for (let k = 0; k < batch.negatives.length; k++)
        expect(lists[batch.users[Math.floor(k / 3)]]).not.toContain(batch.negatives[k]);
      expect(batch.sharedNegatives).toHaveLength(7);
      for (const item of batch.sharedNegatives) expect(item).toBeLessThan(40);
    }
  });

  it('keeps the last maxLen items of each history, left-padded, and pads one sequence the same way', () => {
    expect(Array.from(lastItems(sequences, 3))).toEqual([12, 13, 14, PAD, PAD, 20, PAD, 30, 31]);
    expect(Array.from(padSequence([1, 2, 3, 4], 3))).toEqual([2, 3, 4]);
    expect(Array.from(padSequence([5], 3))).toEqual([PAD, PAD, 5]);
  });
});

describe('next-item losses against hand-computed values', () => {
  const hidden = [
    [1, 0],
    [0.5, -1],
  ];
  const items = [
    [2, 1],
    [-1, 0.5],
    [0, 3],
  ];
  const softplus = (x: number) => Math.log1p(Math.exp(x));
  const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1];

  beforeAll(async () => {
    await selectBackend({ env: { TFJS_BACKEND: 'wasm' }, logger: silentLogger });
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it("BCE with one negative per position is SASRec's eq. 6", () => {
    const got = tf.tidy(
      () =>
        bceWithNegatives(
          tf.tensor2d(hidden),
          { items: tf.tensor2d(items), nItems: 3 },
          tf.tensor1d([0, 2], 'int32'),
          tf.tensor1d([1, 0], 'int32'),
        ).dataSync()[0],
    );
    const expected =
      (softplus(-dot(hidden[0], items[0])) +
        softplus(dot(hidden[0], items[1])) +
        softplus(-dot(hidden[1], items[2])) +
        softplus(dot(hidden[1], items[0]))) /
      2;
    expect(got).toBeCloseTo(expected, 5);
  });

  it('the full-softmax cross-entropy and its hand-written gradient match TF.js softmaxCrossEntropy', () => {
    const rng = new Rng(4);
    const h = tf.tensor2d(
      Float32Array.from({ length: 7 * 5 }, () => rng.normal()),
      [7, 5],
    );
    const e = tf.tensor2d(
      Float32Array.from({ length: 9 * 5 }, () => rng.normal()),
      [9, 5],
    );
    const targets = Int32Array.from([1, 2, 3, 0, 8, 8, 5]);
    const reference = tf.valueAndGrads((hh: tf.Tensor, ee: tf.Tensor) =>
      tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.tensor1d(targets, 'int32'), 9),
        tf.matMul(hh, ee, false, true),
      ),
    )([h, e]);
    const ours = tf.valueAndGrads((hh: tf.Tensor, ee: tf.Tensor) =>
      softmaxCrossEntropy(hh as tf.Tensor2D, { items: ee as tf.Tensor2D, nItems: 9 }, targets),
    )([h, e]);
    expect(ours.value.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0], 5);
    for (let k = 0; k < 2; k++) {
      const a = ours.grads[k].dataSync();
      const b = reference.grads[k].dataSync();
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
    }
    tf.dispose([h, e, reference.value, ours.value, ...reference.grads, ...ours.grads]);
  });

  it('the full softmax leaves out padding rows of the table and adds the item bias', () => {
    const got = tf.tidy(
      () =>
        softmaxCrossEntropy(
          tf.tensor2d([hidden[0]]),
          { items: tf.tensor2d(items), bias: tf.tensor1d([0.5, 0]), nItems: 2 },
          Int32Array.of(1),
        ).dataSync()[0],
    );
    const logits = [dot(hidden[0], items[0]) + 0.5, dot(hidden[0], items[1])];
    expect(got).toBeCloseTo(Math.log(Math.exp(logits[0]) + Math.exp(logits[1])) - logits[1], 5);
  });

  it('BPR-max (Hidasi & Karatzoglou 2018, eq. 9–10) leaves out a negative equal to the target', () => {
    const lambda = 0.5;
    const got = tf.tidy(
      () =>
        bprMax(
          tf.tensor2d([hidden[0]]),
          { items: tf.tensor2d(items), bias: tf.tensor1d([0, 0.25, 0]), nItems: 3 },
          tf.tensor1d([0], 'int32'),
          tf.tensor1d([1, 2, 0], 'int32'),
          tf.tensor2d([[0, 0, 1]]),
          lambda,
        ).dataSync()[0],
    );
    const r = [dot(hidden[0], items[0]), dot(hidden[0], items[1]) + 0.25, dot(hidden[0], items[2])];
    const z = Math.exp(r[1]) + Math.exp(r[2]);
    const s = [Math.exp(r[1]) / z, Math.exp(r[2]) / z];
    const sigma = (x: number) => 1 / (1 + Math.exp(-x));
    const expected =
      -Math.log(s[0] * sigma(r[0] - r[1]) + s[1] * sigma(r[0] - r[2])) +
      lambda * (s[0] * r[1] ** 2 + s[1] * r[2] ** 2);
    expect(got).toBeCloseTo(expected, 5);
  });
});

describe('BatchMatMul by batch entries on wasm against the cpu kernel', () => {
  it('matches cpu within 1e-5 relative for every transpose combination and leaves broadcasts alone', async () => {
    const rng = new Rng(5);
    const a = Float32Array.from({ length: 6 * 7 * 9 }, () => rng.normal());
    const b = Float32Array.from({ length: 6 * 9 * 7 }, () => rng.normal());
    const cases: [number[], number[], boolean, boolean][] = [
      [[6, 7, 9], [6, 9, 7], false, false],
      [[6, 9, 7], [6, 9, 7], true, false],
      [[6, 7, 9], [6, 7, 9], false, true],
      [[6, 9, 7], [6, 7, 9], true, true],
      [[2, 3, 7, 9], [2, 3, 9, 7], false, false], // rank 4 (attention's [rows, heads, L, L])
      [[6, 7, 9], [1, 9, 7], false, false], // broadcast batch: the stock kernel
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
        return tf.tidy(() =>
          tf
            .matMul(tf.tensor(a.subarray(0, size(sa)), sa), tf.tensor(b.subarray(0, size(sb)), sb), ta, tb)
            .dataSync(),
        );
      };
      const ref = await run('cpu');
      await selectBackend({ env: { TFJS_BACKEND: 'wasm' }, logger: silentLogger });
      const got = await run('wasm');
      expect(got.length).toBe(ref.length);
      let worst = 0;
      for (let i = 0; i < ref.length; i++)
        worst = Math.max(worst, Math.abs(got[i] - ref[i]) / (1 + Math.abs(ref[i])));
      expect(worst).toBeLessThanOrEqual(1e-5);
    }
    await tf.setBackend('cpu');
  });
});
