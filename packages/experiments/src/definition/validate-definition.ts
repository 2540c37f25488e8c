import { BUCKETS } from '../assignment/bucket';
import { ExperimentError, ExperimentErrorCode } from '../errors';
import { ExperimentDefinitionSchema, type ParsedDefinition } from './definition-schema';

/** How far the shown shares may sum from 1. */
export const SHARE_SUM_TOLERANCE = 1e-9;
/** The largest share of a canary variant. */
export const MAX_CANARY_SHARE = 0.2;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`,
    '',
  );
}

/** The definition's shape (zod), every problem named by its field in one INVALID_DEFINITION error. */
function parseShape(input: unknown): ParsedDefinition {
  const result = ExperimentDefinitionSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const at = fieldPath(issue.path);
    return { field: at === '' ? 'definition' : at, message: issue.message };
  });
  throw new ExperimentError(
    ExperimentErrorCode.INVALID_DEFINITION,
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems[0]?.field,
  );
}

function checkVariants(definition: ParsedDefinition): void {
  const { variants } = definition;
  if (variants.length < 2) {
    throw new ExperimentError(
      ExperimentErrorCode.TOO_FEW_VARIANTS,
      `an experiment needs at least two variants (got ${variants.length})`,
      'variants',
    );
  }
  const seen = new Set<string>();
  variants.forEach((variant, i) => {
    const at = `variants[${i}]`;
    if (seen.has(variant.name)) {
      throw new ExperimentError(
        ExperimentErrorCode.DUPLICATE_VARIANT_NAME,
        `variant name "${variant.name}" is used twice`,
        `${at}.name`,
      );
    }
    seen.add(variant.name);
    if ((variant.modelVersion === undefined) === (variant.policy === undefined)) {
      throw new ExperimentError(
        ExperimentErrorCode.INVALID_DEFINITION,
        `variant "${variant.name}" must serve exactly one of a modelVersion or a policy`,
        at,
      );
    }
    if (!(variant.share > 0 && variant.share <= 1)) {
      throw new ExperimentError(
        ExperimentErrorCode.INVALID_SHARE,
        `variant "${variant.name}": share must be in (0, 1] (got ${variant.share})`,
        `${at}.share`,
      );
    }
    if (!variant.shadow && variant.share < 1 / BUCKETS) {
      throw new ExperimentError(
        ExperimentErrorCode.INVALID_SHARE,
        `variant "${variant.name}": a shown share must be at least ${1 / BUCKETS} (got ${variant.share})`,
        `${at}.share`,
      );
    }
    if (variant.shadow && variant.canary) {
      throw new ExperimentError(
        ExperimentErrorCode.INVALID_DEFINITION,
        `variant "${variant.name}" cannot be both shadow (never shown) and canary (shown to a few)`,
        at,
      );
    }
    if (variant.canary && variant.share > MAX_CANARY_SHARE) {
      throw new ExperimentError(
        ExperimentErrorCode.INVALID_SHARE,
        `canary variant "${variant.name}": share must be at most ${MAX_CANARY_SHARE} (got ${variant.share})`,
        `${at}.share`,
      );
    }
  });
  if (variants[0].shadow) {
    throw new ExperimentError(
      ExperimentErrorCode.TOO_FEW_VARIANTS,
      `the first variant ("${variants[0].name}") is the control and must be shown, not shadow`,
      'variants[0].shadow',
    );
  }
  const shown = variants.filter((variant) => !variant.shadow);
  const sum = shown.reduce((total, variant) => total + variant.share, 0);
  if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
    throw new ExperimentError(
      ExperimentErrorCode.SHARES_DO_NOT_SUM_TO_ONE,
      `the shares of the shown variants must sum to 1 (got ${sum}: ${shown
        .map((variant) => `${variant.name} ${variant.share}`)
        .join(', ')})`,
      'variants',
    );
  }
}

function checkDates(definition: ParsedDefinition, now: Date): void {
  const { startAt, endAt } = definition;
  if (startAt !== undefined && Number.isNaN(startAt.getTime())) {
    throw new ExperimentError(ExperimentErrorCode.INVALID_DATES, 'startAt is not a valid date', 'startAt');
  }
  if (endAt === undefined) return;
  if (Number.isNaN(endAt.getTime())) {
    throw new ExperimentError(ExperimentErrorCode.INVALID_DATES, 'endAt is not a valid date', 'endAt');
  }
  if (startAt !== undefined && endAt.getTime() <= startAt.getTime()) {
    throw new ExperimentError(
      ExperimentErrorCode.INVALID_DATES,
      `endAt (${endAt.toISOString()}) must be after startAt (${startAt.toISOString()})`,
      'endAt',
    );
  }
  if (endAt.getTime() <= now.getTime()) {
    throw new ExperimentError(
      ExperimentErrorCode.INVALID_DATES,
      `endAt (${endAt.toISOString()}) is already past`,
      'endAt',
    );
  }
}

/**
 * A definition checked on its own (what needs no database): its shape, at least two variants with
 * distinct names, each serving one model version or policy with a share in (0, 1], the control first and
 * shown, the shown shares summing to 1, a canary no larger than MAX_CANARY_SHARE, an end after the start
 * and not past. Throws an ExperimentError naming the field; returns the definition with defaults.
 */
export function validateDefinition(input: unknown, now: Date = new Date()): ParsedDefinition {
  const definition = parseShape(input);
  checkVariants(definition);
  checkDates(definition, now);
  return definition;
}
