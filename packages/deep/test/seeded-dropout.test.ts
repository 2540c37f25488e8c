import * as tf from '@tensorflow/tfjs';
import { dropoutMask, seededDropout, selectBackend, silentLogger } from '../src';

describe('seeded dropout', () => {
  it('keeps 1 − rate of the units, scaled by 1/(1 − rate), the same for a seed', () => {
    for (const rate of [0.1, 0.3, 0.5, 0.9]) {
      const mask = dropoutMask(100_000, rate, 17);
      let kept = 0;
      let misScaled = 0;
      for (const v of mask) {
        if (v === 0) continue;
        kept++;
        if (Math.abs(v - 1 / (1 - rate)) > 1e-5) misScaled++;
      }
      expect(misScaled).toBe(0);
      // Binomial(100,000, 1 − rate): 4 standard deviations are under 0.007.
      expect(Math.abs(kept / 100_000 - (1 - rate))).toBeLessThan(0.007);
      expect(dropoutMask(100_000, rate, 17)).toEqual(mask);
    }
  });

  it('draws independent masks for neighbouring seeds (steps, layers)', () => {
    const rate = 0.5;
    const a = dropoutMask(50_000, rate, 1000);
    for (const seed of [1001, 1016, 999]) {
      const b = dropoutMask(50_000, rate, seed);
      let same = 0;
      for (let i = 0; i < a.length; i++) if ((a[i] === 0) === (b[i] === 0)) same++;
      // Independent masks agree on p² + (1 − p)² = 0.5 of the units.
      expect(Math.abs(same / a.length - 0.5)).toBeLessThan(0.01);
    }
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`multiplies by the mask on ${backend}, forward and backward, and is the identity at rate 0`, async () => {
      await selectBackend({ env: { TFJS_BACKEND: backend }, logger: silentLogger });
      const before = tf.memory().numTensors;
      const x = tf.tensor2d(
        Float32Array.from({ length: 60 }, (_, i) => i + 1),
        [6, 10],
      );
      const mask = dropoutMask(60, 0.4, 5);
      const y = tf.tidy(() => seededDropout(x, 0.4, 5).dataSync());
      const grad = tf.tidy(() =>
        tf
          .grad((t: tf.Tensor) => tf.sum(seededDropout(t, 0.4, 5)))(x)
          .dataSync(),
      );
      for (let i = 0; i < 60; i++) {
        expect(y[i]).toBeCloseTo((i + 1) * mask[i], 4);
        expect(grad[i]).toBeCloseTo(mask[i], 6);
      }
      expect(seededDropout(x, 0, 5)).toBe(x);
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
