import {
  buildCsr,
  IdMap,
  interactionTypeCode,
  selectEvents,
  userSequences,
  type InteractionDataset,
} from '@recsys/data';
import { DEFAULT_RECORD_OPTIONS } from '@recsys/features';
import { topK, type ScoredItems } from '@recsys/models';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';
import { openState, PERSONALIZATION_STATE_VERSION, type StateJson } from '../state';

/** Neighbours of an item in some index space: what the session recommender builds on. */
export interface ItemNeighbours {
  /** Up to `k` neighbours of `item`, best first (a model's `similarItems` fits this shape). */
  neighbours(item: number, k: number): ScoredItems;
}

export interface ItemCooccurrenceOptions {
  /** Training events (e.g. `split.train`); default all of the log. */
  events?: ArrayLike<number>;
  /** A gap longer than this between two events of a user starts a new session. @defaultValue 1800 (RecordOptions) */
  sessionGapSeconds?: number;
  /** Items at most this many positions apart in a session co-occur. @defaultValue 5 */
  window?: number;
  /** Neighbours kept per item. @defaultValue 50 */
  neighbours?: number;
  /** λ of the shrunk cosine below: pairs seen in few sessions count less. @defaultValue 5 */
  shrinkage?: number;
}

/**
 * Item-to-item similarity from co-occurrence within sessions (the "people who viewed this also viewed"
 * signal of session-based recommenders; Sarwar et al. 2001 on item neighbourhoods, Ludewig & Jannach 2018 on
 * session kNN baselines). Sessions are a user's activity events in time order (impressions left out), cut
 * where the gap exceeds `sessionGapSeconds`; within a session items p < q with q − p ≤ window co-occur with
 * weight 1/(q − p), so adjacent items count most:
 *
 *   C_ij = Σ_sessions Σ_{p,q: items i, j} 1/|q − p|,   sim(i, j) = C_ij / (sqrt(n_i · n_j) + λ)
 *
 * with n_i the sessions holding i (a cosine shrunk towards 0 for rare pairs). The top `neighbours` per
 * item are kept, as sparse rows over the dataset's item indexes; `forCatalog` serves them in the index
 * space of a serving catalog.
 */
export class ItemCooccurrence implements ItemNeighbours {
  private readonly catalogs = new WeakMap<IdMap, ItemNeighbours>();

  private constructor(
    /** Item ids of the dataset fitted on, by item index. */
    readonly items: IdMap,
    private readonly indptr: Int32Array,
    private readonly indices: Int32Array,
    private readonly scores: Float32Array,
  ) {}

  static fit(dataset: InteractionDataset, options: ItemCooccurrenceOptions = {}): ItemCooccurrence {
    const gap = options.sessionGapSeconds ?? DEFAULT_RECORD_OPTIONS.sessionGapSeconds;
    const window = options.window ?? 5;
    const keep = options.neighbours ?? 50;
    const shrinkage = options.shrinkage ?? 5;
    requireOption(gap > 0, 'sessionGapSeconds', '> 0', gap);
    requireOption(Number.isInteger(window) && window >= 1, 'window', 'an integer ≥ 1', window);
    requireOption(Number.isInteger(keep) && keep >= 1, 'neighbours', 'an integer ≥ 1', keep);
    requireOption(shrinkage >= 0, 'shrinkage', '≥ 0', shrinkage);
    const nItems = dataset.items.size;
    const log = options.events ? selectEvents(dataset.log, options.events) : dataset.log;
    const impression = interactionTypeCode('IMPRESSION');
    const seqs = userSequences(log, dataset.users.size);

    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    const sessionsOf = new Float64Array(nItems);
    const stamp = new Int32Array(nItems).fill(-1);
    let session: number[] = [];
    let sessionNo = 0;
    const flush = (): void => {
      sessionNo++;
      for (let p = 0; p < session.length; p++) {
        const i = session[p];
        if (stamp[i] !== sessionNo) {
          stamp[i] = sessionNo;
          sessionsOf[i]++;
        }
        for (let q = p + 1; q < Math.min(session.length, p + window + 1); q++) {
          const j = session[q];
          if (i === j) continue;
          const w = 1 / (q - p);
          rows.push(i, j);
          cols.push(j, i);
          vals.push(w, w);
        }
      }
      session = [];
    };
    for (let u = 0; u < seqs.indptr.length - 1; u++) {
      let lastT = Number.NEGATIVE_INFINITY;
      for (let k = seqs.indptr[u]; k < seqs.indptr[u + 1]; k++) {
        if (log.types[seqs.events[k]] === impression) continue;
        const t = seqs.timestamps[k];
        if (t - lastT > gap && session.length > 0) flush();
        lastT = t;
        const item = seqs.items[k];
        if (session[session.length - 1] !== item) session.push(item);
      }
      if (session.length > 0) flush();
    }
    const counts = buildCsr(
      nItems,
      nItems,
      Int32Array.from(rows),
      Int32Array.from(cols),
      Float32Array.from(vals),
      { duplicates: 'sum' },
    );

    const indptr = new Int32Array(nItems + 1);
    const outItems: number[] = [];
    const outScores: number[] = [];
    for (let i = 0; i < nItems; i++) {
      const start = counts.indptr[i];
      const end = counts.indptr[i + 1];
      if (end > start) {
        const sims = new Float32Array(end - start);
        for (let k = start; k < end; k++) {
          const j = counts.indices[k];
          sims[k - start] = counts.data[k] / (Math.sqrt(sessionsOf[i] * sessionsOf[j]) + shrinkage);
        }
        const top = topK(sims, Math.min(keep, sims.length));
        for (let r = 0; r < top.items.length; r++) {
          outItems.push(counts.indices[start + top.items[r]]);
          outScores.push(top.scores[r]);
        }
      }
      indptr[i + 1] = outItems.length;
    }
    return new ItemCooccurrence(
      dataset.items,
      indptr,
      Int32Array.from(outItems),
      Float32Array.from(outScores),
    );
  }

