import type { Json } from '@recsys/features';
import { PersonalizationError, PersonalizationErrorCode } from './errors';

/** Version of every saved layout of this package; bump it when one changes. */
export const PERSONALIZATION_STATE_VERSION = 1;

export type StateJson = { [key: string]: Json };

/**
 * Reads fields of an untrusted parsed JSON object, throwing PERSONALIZATION_BAD_STATE with the field's path.
 * `openState(json, kind)` also checks the `kind` tag and the format version; `nestedState` reads a nested object.
 */
export class StateFields {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly where: string,
  ) {}

  fail(field: string, expected: string): never {
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_STATE,
      `${this.where}.${field}: expected ${expected}`,
    );
  }

  number(field: string): number {
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'a finite number');
    return v;
  }

  integer(field: string): number {
    const v = this.obj[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(field, 'an integer');
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
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
      this.fail(field, 'an array of finite numbers');
    return v as number[];
  }

  integers(field: string): number[] {
    const v = this.numbers(field);
    if (!v.every((x) => Number.isSafeInteger(x))) this.fail(field, 'an array of integers');
    return v;
  }

  array(field: string): unknown[] {
    const v = this.obj[field];
    if (!Array.isArray(v)) this.fail(field, 'an array');
    return v;
  }

  object(field: string): StateFields {
    const v = this.obj[field];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'an object');
    return new StateFields(v as Record<string, unknown>, `${this.where}.${field}`);
  }
}

/** The fields of a saved state of `kind`, after checking its tag and PERSONALIZATION_STATE_VERSION. */
export function openState(json: unknown, kind: string): StateFields {
  const fields = nestedState(json, kind);
  const obj = json as Record<string, unknown>;
  if (obj.kind !== kind)
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_STATE,
      `expected a "${kind}" state, got kind ${JSON.stringify(obj.kind)}`,
    );
  if (obj.formatVersion !== PERSONALIZATION_STATE_VERSION)
    throw new PersonalizationError(
      PersonalizationErrorCode.BAD_STATE,
      `${kind}: format version ${JSON.stringify(obj.formatVersion)} is not supported (this build reads ${PERSONALIZATION_STATE_VERSION})`,
    );
  return fields;
}

/** The fields of a nested object of a saved state (no kind tag), errors naming `where`. */
export function nestedState(json: unknown, where: string): StateFields {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PersonalizationError(PersonalizationErrorCode.BAD_STATE, `${where}: expected an object`);
  return new StateFields(json as Record<string, unknown>, where);
}
