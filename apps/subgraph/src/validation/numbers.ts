import { badUserInput } from '../errors/codes';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

/** An integer within [min, max] (inclusive), or BAD_USER_INPUT naming `field`. */
export function intInRange(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(field, `must be an integer from ${min} to ${max} (got ${value})`);
  }
  return value;
}

export function optionalIntInRange(
  value: number | null | undefined,
  field: string,
  min: number,
  max: number,
): number | undefined {
  return value === null || value === undefined ? undefined : intInRange(value, field, min, max);
}

/** A list length: 1 to 100; an explicit null means the default. */
export function validLimit(value: number | null | undefined, field = 'limit'): number {
  return value === null || value === undefined ? DEFAULT_LIMIT : intInRange(value, field, 1, MAX_LIMIT);
}
