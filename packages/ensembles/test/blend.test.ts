import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createModel, loadModel, ModelErrorCode } from '@recsys/models';
import { BlendModel } from '../src';
import { describeModelContract } from '../../models/test/support/contract-suite';
import { blockDataset } from '../../models/test/support/block-dataset';
import { clusteredDataset } from './support/clustered-dataset';
import { registerNoiseModel } from './support/noise-model';

registerNoiseModel();

/** Small, fast base models for the block fixture. */
const SMALL = {
  models: [
    { name: 'ease', params: { lambda: 10 } },
    { name: 'item-knn', params: { neighbors: 10 } },
  ],
  validationFraction: 0.25,
  candidates: 10,
};

describeModelContract('blend', () => new BlendModel(), {
  params: SMALL,
  personalized: true,
  servesColdUsers: false,
});

describe('blend', () => {
  it('learns to ignore a base model that is noise', async () => {
    const data = clusteredDataset();
    const params = { validationFraction: 0.25 };
    const blend = await new BlendModel().fit(data, {
      ...params,
      models: [{ name: 'item-knn' }, { name: 'test-noise' }],
    });
    const [signal, noise] = blend.globalWeights;
    // NDCG is flat between ties: a little noise only reorders near-equal scores, so "about 0" means small.
    expect(noise).toBeLessThan(0.15);
    expect(signal).toBeGreaterThan(0.85);
    expect(signal + noise).toBeCloseTo(1, 12);
    const summary = blend.learningSummary;
    expect(summary?.validationUsers).toBe(160);
    const alone = await new BlendModel().fit(data, { ...params, models: [{ name: 'item-knn' }] });
    const noiseAlone = await new BlendModel().fit(data, { ...params, models: [{ name: 'test-noise' }] });
    expect(summary?.validationNdcg).toBeGreaterThanOrEqual(alone.learningSummary?.validationNdcg ?? 1);
    expect(noiseAlone.learningSummary?.validationNdcg).toBeLessThan(0.5 * (summary?.validationNdcg ?? 0));
  });

  it('defaults to ease, als, item-knn and truncated-svd with their own default params filled in', () => {
    const params = new BlendModel().parseParams({});
    expect(params.models.map((m) => m.name)).toEqual(['ease', 'als', 'item-knn', 'truncated-svd']);
    expect(params.models[0].params).toEqual({ lambda: 400, maxItems: 20_000 });
    expect(params).toMatchObject({ validationFraction: 0.15, candidates: 100, k: 10, seed: 42 });
    expect(params.segments).toBeUndefined();
  });

  it('rejects unknown base models, bad base params and ensembles as bases, naming the entry', () => {
    const parse = (models: unknown): unknown => new BlendModel().parseParams({ models });
    expect(() => parse([{ name: 'nope' }])).toThrow(
      expect.objectContaining({
        code: ModelErrorCode.INVALID_PARAMS,
        message: expect.stringContaining('"models.0.name": unknown model "nope"'),
      }),
    );
    expect(() => parse([{ name: 'ease' }, { name: 'als', params: { factors: -1 } }])).toThrow(
      /"models\.1\.params": als: "factors"/,
    );
    expect(() => parse([{ name: 'ease', params: { lambdaa: 1 } }])).toThrow(
      /unknown parameter\(s\) "lambdaa"/,
    );
    expect(() => parse([{ name: 'stacking' }])).toThrow(
      /"stacking" is an ensemble and cannot be a base model/,
    );
    expect(() => parse([])).toThrow(/"models"/);
    expect(() => new BlendModel().parseParams({ validationFraction: 0.9 })).toThrow(/"validationFraction"/);
  });

  it('learns weights per activity segment and keeps the global ones for a segment too small', async () => {
    // Light, medium and heavy users in every group, so the activity terciles are distinct.
    const mixed = clusteredDataset({ usersPerGroup: 90, perUser: (u) => [4, 8, 16][u % 3], seed: 5 });
    const blend = await new BlendModel().fit(mixed, {
      models: [{ name: 'item-knn' }, { name: 'ease', params: { lambda: 20 } }],
      validationFraction: 0.25,
      segments: { by: 'activity', buckets: 3, minUsers: 50 },
    });
    const summary = blend.learningSummary;
    expect(summary?.segments.map((s) => s.users).reduce((a, b) => a + b, 0)).toBe(summary?.validationUsers);
    for (const [s, seg] of (summary?.segments ?? []).entries()) {
      if (!seg.ownWeights) expect(blend.segmentWeights(s)).toEqual(blend.globalWeights);
      // Own weights start from the global ones and move only on a strict gain.
      expect(seg.ndcgOwn).toBeGreaterThanOrEqual(seg.ndcgGlobal);
    }
    const strict = await new BlendModel().fit(mixed, {
      models: [{ name: 'item-knn' }, { name: 'ease', params: { lambda: 20 } }],
      validationFraction: 0.25,
      segments: { by: 'activity', buckets: 3, minUsers: 10_000 },
    });
    expect(strict.learningSummary?.segments.every((s) => !s.ownWeights)).toBe(true);
    for (let s = 0; s < 3; s++) expect(strict.segmentWeights(s)).toEqual(strict.globalWeights);
  });

  describe('artifact', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'blend-artifact-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('round-trips through loadModel with its base models in sub-folders and identical scores', async () => {
      const data = blockDataset();
      const blend = await createModel('blend').fit(data, SMALL);
      const target = path.join(dir, 'blend');
      await blend.save(target);
      const loaded = await loadModel(target);
      expect(loaded).toBeInstanceOf(BlendModel);
      for (let u = 0; u < 24; u++) expect(loaded.scoreAll(u)).toEqual(blend.scoreAll(u));
      expect((loaded as BlendModel).globalWeights).toEqual((blend as BlendModel).globalWeights);
      const base = await loadModel(path.join(target, 'base-0-ease'));
      expect(base.info.name).toBe('ease');
    });

    it('refuses an artifact whose base model is missing or was trained on other data', async () => {
      const data = blockDataset();
      const target = path.join(dir, 'damaged');
      const blend = await new BlendModel().fit(data, SMALL);
      await blend.save(target);
      await rm(path.join(target, 'base-1-item-knn'), { recursive: true });
      await expect(new BlendModel().loadFrom(target)).rejects.toMatchObject({
        code: ModelErrorCode.BAD_ARTIFACT,
        message: expect.stringContaining('base model 1 (item-knn) is missing or damaged'),
      });
      const other = await createModel('item-knn').fit(blockDataset(6, 10), { neighbors: 10 });
      await other.save(path.join(target, 'base-1-item-knn'));
      await expect(new BlendModel().loadFrom(target)).rejects.toMatchObject({
        code: ModelErrorCode.BAD_ARTIFACT,
        message: expect.stringContaining('base model 1 (item-knn) was trained on other data'),
      });
    });
  });

  it('stops with ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      new BlendModel().fit(blockDataset(), SMALL, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: ModelErrorCode.ABORTED });
  });

  it('fails with FIT_FAILED when no user has events to hold out', async () => {
    const one = blockDataset();
    // One event per user: each keeps it on the fit side, so nothing is left to validate on.
    const firsts: number[] = [];
    const seenUser = new Set<number>();
    for (let e = 0; e < one.log.length; e++) {
      if (!seenUser.has(one.log.users[e])) {
        seenUser.add(one.log.users[e]);
        firsts.push(e);
      }
    }
    const { selectEvents } = await import('@recsys/data');
    const sparse = { ...one, log: selectEvents(one.log, firsts) };
    await expect(new BlendModel().fit(sparse, SMALL)).rejects.toMatchObject({
      code: ModelErrorCode.FIT_FAILED,
      message: expect.stringContaining('no user has enough events'),
    });
  });
});
