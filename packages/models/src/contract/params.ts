import { type z } from 'zod';
import { ModelError, ModelErrorCode } from './errors';

/**
 * Validates hyper-parameters against a model's zod schema (strict: unknown keys are errors), fills
 * defaults, and reports every problem by key in one INVALID_PARAMS error.
 */
export function parseParams<S extends z.ZodObject>(model: string, schema: S, input: unknown): z.output<S> {
  const result = schema.strict().safeParse(input ?? {});
  if (result.success) return result.data as z.output<S>;
  const known = Object.keys(schema.shape).join(', ');
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown parameter(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${known})`;
    }
    const at = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'params';
    return `${at}: ${issue.message}`;
  });
  throw new ModelError(ModelErrorCode.INVALID_PARAMS, `${model}: ${problems.join('; ')}`);
}
