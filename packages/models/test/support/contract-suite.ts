import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ModelError,
  ModelErrorCode,
  PopularityModel,
  TrendingModel,
  type TrainableRecommender,
} from '../../src';
import { blockDataset, blockMissingItem } from './block-dataset';

type AnyModel = TrainableRecommender;

export interface ContractOptions {
  /** Params for the block dataset (small sizes keep the suite fast). */
  params?: Record<string, unknown>;
  /** Whether the model personalises (popularity and trending do not). */
  personalized: boolean;
  /** Whether the model answers a user without history (popularity does; factor models throw COLD_START). */
  servesColdUsers: boolean;
}

/**
 * The suite every model passes (implicit's recommender_base_test mixin): the contract of
 * fit/score/recommend/similarItems/save/load on a dataset with a known answer.
 */
export function describeModelContract(name: string, create: () => AnyModel, options: ContractOptions): void {
  describe(`${name}: model contract`, () => {
    const data = blockDataset();
    const coldUser = data.users.size - 1;
    let model: AnyModel;
    let dir: string;

    beforeAll(async () => {
      model = create();
      await model.fit(data, options.params ?? {});
      dir = await mkdtemp(path.join(os.tmpdir(), `contract-${name}-`));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('recommends k distinct unseen items, best first', () => {
      for (const user of [0, 5, 13, 20]) {
        const rec = model.recommend(user, 5);
        expect(rec.items.length).toBe(5);
        expect(new Set(rec.items).size).toBe(5);
        for (let i = 1; i < rec.scores.length; i++)
          expect(rec.scores[i - 1]).toBeGreaterThanOrEqual(rec.scores[i]);
        const seen = new Set<number>();
        for (let e = 0; e < data.log.length; e++) if (data.log.users[e] === user) seen.add(data.log.items[e]);
        for (const item of rec.items) expect(seen.has(item)).toBe(false);
      }
    });

    if (options.personalized) {
      it("ranks the user's missing in-group item above every item of the other group", () => {
        for (let user = 0; user < 24; user++) {
          const all = model.scoreAll(user);
          const target = blockMissingItem(user);
          const otherStart = user < 12 ? 10 : 0;
          for (let j = otherStart; j < otherStart + 10; j++) expect(all[target]).toBeGreaterThan(all[j]);
        }
      });
    }

    it('includes seen items when excludeSeen is false, and honours filters', () => {
      const withSeen = model.recommend(0, 20, { excludeSeen: false });
      expect(withSeen.items.length).toBe(20);
      const mask = new Uint8Array(data.items.size);
      mask[3] = 1;
      mask[15] = 1;
      const masked = model.recommend(0, 5, { excludeSeen: false, filter: mask });
      expect([...masked.items].sort((a, b) => a - b)).toEqual([3, 15]);
      const even = model.recommend(0, 20, { excludeSeen: false, filter: (i) => i % 2 === 0 });
      expect(even.items.length).toBe(10);
      for (const item of even.items) expect(item % 2).toBe(0);
    });

    it('scores a candidate list exactly as scoreAll does', () => {
      const all = model.scoreAll(3);
      const items = Int32Array.from([7, 0, 19, 12]);
      expect(Array.from(model.score(3, items))).toEqual(Array.from(items, (i) => all[i]));
    });

    it('finds similar items without the item itself', () => {
      const sim = model.similarItems(2, 5);
      expect(sim.items.length).toBeGreaterThan(0);
      expect(sim.items.length).toBeLessThanOrEqual(5);
      expect(Array.from(sim.items)).not.toContain(2);
    });

    it('rejects k <= 0 and out-of-range ids', () => {
      expect(() => model.recommend(0, 0)).toThrow(RangeError);
      expect(() => model.scoreAll(data.users.size + 5)).toThrow(/user index/);
      expect(() => model.similarItems(-1, 3)).toThrow(/item index/);
    });

    it(
      options.servesColdUsers
        ? 'answers a user without history'
        : 'reports a user without history as COLD_START',
      () => {
        expect(model.knowsUser(coldUser)).toBe(options.servesColdUsers);
        if (options.servesColdUsers) {
          expect(model.recommend(coldUser, 3).items.length).toBe(3);
        } else {
          expect(() => model.recommend(coldUser, 3)).toThrow(
            expect.objectContaining({ code: ModelErrorCode.COLD_START }),
          );
        }
      },
    );

    it('round-trips through save and load with identical scores', async () => {
      await model.save(dir, { metrics: { 'ndcg@10': 0.5 } });
      const loaded = await create().loadFrom(dir);
      for (let user = 0; user < 24; user++) expect(loaded.scoreAll(user)).toEqual(model.scoreAll(user));
      expect(loaded.similarItems(4, 5)).toEqual(model.similarItems(4, 5));
      expect(loaded.recommend(7, 5)).toEqual(model.recommend(7, 5));
      expect(loaded.params).toEqual(model.params);
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(manifest).toMatchObject({ modelType: model.info.name, metrics: { 'ndcg@10': 0.5 } });
    });

    it('refuses an artifact of another type or version with BAD_ARTIFACT', async () => {
      const other = path.join(dir, '..', `${path.basename(dir)}-other`);
      const decoy = name === 'popularity' ? new TrendingModel() : new PopularityModel();
      await decoy.fit(data);
      await decoy.save(other);
      await expect(create().loadFrom(other)).rejects.toMatchObject({
        code: ModelErrorCode.BAD_ARTIFACT,
        message: expect.stringContaining(`holds a "${decoy.info.name}" model, not "${name}"`),
      });
      await rm(other, { recursive: true, force: true });
      const manifestPath = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { modelVersion: number };
      manifest.modelVersion += 100;
      await writeFile(manifestPath, JSON.stringify(manifest));
      await expect(create().loadFrom(dir)).rejects.toMatchObject({ code: ModelErrorCode.BAD_ARTIFACT });
    });

    it('rejects unknown parameters by name', async () => {
      await expect(create().fit(data, { noSuchParam: 1 })).rejects.toThrow(ModelError);
      await expect(create().fit(data, { noSuchParam: 1 })).rejects.toThrow(
        /unknown parameter\(s\) "noSuchParam"/,
      );
    });
  });
}
