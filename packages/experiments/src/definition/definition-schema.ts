import { z } from 'zod';
import { EXPERIMENT_METRICS } from '../contract';

/**
 * Names of experiments and variants: no ':' (the assignment key is `experiment:user`, so a colon in the
 * name could make two experiments share keys) and nothing a URL or a log line would mangle.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A placement or a policy name: lower-case identifiers (home, service_page, thompson-sampling). */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;

export const DEFAULT_MIN_SAMPLE_SIZE = 1000;
export const DEFAULT_ALPHA = 0.05;

const name = z
  .string()
  .regex(NAME_PATTERN, 'must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit');
const metric = z.enum(EXPERIMENT_METRICS);

export const VariantDefinitionSchema = z.strictObject({
  name,
  share: z.number().finite(),
  modelVersion: z.string().min(1).max(128).optional(),
  policy: z.string().regex(IDENTIFIER_PATTERN, 'must be a lower-case identifier').optional(),
  shadow: z.boolean().default(false),
  canary: z.boolean().default(false),
});

/** The shape of a definition; the rules between fields are checked by validateDefinition. */
export const ExperimentDefinitionSchema = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  placement: z.string().regex(IDENTIFIER_PATTERN, 'must be a lower-case identifier such as home'),
  startAt: z.date().optional(),
  endAt: z.date().optional(),
  primaryMetric: metric,
  guardrailMetrics: z
    .array(metric)
    .default([])
    .refine((metrics) => new Set(metrics).size === metrics.length, 'must not repeat a metric'),
  minSampleSize: z.number().int().min(1).max(1_000_000_000).default(DEFAULT_MIN_SAMPLE_SIZE),
  alpha: z.number().gt(0).max(0.5).default(DEFAULT_ALPHA),
  variants: z.array(VariantDefinitionSchema).max(20),
});

/** A definition with its defaults filled in. */
export type ParsedDefinition = z.output<typeof ExperimentDefinitionSchema>;
export type ParsedVariant = z.output<typeof VariantDefinitionSchema>;
