import { Gru4RecModel } from '../src';
import { describeModelContract } from '../../models/test/support/contract-suite';
import { blockMissingItem, shuffledBlockDataset } from './fixtures/shuffled-block';
import { describeSequenceModel } from './fixtures/sequence-model-suite';

/** Small and quick: the block dataset has 25 users with 9 items each, 20 items. */
const SMALL = {
  maxLen: 8,
  embeddingDim: 8,
  layers: [16],
  hiddenDropout: 0.1,
  epochs: 30,
  learningRate: 0.01,
  validation: false,
};

// The contract's known answer (a user's missing in-group item) is collaborative; on the block dataset's
// index-ordered sequences a next-item model never sees what follows the last item, so it is checked
// below on the same data in shuffled order instead (personalized: false skips only that case).
describeModelContract('gru4rec', () => new Gru4RecModel(), {
  params: SMALL,
  personalized: false,
  servesColdUsers: false,
});

describeSequenceModel({
  name: 'gru4rec',
  create: (options) => new Gru4RecModel(options),
  params: SMALL,
  dropout: { embeddingDropout: 0.2, hiddenDropout: 0.3 },
  // The network's weights: the item embedding, 4 per GRU layer, the output layer's 2.
  weightTensors: 1 + 4 + 2,
  checkpointWeight: 'gru_0_recurrent_kernel',
});

describe('gru4rec: its own options', () => {
  it('learns the known answer with BPR-max over sampled negatives too, on two stacked layers', async () => {
    const model = new Gru4RecModel();
    const shuffled = shuffledBlockDataset();
    await model.fit(shuffled, { ...SMALL, layers: [12, 10], loss: 'bpr-max', negatives: 8 });
    // The share of (user, other-group item) pairs ranked below the user's missing item: 0.967 measured.
    let below = 0;
    for (let user = 0; user < 24; user++) {
      const all = model.scoreAll(user);
      const otherStart = user < 12 ? 10 : 0;
      for (let j = otherStart; j < otherStart + 10; j++) if (all[blockMissingItem(user)] > all[j]) below++;
    }
    expect(below / 240).toBeGreaterThanOrEqual(0.9);
    model.dispose();
  });

  it('rejects layer lists it cannot build, naming the parameter', async () => {
    await expect(new Gru4RecModel().fit(shuffledBlockDataset(), { layers: [] })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('"layers"'),
    });
  });
});
