import { IdMap, InteractionLogBuilder, interactionTypeCode, type InteractionDataset } from '@recsys/data';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContentTfidfModel, ModelErrorCode, tfidf, tokenize } from '../src';
import { blockDataset } from './support/block-dataset';
import { describeModelContract } from './support/contract-suite';
import { itemSideData } from './support/side-data';

describeModelContract('content-tfidf', () => new ContentTfidfModel(), {
  personalized: true,
  servesColdUsers: false,
});

describe('text tokenizer', () => {
  it('lowercases, splits on non-alphanumerics, drops stop words and 1-character tokens', () => {
    expect(tokenize('The OCR-API: extract text from PDFs & images (v2), in 3 s!')).toEqual([
      'ocr',
      'api',
      'extract',
      'text',
      'pdfs',
      'images',
      'v2',
    ]);
    expect(tokenize('Übersetzung für Entwickler')).toEqual(['übersetzung', 'für', 'entwickler']);
    expect(tokenize(null)).toEqual([]);
  });
});

describe('tfidf', () => {
  it("matches scikit-learn's TfidfVectorizer defaults on a 3-document corpus", () => {
    // idf(t) = ln((1 + n) / (1 + df(t))) + 1 with n = 3: df 2 -> ln(4/3) + 1 = 1.287682, df 1 -> ln 2 + 1 = 1.693147;
    // then each row divided by its L2 norm.
    const docs = ['apple banana apple', 'banana cherry', 'apple cherry cherry durian'].map((d) => {
      const m = new Map<string, number>();
      for (const t of tokenize(d)) m.set(t, (m.get(t) ?? 0) + 1);
      return m;
    });
    const { vocabulary, idf, matrix } = tfidf(docs);
    expect(vocabulary).toEqual(['apple', 'banana', 'cherry', 'durian']);
    expect(Array.from(idf)).toEqual(
      [1.2876820724517808, 1.2876820724517808, 1.2876820724517808, 1.6931471805599454].map((v) =>
        expect.closeTo(v, 12),
      ),
    );
    const dense = (d: number): number[] => {
      const row = [0, 0, 0, 0];
      for (let k = matrix.indptr[d]; k < matrix.indptr[d + 1]; k++) row[matrix.indices[k]] = matrix.data[k];
      return row;
    };
    // d1: (2·idf, idf) / (idf·√5) = (2/√5, 1/√5); d2: (1/√2, 1/√2);
    // d3: (idf2, 2·idf2, idf1) / √(idf2² + 4·idf2² + idf1²) = (0.385503, 0.771006, 0.506890)
    expect(dense(0)).toEqual([0.894427191, 0.4472135955, 0, 0].map((v) => expect.closeTo(v, 6)));
    expect(dense(1)).toEqual([0, 0.7071067812, 0.7071067812, 0].map((v) => expect.closeTo(v, 6)));
    expect(dense(2)).toEqual([0.3855029216, 0, 0.7710058432, 0.5068900148].map((v) => expect.closeTo(v, 6)));
  });
});

describe('content-tfidf', () => {
  // Three services; user 0 used services 1 and 2, user 1 service 0.
  const data = (): InteractionDataset => {
    const log = new InteractionLogBuilder();
    const view = interactionTypeCode('VIEW');
    log.push(0, 1, Number.NaN, 1, view);
    log.push(0, 2, Number.NaN, 2, view);
    log.push(1, 0, Number.NaN, 3, view);
    return {
      name: 'catalog',
      users: IdMap.from(['u0', 'u1']),
      items: IdMap.from(['pdf-ocr', 'image-ocr', 'speech']),
      log: log.build(),
      itemSide: itemSideData({
        titles: ['PDF OCR', 'Image OCR', 'Speech to text'],
        descriptions: ['Extract text from PDF files', 'Read text in images', null],
        categories: [['Documents'], ['Vision'], ['Audio']],
        tags: [['ocr'], ['ocr', 'images'], []],
      }),
    };
  };

  it('ranks similar services by cosine of their TF-IDF vectors', async () => {
    const model = await new ContentTfidfModel().fit(data());
    expect(model.terms()).toContain('cat:documents');
    expect(model.terms()).toContain('tag:ocr');
    const sim = model.similarItems(0, 5);
    // PDF OCR shares "ocr", "text" and tag:ocr with Image OCR, only "text" with Speech to text.
    expect(Array.from(sim.items)).toEqual([1, 2]);
    // Unit vectors: the similarity is their dot product.
    const v = model.itemVectors();
    const dense = (i: number): Map<number, number> =>
      new Map(
        Array.from(v.indices.subarray(v.indptr[i], v.indptr[i + 1]), (t, k) => [t, v.data[v.indptr[i] + k]]),
      );
    let dot = 0;
    for (const [t, x] of dense(0)) dot += x * (dense(1).get(t) ?? 0);
    expect(sim.scores[0]).toBeCloseTo(dot, 6);
  });

  it("scores items by cosine to the mean of the user's item vectors", async () => {
    const model = await new ContentTfidfModel().fit(data());
    const v = model.itemVectors();
    const profile = new Map<number, number>();
    for (const i of [1, 2])
      for (let k = v.indptr[i]; k < v.indptr[i + 1]; k++)
        profile.set(v.indices[k], (profile.get(v.indices[k]) ?? 0) + v.data[k]);
    const norm = Math.sqrt([...profile.values()].reduce((s, x) => s + x * x, 0));
    let expected = 0;
    for (let k = v.indptr[0]; k < v.indptr[1]; k++)
      expected += ((profile.get(v.indices[k]) ?? 0) / norm) * v.data[k];
    expect(model.scoreAll(0)[0]).toBeCloseTo(expected, 6);
  });

  it('weights the profile by rating with feedback "rating", also after save and load', async () => {
    const base = data();
    const log = new InteractionLogBuilder();
    const rating = interactionTypeCode('RATING');
    log.push(0, 1, 5, 1, rating);
    log.push(0, 2, 1, 2, rating);
    log.push(1, 0, 3, 3, rating);
    const rated = { ...base, log: log.build() };
    const model = await new ContentTfidfModel().fit(rated, { feedback: 'rating', sublinearTf: true });
    const binary = await new ContentTfidfModel().fit(rated, { sublinearTf: true });
    // Service 1 (image OCR) rated 5 pulls the profile towards OCR, so service 0 scores higher than with equal weights.
    expect(model.scoreAll(0)[0]).toBeGreaterThan(binary.scoreAll(0)[0]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'content-tfidf-'));
    try {
      await model.save(dir);
      const loaded = await new ContentTfidfModel().loadFrom(dir);
      expect(loaded.scoreAll(0)).toEqual(model.scoreAll(0));
      expect(loaded.similarItems(0, 2)).toEqual(model.similarItems(0, 2));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with FIT_FAILED when the dataset has no item side data', async () => {
    await expect(
      new ContentTfidfModel().fit({ ...blockDataset(), itemSide: undefined }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.FIT_FAILED,
      message: expect.stringContaining('has no item side data'),
    });
  });
});
