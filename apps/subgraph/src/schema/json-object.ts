import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

export type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(value: unknown): JsonObject {
  if (!isJsonObject(value)) throw new GraphQLError('JSONObject must be a JSON object, e.g. {"factors": 64}');
  return value;
}

/**
 * `JSONObject`: any JSON object, as it is (model parameters). What is inside is checked by whoever uses
 * it (the training contract checks parameters against the model's schema).
 */
export const JSONObjectScalar = new GraphQLScalarType<JsonObject, JsonObject>({
  name: 'JSONObject',
  description: 'A JSON object, e.g. {"factors": 64}; arrays, strings and numbers are refused.',
  serialize: parseJsonObject,
  parseValue: parseJsonObject,
  parseLiteral(ast, variables) {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('JSONObject must be an object', { nodes: ast });
    // Literal objects may hold variables ({ factors: $factors }): valueFromASTUntyped fills them in.
    return parseJsonObject(valueFromASTUntyped(ast, variables));
  },
});