  /** Up to `k` neighbours of dataset item `item`, best first. */
  neighbours(item: number, k: number): ScoredItems {
    if (!(Number.isInteger(item) && item >= 0 && item < this.items.size))
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `item ${item} outside 0..${this.items.size - 1}`,
      );
    const start = this.indptr[item];
    const end = Math.min(this.indptr[item + 1], start + Math.max(0, k));
    return { items: this.indices.slice(start, end), scores: this.scores.slice(start, end) };
  }

  /** The same neighbours over another id map's indexes (a serving catalog); ids it lacks drop out. */
  forCatalog(catalogIds: IdMap): ItemNeighbours {
    let view = this.catalogs.get(catalogIds);
    if (view === undefined) {
      const toCatalog = Int32Array.from(
        { length: this.items.size },
        (_, i) => catalogIds.indexOf(this.items.idAt(i)) ?? -1,
      );
      const fromCatalog = Int32Array.from(
        { length: catalogIds.size },
        (_, c) => this.items.indexOf(catalogIds.idAt(c)) ?? -1,
      );
      view = {
        neighbours: (item: number, k: number): ScoredItems => {
          const own = fromCatalog[item] ?? -1;
          if (own < 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
          const near = this.neighbours(own, this.indptr[own + 1] - this.indptr[own]);
          const items: number[] = [];
          const scores: number[] = [];
          for (let r = 0; r < near.items.length && items.length < k; r++) {
            const c = toCatalog[near.items[r]];
            if (c < 0) continue;
            items.push(c);
            scores.push(near.scores[r]);
          }
          return { items: Int32Array.from(items), scores: Float32Array.from(scores) };
        },
      };
      this.catalogs.set(catalogIds, view);
    }
    return view;
  }

  toJSON(): StateJson {
    return {
      kind: 'item-cooccurrence',
      formatVersion: PERSONALIZATION_STATE_VERSION,
      items: this.items.toJSON(),
      indptr: Array.from(this.indptr),
      indices: Array.from(this.indices),
      scores: Array.from(this.scores),
    };
  }

  static fromJSON(json: unknown): ItemCooccurrence {
    const r = openState(json, 'item-cooccurrence');
    const ids = r.strings('items');
    const indptr = Int32Array.from(r.integers('indptr'));
    const indices = Int32Array.from(r.integers('indices'));
    const scores = Float32Array.from(r.numbers('scores'));
    if (indptr.length !== ids.length + 1 || indptr[0] !== 0 || indptr[ids.length] !== indices.length)
      r.fail('indptr', `${ids.length + 1} offsets from 0 to ${indices.length}`);
    if (scores.length !== indices.length) r.fail('scores', `${indices.length} numbers`);
    if (indices.some((j) => j < 0 || j >= ids.length)) r.fail('indices', `item indexes 0..${ids.length - 1}`);
    let items: IdMap;
    try {
      items = IdMap.fromJSON(ids);
    } catch (error) {
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_STATE,
        `item-cooccurrence.items: ${(error as Error).message}`,
      );
    }
    return new ItemCooccurrence(items, indptr, indices, scores);
  }
}
