import { buildCsr, findEntry, hasEntry, nnz, rowOf, transposeCsr, type CsrMatrix } from '../src/matrix/csr';
import { userItemMatrix } from '../src/matrix/user-item-matrix';
import { Rng } from '../src/random/rng';
import { ml100kLog } from './helpers/ml100k';

/** Positions where a row's columns are not strictly ascending (none expected). */
function unsortedPositions(m: CsrMatrix): number[] {
  const bad: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r] + 1; k < m.indptr[r + 1]; k++) if (m.indices[k] <= m.indices[k - 1]) bad.push(k);
  }
  return bad;
}
describe('userItemMatrix on MovieLens 100K', () => {
  const ml = ml100kLog();
  const m = userItemMatrix(ml.log, ml.users.size, ml.items.size, { value: 'rating' });

  it('has the shape and entry count of the raw file', () => {
    expect(m.rows).toBe(943);
    expect(m.cols).toBe(1682);
    expect(nnz(m)).toBe(100000);
    expect(m.indptr.length).toBe(944);
    expect(m.indices.length).toBe(100000);
    expect(m.data.length).toBe(100000);
  });

  it('holds every raw rating at its (user, item) cell', () => {
    const wrong: string[] = [];
    for (const r of ml.raw) {
      const u = ml.users.indexOf(r.user);
      const i = ml.items.indexOf(r.item);
      const k = u === undefined || i === undefined ? -1 : findEntry(m, u, i);
      if (k < 0 || m.data[k] !== r.rating) wrong.push(`${r.user}\t${r.item}\t${r.rating}`);
    }
    expect(wrong).toEqual([]);
    // and nothing else: 100000 distinct raw pairs, 100000 entries
    expect(new Set(ml.raw.map((r) => `${r.user}:${r.item}`)).size).toBe(100000);
  });

  it('keeps each row sorted and its length equal to the user’s rating count', () => {
    expect(unsortedPositions(m)).toEqual([]);
    const perUser = new Int32Array(943);
    for (let e = 0; e < ml.log.length; e++) perUser[ml.log.users[e]]++;
    const rowLengths = Int32Array.from({ length: 943 }, (_, u) => m.indptr[u + 1] - m.indptr[u]);
    expect(rowLengths).toEqual(perUser);
  });

  it('transposes and back to the same matrix', () => {
    const t = transposeCsr(m);
    expect(t.rows).toBe(1682);
    expect(t.cols).toBe(943);
    expect(unsortedPositions(t)).toEqual([]);
    const perItem = new Int32Array(1682);
    for (let e = 0; e < ml.log.length; e++) perItem[ml.log.items[e]]++;
    expect(Int32Array.from({ length: 1682 }, (_, i) => t.indptr[i + 1] - t.indptr[i])).toEqual(perItem);
    const back = transposeCsr(t);
    expect(back.indptr).toEqual(m.indptr);
    expect(back.indices).toEqual(m.indices);
    expect(back.data).toEqual(m.data);
  });

  it('binary value gives ones', () => {
    const b = userItemMatrix(ml.log, 943, 1682);
    expect(b.indices).toEqual(m.indices);
    expect(b.data.every((v) => v === 1)).toBe(true);
  });
});

