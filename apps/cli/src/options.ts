import { InvalidArgumentError } from 'commander';
import { CliError } from './cli-error';

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

/** Parses a JSON object option, naming the option. */
export function jsonObjectOption(
  name: string,
  text: string | undefined,
): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${name} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
