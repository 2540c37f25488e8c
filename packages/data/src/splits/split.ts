import { selectEvents, type InteractionLog } from '../interactions/interaction-log';

/**
 * A train/test partition of a log: event indices into it, each list sorted ascending.
 * Splitters return indices rather than copied logs, so k folds of a large log cost 4 bytes per event each.
 */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** The two halves of a split as logs of their own (events in log order). */
export function applySplit(
  log: InteractionLog,
  split: Split,
): { train: InteractionLog; test: InteractionLog } {
  return { train: selectEvents(log, split.train), test: selectEvents(log, split.test) };
}

/** A split from a per-event mask: 1 = test, 0 = train. Both lists come out in ascending order. */
export function splitFromMask(isTest: Uint8Array): Split {
  let nTest = 0;
  for (let e = 0; e < isTest.length; e++) nTest += isTest[e];
  const train = new Int32Array(isTest.length - nTest);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let e = 0; e < isTest.length; e++) {
    if (isTest[e] === 1) test[b++] = e;
    else train[a++] = e;
  }
  return { train, test };
}

export function checkFraction(name: string, fraction: number): void {
  if (!(fraction >= 0 && fraction <= 1))
    throw new RangeError(`${name}: testFraction must be in [0, 1], got ${fraction}`);
}
