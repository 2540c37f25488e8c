import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { loadTypeDefs } from '../src/schema/type-defs';

/**
 * The baseline: the same SDL served by a bare Apollo subgraph whose Query.recommendations returns a
 * constant list of `size` items. No validation, authorization, limits, metrics or engine.
 */
export async function startBareSubgraph(size: number): Promise<{ url: string; stop(): Promise<void> }> {
  const list = {
    requestId: 'constant',
    modelVersion: 'constant@1',
    experimentVariant: null,
    generatedAt: new Date().toISOString(),
    fromCache: true,
    coldStart: false,
    items: Array.from({ length: size }, (_, i) => ({
      service: { __typename: 'Service', id: String(i + 1) },
      score: 1 - i / size,
      rank: i + 1,
      source: 'MODEL',
      reasons: ['Because you watched something similar'],
    })),
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema([
      { typeDefs: loadTypeDefs(), resolvers: { Query: { recommendations: () => list } } },
    ]),
    // As in ours: no federated inline tracing (the gateway here does not ask for it either way).
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
