import { datasetFingerprint } from '../src/dataset/fingerprint';
import { buildDatasetFromRows } from '../src/dataset/build-from-rows';
import { IdMap } from '../src/ids/id-map';
import { tinyDatasetRows } from './helpers/tiny-rows';

describe('datasetFingerprint', () => {
  it('is a stable hex SHA-256 of the log and id maps', async () => {
    const a = await buildDatasetFromRows('a', tinyDatasetRows());
    const b = await buildDatasetFromRows('b', tinyDatasetRows());
    const fa = datasetFingerprint(a);
    expect(fa).toMatch(/^[0-9a-f]{64}$/);
    expect(datasetFingerprint(b)).toBe(fa); // the name is not content
  });

  it('changes with any event value or id assignment', async () => {
    const base = await buildDatasetFromRows('a', tinyDatasetRows());
    const f = datasetFingerprint(base);
    const timestamps = base.log.timestamps.slice();
    timestamps[3] += 1;
    expect(datasetFingerprint({ ...base, log: { ...base.log, timestamps } })).not.toBe(f);
    const values = base.log.values.slice();
    values[0] = 1;
    expect(datasetFingerprint({ ...base, log: { ...base.log, values } })).not.toBe(f);
    const renamed = IdMap.from(['u2', 'u1', 'u4']);
    expect(datasetFingerprint({ ...base, users: renamed })).not.toBe(f);
  });

  it('hashes only a subarray’s own bytes', async () => {
    const base = await buildDatasetFromRows('a', tinyDatasetRows());
    const padded = new Int32Array(base.log.length + 2);
    padded.set(base.log.users, 1);
    const view = padded.subarray(1, base.log.length + 1);
    expect(datasetFingerprint({ ...base, log: { ...base.log, users: view } })).toBe(datasetFingerprint(base));
  });
});
