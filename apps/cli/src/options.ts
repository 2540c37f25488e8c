import { InvalidArgumentError } from 'commander';

/** Parses a positive integer option, naming the option in the error. */
export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}"`);
    return n;
  };
}

/** Parses an integer option (negative allowed), naming the option in the error. */
export function integer(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer, got "${value}"`);
    return n;
  };
}

const DATASET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function datasetId(value: string): string {
  if (!DATASET_ID.test(value)) {
    throw new InvalidArgumentError(
      `dataset id must be 1-64 letters, digits, '.', '_' or '-', got "${value}"`,
    );
  }
  return value;
}
