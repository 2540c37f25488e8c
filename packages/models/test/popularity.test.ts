import { PopularityModel } from '../src';
import { blockDataset } from './support/block-dataset';
import { describeModelContract } from './support/contract-suite';

describeModelContract('popularity', () => new PopularityModel(), {
  personalized: false,
  servesColdUsers: true,
});

describe('popularity', () => {
  it('counts distinct users per item, or events', async () => {
    const data = blockDataset();
    const model = await new PopularityModel().fit(data);
    // 12 users per group, each missing item (u % 10): items 0 and 1 are missed by users 0,10 and 1,11.
    const counts = model.itemCounts();
    expect(counts[0]).toBe(10);
    expect(counts[2]).toBe(11);
    expect(counts[12]).toBe(10);
    expect(counts[14]).toBe(11);
    expect(model.recommend(0, 1, { excludeSeen: false }).items[0]).toBe(2);
  });
});
