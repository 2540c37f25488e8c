import type { CsrMatrix } from '@recsys/data';

export interface TfidfOptions {
  /** Replace tf with 1 + ln(tf) for tf > 1 (scikit-learn's sublinear_tf). Default false. */
  sublinearTf?: boolean;
}

export interface Tfidf {
  /** Terms in ascending code-unit order; a term's column is its position. */
  vocabulary: string[];
  /** Inverse document frequency per term. */
  idf: Float64Array;
  /** Documents × terms, each row L2-normalised (empty documents have empty rows), columns ascending. */
  matrix: CsrMatrix;
}

/**
 * TF-IDF vectors as scikit-learn's TfidfVectorizer computes them by default (smooth_idf=True,
 * norm='l2'): tfidf(t, d) = tf(t, d) · idf(t) with idf(t) = ln((1 + n) / (1 + df(t))) + 1 over n
 * documents, then each document vector divided by its Euclidean norm. Documents come as term → (possibly
 * weighted) count maps, so field weights multiply term frequencies.
 */
export function tfidf(docs: ReadonlyArray<ReadonlyMap<string, number>>, options: TfidfOptions = {}): Tfidf {
  const n = docs.length;
  const df = new Map<string, number>();
  let nnz = 0;
  for (const doc of docs) {
    for (const [term, tf] of doc) {
      if (!(tf > 0)) continue;
      df.set(term, (df.get(term) ?? 0) + 1);
      nnz++;
    }
  }
  const vocabulary = [...df.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const column = new Map<string, number>();
  const idf = new Float64Array(vocabulary.length);
  vocabulary.forEach((term, c) => {
    column.set(term, c);
    idf[c] = Math.log((1 + n) / (1 + (df.get(term) ?? 0))) + 1;
  });

  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  const cols: number[] = [];
  const vals = new Float64Array(vocabulary.length);
  let pos = 0;
  for (let d = 0; d < n; d++) {
    cols.length = 0;
    let sq = 0;
    for (const [term, tf] of docs[d]) {
      if (!(tf > 0)) continue;
      const c = column.get(term) as number;
      const w = (options.sublinearTf && tf > 1 ? 1 + Math.log(tf) : tf) * idf[c];
      vals[c] = w;
      sq += w * w;
      cols.push(c);
    }
    cols.sort((a, b) => a - b);
    const norm = Math.sqrt(sq);
    for (const c of cols) {
      indices[pos] = c;
      data[pos] = vals[c] / norm;
      pos++;
    }
    indptr[d + 1] = pos;
  }
  return { vocabulary, idf, matrix: { rows: n, cols: vocabulary.length, indptr, indices, data } };
}
