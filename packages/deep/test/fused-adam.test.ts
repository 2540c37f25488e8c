import * as tf from '@tensorflow/tfjs';
import { Rng } from '@recsys/data';
import { createAdam, FusedAdamOptimizer, NeuMfNetwork, selectBackend, silentLogger } from '../src';

/** The same NeuMF trained for `steps` batches from one seed by `make`'s optimizer: its weights. */
function train(make: () => tf.Optimizer, steps: number): Record<string, Float32Array> {
  const net = new NeuMfNetwork({
    users: 30,
    items: 40,
    gmfDim: 4,
    mlpEmbeddingDim: 3,
    mlpLayers: [8, 4],
    dropout: [0.3, 0],
    seed: 7,
  });
  const optimizer = make();
  const rng = new Rng(3);
  for (let step = 0; step < steps; step++) {
    const n = 64;
    const batch = {
      users: Int32Array.from({ length: n }, () => rng.int(30)),
      items: Int32Array.from({ length: n }, () => rng.int(40)),
      labels: Float32Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0)),
    };
    optimizer.minimize(() => net.loss(batch, step), false, net.parameters.variables());
  }
  const weights = net.parameters.read();
  expect(optimizer.iterations).toBe(steps);
  optimizer.dispose();
  net.dispose();
  return weights;
}

describe('FusedAdamOptimizer', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`takes the same steps as tf.train.adam on ${backend} (weights within 1e-5 after 40 steps)`, async () => {
      await selectBackend({ env: { TFJS_BACKEND: backend }, logger: silentLogger });
      const before = tf.memory().numTensors;
      const reference = train(() => tf.train.adam(0.01), 40);
      const fused = train(() => new FusedAdamOptimizer(0.01), 40);
      expect(tf.memory().numTensors).toBe(before);
      let worst = 0;
      let moved = 0;
      const start = train(() => new FusedAdamOptimizer(0.01), 0);
      for (const [name, w] of Object.entries(reference)) {
        for (let k = 0; k < w.length; k++) {
          worst = Math.max(worst, Math.abs(fused[name][k] - w[k]));
          moved = Math.max(moved, Math.abs(w[k] - start[name][k]));
        }
      }
      expect(moved).toBeGreaterThan(0.1); // the steps did move the weights
      expect(worst).toBeLessThan(1e-5);
      expect(createAdam(0.01)).toBeInstanceOf(FusedAdamOptimizer);
    });
  }
});