describe('buildCsr', () => {
  const rows = new Int32Array([2, 0, 2, 0, 2, 0]);
  const cols = new Int32Array([1, 3, 1, 0, 1, 3]);
  const vals = new Float32Array([5, 1, 2, 4, 3, 7]);

  it('sorts columns within rows and keeps empty rows', () => {
    const m = buildCsr(
      4,
      4,
      new Int32Array([3, 0, 3, 0]),
      new Int32Array([2, 3, 0, 1]),
      new Float32Array([1, 2, 3, 4]),
    );
    expect(Array.from(m.indptr)).toEqual([0, 2, 2, 2, 4]);
    expect(Array.from(m.indices)).toEqual([1, 3, 0, 2]);
    expect(Array.from(m.data)).toEqual([4, 2, 3, 1]);
    expect(Array.from(rowOf(m, 3).indices)).toEqual([0, 2]);
    expect(rowOf(m, 1).indices.length).toBe(0);
    expect(hasEntry(m, 0, 3)).toBe(true);
    expect(hasEntry(m, 0, 2)).toBe(false);
  });

  it('rowOf returns views, not copies', () => {
    const m = buildCsr(1, 3, new Int32Array([0, 0]), new Int32Array([2, 0]));
    const row = rowOf(m, 0);
    row.data[0] = 9;
    expect(m.data[0]).toBe(9);
    expect(() => rowOf(m, 1)).toThrow(RangeError);
  });

  // row 0: col 3 gets 1 then 7, col 0 gets 4; row 2: col 1 gets 5, 2, 3
  it.each([
    ['sum', [4, 8, 10]],
    ['max', [4, 7, 5]],
    ['last', [4, 7, 3]],
  ] as const)('merges duplicates with %s', (policy, expected) => {
    const m = buildCsr(3, 4, rows, cols, vals, { duplicates: policy });
    expect(Array.from(m.indptr)).toEqual([0, 2, 2, 3]);
    expect(Array.from(m.indices)).toEqual([0, 3, 1]);
    expect(Array.from(m.data)).toEqual(expected);
  });

  it('defaults to sum', () => {
    expect(Array.from(buildCsr(3, 4, rows, cols, vals).data)).toEqual([4, 8, 10]);
  });

  it('last with orderBy keeps the greatest key, ties to the later entry', () => {
    const r = new Int32Array([0, 0, 0]);
    const c = new Int32Array([1, 1, 1]);
    const v = new Float32Array([1, 2, 3]);
    expect(buildCsr(1, 2, r, c, v, { duplicates: 'last', orderBy: [30, 10, 20] }).data[0]).toBe(1);
    expect(buildCsr(1, 2, r, c, v, { duplicates: 'last', orderBy: [30, 30, 20] }).data[0]).toBe(2);
  });

  it('rejects out-of-range coordinates and mismatched lengths', () => {
    expect(() => buildCsr(2, 2, new Int32Array([2]), new Int32Array([0]))).toThrow(
      /entry 0 at \(2, 0\) outside 2 × 2/,
    );
    expect(() => buildCsr(2, 2, new Int32Array([0]), new Int32Array([0, 1]))).toThrow(/colIdx/);
  });

  it.each(['sum', 'max', 'last'] as const)(
    'matches a reference on random coordinates with duplicates (%s)',
    (policy) => {
      const rng = new Rng(99);
      const n = 200_000;
      const nRows = 5000;
      const nCols = 300;
      const r = Int32Array.from({ length: n }, () => rng.int(nRows));
      const c = Int32Array.from({ length: n }, () => Math.floor(nCols * rng.next() ** 2));
      const v = Float32Array.from({ length: n }, () => rng.int(100));
      const t = Float64Array.from({ length: n }, () => rng.int(50));
      const m = buildCsr(nRows, nCols, r, c, v, {
        duplicates: policy,
        orderBy: policy === 'last' ? t : undefined,
      });
      const expected = new Map<number, { v: number; t: number }>();
      for (let e = 0; e < n; e++) {
        const key = r[e] * nCols + c[e];
        const cur = expected.get(key);
        if (cur === undefined) expected.set(key, { v: v[e], t: t[e] });
        else if (policy === 'sum') cur.v += v[e];
        else if (policy === 'max') cur.v = Math.max(cur.v, v[e]);
        else if (t[e] >= cur.t) expected.set(key, { v: v[e], t: t[e] });
      }
      expect(nnz(m)).toBe(expected.size);
      expect(unsortedPositions(m)).toEqual([]);
      let wrong = 0;
      for (let row = 0; row < nRows; row++) {
        for (let k = m.indptr[row]; k < m.indptr[row + 1]; k++) {
          if (expected.get(row * nCols + m.indices[k])?.v !== m.data[k]) wrong++;
        }
      }
      expect(wrong).toBe(0);
    },
  );
});
