import { Rng } from '../src/random/rng';
import { AliasTable } from '../src/sampling/alias-table';
import { compare } from './helpers/sampling-checks';

describe('AliasTable', () => {
  it('draws in proportion to the weights', () => {
    const w = [1, 0, 2, 3, 0.5, 3.5];
    const t = new AliasTable(w);
    expect(t.support).toBe(5);
    const rng = new Rng(9);
    const freq = new Float64Array(w.length);
    const draws = 200_000;
    for (let k = 0; k < draws; k++) freq[t.draw(rng)]++;
    const p = Float64Array.from(w, (x) => x / 10);
    expect(compare(freq, p, draws, 0).maxRelErr).toBeLessThan(0.03);
  });

  it('rejects negative or all-zero weights', () => {
    expect(() => new AliasTable([0, 0])).toThrow(/every weight is 0/);
    expect(() => new AliasTable([1, -1])).toThrow(/weight 1 is -1/);
  });
});
