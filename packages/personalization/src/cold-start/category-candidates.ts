import type { CatalogView } from '../catalog-view';
import { PersonalizationError, PersonalizationErrorCode, requireOption } from '../errors';

export interface CategoryCandidatesOptions {
  /** 0/1 per catalog index: may be shown. Default: every active service. */
  allowed?: Uint8Array;
  /** Trending scores over the catalog, blended half and half with popularity when given. */
  trending?: Float32Array;
}

export interface CategoryCandidates {
  /** Catalog indexes, in the interleaved order. */
  items: Int32Array;
  /** Strength in [0, 1] per item: its category's weight over the top weight × its quality in the category. */
  strengths: Float32Array;
  /** Category names the catalog does not have (ignored). */
  unknown: string[];
}

/**
 * Candidates from categories the user is known to like: the ones they declared at sign-up (equal weights)
 * or the recent categories of their online profile (decayed weights). Within a category services are
 * ranked by quality q = log1p(users) / log1p(max users) (averaged with trending / max trending when given);
 * categories take turns by largest weight / (taken + 1) (the D'Hondt rule), so a heavier category gets more
 * of the `n` places but every listed category gets some. A service in several of the categories is taken once.
 */
export function categoryCandidates(
  catalog: CatalogView,
  categories: readonly string[] | ReadonlyMap<string, number>,
  n: number,
  options: CategoryCandidatesOptions = {},
): CategoryCandidates {
  requireOption(Number.isInteger(n) && n >= 0, 'n', 'an integer ≥ 0', n);
  const weights =
    categories instanceof Map
      ? [...categories]
      : (categories as readonly string[]).map((c): [string, number] => [c, 1]);
  for (const [name, w] of weights)
    if (typeof name !== 'string' || !(w >= 0))
      throw new PersonalizationError(
        PersonalizationErrorCode.BAD_INPUT,
        `categories: expected names with weights ≥ 0, got ${JSON.stringify(name)} → ${w}`,
      );
  const { side } = catalog;
  const vocab = side.categories.vocab;
  const unknown = weights.filter(([c]) => !vocab.has(c)).map(([c]) => c);
  const known = weights.filter(([c, w]) => vocab.has(c) && w > 0);
  const empty = { items: new Int32Array(0), strengths: new Float32Array(0), unknown };
  if (known.length === 0 || n === 0) return empty;

  const size = catalog.ids.size;
  const quality = qualities(catalog, options.trending);
  const allowed = options.allowed;
  const lists = known.map(([name, w]) => {
    const c = vocab.indexOf(name) as number;
    const members: number[] = [];
    const { offsets, values } = side.categories;
    for (let i = 0; i < size; i++) {
      if (side.retired[i] === 1 || (allowed && allowed[i] === 0)) continue;
      for (let p = offsets[i]; p < offsets[i + 1]; p++)
        if (values[p] === c) {
          members.push(i);
          break;
        }
    }
    members.sort((a, b) => quality[b] - quality[a] || a - b);
    const best = members.length > 0 ? quality[members[0]] || 1 : 1;
    return { w, members, best, next: 0, taken: 0 };
  });
  const top = Math.max(...lists.map((l) => l.w));
  const items: number[] = [];
  const strengths: number[] = [];
  const seen = new Set<number>();
  while (items.length < n) {
    let turn = null as (typeof lists)[number] | null;
    for (const l of lists) {
      while (l.next < l.members.length && seen.has(l.members[l.next])) l.next++;
      if (l.next >= l.members.length) continue;
      if (turn === null || l.w / (l.taken + 1) > turn.w / (turn.taken + 1)) turn = l;
    }
    if (turn === null) break;
    const item = turn.members[turn.next++];
    turn.taken++;
    seen.add(item);
    items.push(item);
    strengths.push((turn.w / top) * (quality[item] / turn.best));
  }
  return { items: Int32Array.from(items), strengths: Float32Array.from(strengths), unknown };
}

/** log-scaled popularity in [0, 1], averaged with scaled trending when given. */
function qualities(catalog: CatalogView, trending: Float32Array | undefined): Float64Array {
  const n = catalog.ids.size;
  const out = new Float64Array(n);
  let maxPop = 0;
  let maxTrend = 0;
  for (let i = 0; i < n; i++) {
    maxPop = Math.max(maxPop, catalog.popularity[i]);
    if (trending) maxTrend = Math.max(maxTrend, trending[i]);
  }
  for (let i = 0; i < n; i++) {
    const pop = maxPop > 0 ? Math.log1p(catalog.popularity[i]) / Math.log1p(maxPop) : 0;
    out[i] = trending && maxTrend > 0 ? 0.5 * pop + (0.5 * trending[i]) / maxTrend : pop;
  }
  return out;
}
