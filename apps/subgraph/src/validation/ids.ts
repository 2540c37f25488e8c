import { badUserInput } from '../errors/codes';

export const MAX_ID_LENGTH = 128;
/** C0 and C1 control characters and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with an id (or a key, a session id), or null when it is acceptable. */
export function idProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_ID_LENGTH)
    return `must be at most ${MAX_ID_LENGTH} characters (got ${value.length})`;
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  return null;
}

/** The id itself, or BAD_USER_INPUT naming `field`. */
export function validId(value: string, field: string): string {
  const problem = idProblem(value);
  if (problem !== null) throw badUserInput(field, problem);
  return value;
}

/** An optional id: null and undefined become undefined. */
export function optionalId(value: string | null | undefined, field: string): string | undefined {
  return value === null || value === undefined ? undefined : validId(value, field);
}

/** A list of ids of at most `maxLength` entries, each checked (`field[i]` named on error). */
export function idList(
  values: readonly string[] | null | undefined,
  field: string,
  maxLength: number,
): string[] | undefined {
  if (values === null || values === undefined) return undefined;
  if (values.length > maxLength)
    throw badUserInput(field, `must have at most ${maxLength} entries (got ${values.length})`);
  return values.map((value, i) => validId(value, `${field}[${i}]`));
}
