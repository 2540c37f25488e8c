import type { InteractionLog } from '../interactions/interaction-log';
import { checkFraction, splitFromMask, type Split } from './split';

export interface TemporalSplitOptions {
  /** Share of all events, the latest ones, held out for test. Default 0.2. */
  testFraction?: number;
}

/**
 * A global time cut: the last round(testFraction × n) events in (timestamp, event index) order are test,
 * so every test event is at or after every train event, as in production where a model trained until
 * a moment is judged on what follows. Events at the cut's exact timestamp go to test from the highest
 * event index down (the log's later entries count as later).
 * Cost: one native sort of a Float64Array copy of the timestamps (no comparator), then a linear pass.
 */
export function temporalSplit(log: InteractionLog, options: TemporalSplitOptions = {}): Split {
  const fraction = options.testFraction ?? 0.2;
  checkFraction('temporalSplit', fraction);
  const n = log.length;
  const nTest = Math.round(fraction * n);
  const isTest = new Uint8Array(n);
  if (nTest === 0) return splitFromMask(isTest);
  const sorted = log.timestamps.slice().sort();
  const cut = sorted[n - nTest]; // the earliest timestamp that reaches into test
  if (Number.isNaN(cut)) throw new Error('temporalSplit: the log has NaN timestamps');
  let after = 0;
  for (let e = 0; e < n; e++) {
    if (log.timestamps[e] > cut) {
      isTest[e] = 1;
      after++;
    }
  }
  // Fill the rest of the test set with the events at exactly `cut`, latest event index first.
  let remaining = nTest - after;
  for (let e = n - 1; e >= 0 && remaining > 0; e--) {
    if (log.timestamps[e] === cut) {
      isTest[e] = 1;
      remaining--;
    }
  }
  return splitFromMask(isTest);
}
