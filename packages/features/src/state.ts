import { FeatureError, FeatureErrorCode } from './errors';

/**
 * Saved fitted state: plain JSON (no NaN, no Infinity, which JSON cannot hold), tagged with the `kind` of
 * the object that wrote it and the `formatVersion` of that kind's layout. `fromJSON` refuses any other
 * kind or version with FEATURE_UNSUPPORTED_STATE rather than guessing.
 */
export type JsonPrimitive = string | number | boolean | null;
export type Json = JsonPrimitive | Json[] | { [key: string]: Json };

/** Version of every state layout of this package; bump it when any saved layout changes. */
export const FEATURE_STATE_VERSION = 1;

export type VersionedState = {
  kind: string;
  formatVersion: number;
};

/** Reads fields out of an untrusted parsed JSON object, throwing FEATURE_BAD_STATE with the field's path. */
export class StateReader {
  private constructor(
    private readonly obj: Record<string, unknown>,
    private readonly where: string,
  ) {}

  /** Checks that `json` is an object of `kind` at FEATURE_STATE_VERSION. */
  static open(json: unknown, kind: string): StateReader {
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new FeatureError(FeatureErrorCode.BAD_STATE, `${kind}: state must be an object`);
    const obj = json as Record<string, unknown>;
    if (obj.kind !== kind)
      throw new FeatureError(
        FeatureErrorCode.UNSUPPORTED_STATE,
        `expected a "${kind}" state, got kind ${JSON.stringify(obj.kind)}`,
      );
    if (obj.formatVersion !== FEATURE_STATE_VERSION)
      throw new FeatureError(
        FeatureErrorCode.UNSUPPORTED_STATE,
        `${kind}: format version ${JSON.stringify(obj.formatVersion)} is not supported (this build reads ${FEATURE_STATE_VERSION})`,
      );
    return new StateReader(obj, kind);
  }

  private fail(field: string, expected: string): never {
    throw new FeatureError(FeatureErrorCode.BAD_STATE, `${this.where}.${field}: expected ${expected}`);
  }

  number(field: string): number {
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'a finite number');
    return v;
  }

  /** A finite number, or NaN where the state holds null (how NaN is saved). */
  numberOrNaN(field: string): number {
    const v = this.obj[field];
    if (v === null) return Number.NaN;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'a finite number or null');
    return v;
  }

  integer(field: string, min = 0): number {
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) this.fail(field, `an integer ≥ ${min}`);
    return v;
  }

  boolean(field: string): boolean {
    const v = this.obj[field];
    if (typeof v !== 'boolean') this.fail(field, 'a boolean');
    return v;
  }

  string(field: string): string {
    const v = this.obj[field];
    if (typeof v !== 'string') this.fail(field, 'a string');
    return v;
  }

  strings(field: string): string[] {
    const v = this.obj[field];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) this.fail(field, 'an array of strings');
    return v as string[];
  }

  numbers(field: string): number[] {
    const v = this.obj[field];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'number' && Number.isFinite(s)))
      this.fail(field, 'an array of finite numbers');
    return v as number[];
  }

  /** A nested value, handed to another `fromJSON`. */
  child(field: string): unknown {
    if (!(field in this.obj)) this.fail(field, 'a nested state');
    return this.obj[field];
  }
}

/** NaN as JSON null (JSON has no NaN). */
export const nanToNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
