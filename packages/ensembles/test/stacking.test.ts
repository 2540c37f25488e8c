import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildCsr } from '@recsys/data';
import { loadModel } from '@recsys/models';
import { StackingModel, stackingFeatureNames } from '../src';
import { stackingFeatures } from '../src/features/stacking-features';
import { describeModelContract } from '../../models/test/support/contract-suite';
import { blockDataset } from '../../models/test/support/block-dataset';
import { clusteredDataset } from './support/clustered-dataset';
import { registerNoiseModel } from './support/noise-model';

registerNoiseModel();

const SMALL = {
  models: [
    { name: 'ease', params: { lambda: 10 } },
    { name: 'item-knn', params: { neighbors: 10 } },
  ],
  validationFraction: 0.25,
  candidates: 10,
};

describeModelContract('stacking', () => new StackingModel(), {
  params: SMALL,
  personalized: true,
  servesColdUsers: false,
});

describe('stacking features', () => {
  it('computes base scores, activity products, popularity and category affinity by hand', () => {
    // Users: 0 saw items 0, 1; 1 saw item 0; 2 saw items 0, 1, 2. Categories: item 0 {A}, 1 {A, B}, 2 {B}, 3 {}.
    const seen = buildCsr(3, 4, Int32Array.of(0, 0, 1, 2, 2, 2), Int32Array.of(0, 1, 0, 0, 1, 2));
    const categories = { offsets: Int32Array.of(0, 1, 3, 4, 4), values: Int32Array.of(0, 0, 1, 1) };
    const map = stackingFeatures(seen, 2, categories);
    expect(map.dimension).toBe(7);
    expect(stackingFeatureNames(['ease', 'als'])).toHaveLength(7);
    const out = new Float32Array(2 * 7);
    map.fill(0, Int32Array.of(2, 3), Float32Array.of(1.5, -0.5, 0.25, 2), out);
    // Activity: log(1 + [2, 1, 3]) standardised; user 0 has log 3.
    const act = [2, 1, 3].map((n) => Math.log1p(n));
    const am = act.reduce((a, b) => a + b) / 3;
    const as = Math.sqrt(act.reduce((s, a) => s + (a - am) ** 2, 0) / 3);
    const a0 = (act[0] - am) / as;
    // Popularity: users per item [3, 2, 1, 0] → log1p standardised over all four items.
    const pop = [3, 2, 1, 0].map((n) => Math.log1p(n));
    const pm = pop.reduce((a, b) => a + b) / 4;
    const ps = Math.sqrt(pop.reduce((s, p) => s + (p - pm) ** 2, 0) / 4);
    const p2 = (pop[2] - pm) / ps;
    const p3 = (pop[3] - pm) / ps;
    // User 0's history: A twice (items 0, 1), B once (item 1) over 2 items → shares A 1, B 0.5.
    const expected = [
      [1.5, -0.5, a0 * 1.5, a0 * -0.5, p2, a0 * p2, 0.5],
      [0.25, 2, a0 * 0.25, a0 * 2, p3, a0 * p3, 0],
    ].flat();
    expected.forEach((v, j) => expect(out[j]).toBeCloseTo(v, 5));
  });
});

describe('stacking', () => {
  it('puts its weight on the informative base model, not on the noise', async () => {
    const data = clusteredDataset();
    const model = await new StackingModel().fit(data, {
      models: [{ name: 'item-knn' }, { name: 'test-noise' }],
      validationFraction: 0.25,
    });
    const w = model.globalWeights;
    const names = stackingFeatureNames(['item-knn', 'test-noise']);
    expect(w.length).toBe(names.length);
    expect(w[0]).toBeGreaterThan(0.5); // z(item-knn)
    expect(Math.abs(w[1])).toBeLessThan(0.2 * w[0]); // z(test-noise)
    expect(model.learningSummary?.validationNdcg).toBeGreaterThan(0.3);
  });

  it('saves the item categories it uses and restores identical scores', async () => {
    const data = blockDataset();
    const model = await new StackingModel().fit(data, SMALL);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stacking-artifact-'));
    try {
      await model.save(dir);
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
        arrays: Record<string, unknown>;
        state: { baseModels: string[] };
      };
      expect(Object.keys(manifest.arrays)).toEqual(
        expect.arrayContaining(['weights', 'segment_edges', 'category_offsets', 'category_values']),
      );
      expect(manifest.state.baseModels).toEqual(['base-0-ease', 'base-1-item-knn']);
      const loaded = await loadModel(dir);
      for (let u = 0; u < 24; u++) expect(loaded.scoreAll(u)).toEqual(model.scoreAll(u));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
