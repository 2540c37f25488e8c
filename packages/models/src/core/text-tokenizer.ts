/**
 * A small English tokenizer for catalog text (service names and descriptions): lowercase, split on
 * anything that is not a Unicode letter or digit, drop stop words and one-character tokens. Close to
 * scikit-learn's default `token_pattern` (\b\w\w+\b) plus a stop list; no stemming.
 */

/** Common English function words (a subset of scikit-learn's ENGLISH_STOP_WORDS). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him himself ' +
    'his how if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they this ' +
    'those through to too under until up upon us very via was we were what when where which while who whom why will with within ' +
    'without would you your yours yourself yourselves'
  ).split(' '),
);

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** The tokens of `text` in order (repeats kept: they are term frequencies). */
export function tokenize(
  text: string | null | undefined,
  stopWords: ReadonlySet<string> = STOP_WORDS,
): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const token of text.toLowerCase().split(SEPARATORS)) {
    if (token.length > 1 && !stopWords.has(token)) out.push(token);
  }
  return out;
}

/** Adds `weight` to each token's count in `counts` (a weighted term frequency). */
export function addTerms(
  counts: Map<string, number>,
  tokens: Iterable<string>,
  weight = 1,
): Map<string, number> {
  if (weight === 0) return counts;
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + weight);
  return counts;
}
