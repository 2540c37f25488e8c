import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { SubgraphContext } from '../context';
import { queryTooComplex } from '../errors/codes';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../validation/numbers';

/** The arguments `listEstimator` reads: a variable inside one of them can change the estimate. */
const COST_ARGUMENTS = new Set(['limit', 'representations']);
/** Estimates remembered per document (one per distinct operation name and cost-variable values). */
const MAX_ESTIMATES_PER_DOCUMENT = 64;

/**
 * A list field costs 1 plus its items' cost times how many it may return: its `limit` argument (the
 * default when absent; capped at the largest valid limit, since validation rejects larger ones with a
 * clearer error), or the number of entity representations for federation's `_entities`.
 */
export const listEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (field.name === '_entities' && Array.isArray(args.representations)) {
    return 1 + args.representations.length * Math.max(1, childComplexity);
  }
  if ('limit' in args || field.args.some((arg) => arg.name === 'limit')) {
    const limit =
      typeof args.limit === 'number' && args.limit > 0 ? Math.min(args.limit, MAX_LIMIT) : DEFAULT_LIMIT;
    return 1 + limit * Math.max(1, childComplexity);
  }
  return undefined;
};

/** What one parsed document's estimates depend on, and the estimates made so far. */
interface DocumentEstimates {
  /** Variables used in `limit` or `representations` arguments or in directive arguments (@skip/@include). */
  costVariables: string[];
  byKey: Map<string, number>;
}

/**
 * Estimates per parsed document. Apollo keeps one DocumentNode per distinct query text (its document
 * store), so a repeated query finds its estimate here instead of walking the document again; the key
 * holds the operation name and the values of the variables the estimate can depend on, so a different
 * `$limit` is estimated anew. Documents Apollo drops from its store are dropped here too (WeakMap).
 */
const estimates = new WeakMap<DocumentNode, DocumentEstimates>();

/** The variables an estimate of `document` can depend on (see DocumentEstimates). */
export function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let inCostArgument = false; // arguments do not nest: a field's arguments never hold another field's
  let inDirective = 0;
  visit(document, {
    Argument: {
      enter: (node) => {
        inCostArgument = COST_ARGUMENTS.has(node.name.value);
      },
      leave: () => {
        inCostArgument = false;
      },
    },
    Directive: {
      enter: () => {
        inDirective++;
      },
      leave: () => {
        inDirective--;
      },
    },
    Variable: (node) => {
      if (inCostArgument || inDirective > 0) names.add(node.name.value);
    },
  });
  return [...names];
}

/**
 * The cache key of one request's estimate, or null when a cost variable holds a list or object (entity
 * representations): those requests are estimated every time rather than keyed by a large value.
 */
function estimateKey(
  costVariables: readonly string[],
  operationName: string | undefined,
  variables: Record<string, unknown>,
): string | null {
  const values: unknown[] = [operationName ?? null];
  for (const name of costVariables) {
    const value = variables[name];
    if (value !== null && typeof value === 'object') return null;
    values.push(value === undefined ? '(unset)' : value);
  }
  return JSON.stringify(values);
}

function estimate(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number {
  return getComplexity({
    schema,
    query: document,
    ...(operationName === undefined ? {} : { operationName }),
    variables,
    estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** Rejects operations whose estimated cost is above `maximum` before anything executes. */
export function complexityPlugin(maximum: number): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const operationName = request.operationName ?? undefined;
          const variables = request.variables ?? {};
          let entry = estimates.get(document);
          if (entry === undefined) {
            entry = { costVariables: costVariables(document), byKey: new Map() };
            estimates.set(document, entry);
          }
          const key = estimateKey(entry.costVariables, operationName, variables);
          let complexity = key === null ? undefined : entry.byKey.get(key);
          if (complexity === undefined) {
            try {
              complexity = estimate(schema, document, operationName, variables);
            } catch (error) {
              // Variables that do not coerce: execution coerces them the same way before any resolver runs
              // and answers with Apollo's own BAD_USER_INPUT (HTTP 400) naming the variable and the field.
              if (error instanceof GraphQLError) return;
              throw error;
            }
            if (key !== null && entry.byKey.size < MAX_ESTIMATES_PER_DOCUMENT)
              entry.byKey.set(key, complexity);
          }
          if (complexity > maximum) throw queryTooComplex(complexity, maximum);
        },
      };
    },
  };
}
