import { ItemKnnModel, ModelErrorCode } from '../src';
import { describeModelContract } from './support/contract-suite';
import { datasetFromMatrix } from './support/matrix-dataset';

describeModelContract('item-knn', () => new ItemKnnModel(), {
  params: { neighbors: 10, shrink: 1 },
  personalized: true,
  servesColdUsers: false,
});

// Columns x_0 = (1,1,1), x_1 = (1,0,1), x_2 = (0,1,1): x_0·x_1 = x_0·x_2 = 2, x_1·x_2 = 1,
// ‖x_0‖ = √3, ‖x_1‖ = ‖x_2‖ = √2. With shrink 1: sim(0,1) = sim(0,2) = 2/(√6 + 1), sim(1,2) = 1/(2 + 1).
const toy = [
  [1, 1, 0],
  [1, 0, 1],
  [1, 1, 1],
];
const s01 = 2 / (Math.sqrt(6) + 1);
const s12 = 1 / 3;

describe('item-knn', () => {
  it('computes shrunk cosine similarities of a 3 × 3 matrix by hand', async () => {
    const model = await new ItemKnnModel().fit(datasetFromMatrix(toy), {
      neighbors: 5,
      shrink: 1,
      weighting: 'none',
    });
    const sim = (i: number): Record<number, number> => {
      const s = model.similarItems(i, 5);
      return Object.fromEntries(Array.from(s.items, (j, k) => [j, s.scores[k]]));
    };
    expect(sim(0)[1]).toBeCloseTo(s01, 6);
    expect(sim(0)[2]).toBeCloseTo(s01, 6);
    expect(sim(1)[0]).toBeCloseTo(s01, 6);
    expect(sim(1)[2]).toBeCloseTo(s12, 6);
    expect(sim(2)[1]).toBeCloseTo(s12, 6);
    expect(Object.keys(sim(2))).not.toContain('2');
    // user 0 has items 0 and 1: score_j = S_0j + S_1j
    const scores = model.scoreAll(0);
    expect(scores[2]).toBeCloseTo(s01 + s12, 6);
    expect(scores[0]).toBeCloseTo(s01, 6);
    expect(scores[1]).toBeCloseTo(s01, 6);
  });

  it('keeps only the top `neighbors` per item, ties to the lower index', async () => {
    const model = await new ItemKnnModel().fit(datasetFromMatrix(toy), {
      neighbors: 1,
      shrink: 1,
      weighting: 'none',
    });
    expect(Array.from(model.similarItems(0, 5).items)).toEqual([1]);
    expect(Array.from(model.similarItems(2, 5).items)).toEqual([0]);
    // user 0 (items 0, 1): item 2 is in neither list, so it scores 0.
    expect(model.scoreAll(0)[2]).toBe(0);
  });

  it('weights similarities and scores by rating with feedback "rating"', async () => {
    const rated = [
      [2, 4, 0],
      [1, 0, 3],
      [5, 1, 1],
    ];
    const model = await new ItemKnnModel().fit(datasetFromMatrix(rated), {
      neighbors: 5,
      shrink: 0,
      feedback: 'rating',
      weighting: 'none',
    });
    const col = (i: number): number[] => rated.map((r) => r[i]);
    const dot = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + v * b[k], 0);
    const cos = (i: number, j: number): number =>
      dot(col(i), col(j)) / Math.sqrt(dot(col(i), col(i)) * dot(col(j), col(j)));
    // user 0 rated item 0 with 2 and item 1 with 4
    expect(model.scoreAll(0)[2]).toBeCloseTo(2 * cos(0, 2) + 4 * cos(1, 2), 5);
  });

  it('BM25-weights cells before the similarities (b = 0: a 1 weighs ln(users) − ln(1 + df))', async () => {
    const x = await new ItemKnnModel().fit(
      datasetFromMatrix([
        [1, 0, 0, 0],
        [1, 1, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 1, 1],
        [0, 0, 0, 1],
      ]),
      {
        shrink: 0,
        bm25B: 0,
      },
    );
    // Every item has df 2 of 5 users: all cells weigh ln 5 − ln 3, a common factor cosine cancels.
    expect(x.similarItems(1, 5).scores[0]).toBeCloseTo(0.5, 6);
  });

  it('stops with ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      new ItemKnnModel().fit(datasetFromMatrix(toy), {}, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: ModelErrorCode.ABORTED,
    });
  });
});
