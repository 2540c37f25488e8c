import type { ModelArray } from '../artifact/manifest';
import { ModelError, ModelErrorCode } from '../contract/errors';
import type { ModelState } from './base-recommender';

type ArrayKind = { float32: Float32Array; float64: Float64Array; int32: Int32Array; uint8: Uint8Array };
const CTORS: { [K in keyof ArrayKind]: new (n: number) => ArrayKind[K] } = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

/**
 * A saved state array of the expected type (and length, when given), or a BAD_ARTIFACT error naming
 * what is wrong, so a damaged or hand-edited artifact fails at load rather than with wrong scores later.
 */
export function stateArray<K extends keyof ArrayKind>(
  model: string,
  state: ModelState,
  name: string,
  kind: K,
  length?: number,
): ArrayKind[K] {
  const a: ModelArray | undefined = state.arrays[name];
  if (!(a instanceof CTORS[kind]) || (length !== undefined && a.length !== length)) {
    const expected = length === undefined ? kind : `${kind} of length ${length}`;
    throw new ModelError(
      ModelErrorCode.BAD_ARTIFACT,
      `${model}: state array "${name}" is missing or not a ${expected}`,
    );
  }
  return a as ArrayKind[K];
}

/** A saved numeric state value, or a BAD_ARTIFACT error. */
export function stateNumber(model: string, state: ModelState, name: string): number {
  const v = state.values?.[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ModelError(
      ModelErrorCode.BAD_ARTIFACT,
      `${model}: state value "${name}" is missing or not a finite number`,
    );
  }
  return v;
}
