import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { Pool } from 'pg';

/*
 * Two small real subgraphs standing in for the marketplace's own: `users` owns User { id name } and
 * `catalog` owns Service { id name category } (read from the test database's MovieLens titles and genres).
 */

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

export interface StartedSubgraph {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/** Subgraph servers without federated inline tracing (as ours), which also keeps Apollo from saying so on stdout. */
function subgraphServer(schema: GraphQLSchema): ApolloServer {
  return new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
}

async function serve(name: string, server: ApolloServer): Promise<StartedSubgraph> {
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { name, url, stop: () => server.stop() };
}

interface UserEntity {
  id: string;
  name: string;
}

const userById = (id: string): UserEntity => ({ id, name: `Shopper ${id}` });

export function startUsersSubgraph(): Promise<StartedSubgraph> {
  const typeDefs = parse(`${LINK}
    type Query { user(id: ID!): User }
    type User @key(fields: "id") { id: ID! name: String! }`);
  const resolvers = {
    Query: { user: (_root: unknown, args: { id: string }): UserEntity => userById(args.id) },
    User: { __resolveReference: (reference: { id: string }): UserEntity => userById(reference.id) },
  };
  return serve('users', subgraphServer(buildSubgraphSchema([{ typeDefs, resolvers }])));
}

interface ServiceEntity {
  id: string;
  name: string;
  category: string | null;
}

export function startCatalogSubgraph(pool: Pool, datasetId: string): Promise<StartedSubgraph> {
  const typeDefs = parse(`${LINK}
    type Query { service(id: ID!): Service }
    type Service @key(fields: "id") { id: ID! name: String! category: String }`);
  const serviceById = async (id: string): Promise<ServiceEntity | null> => {
    const res = await pool.query<{ id: string; name: string; categories: string[] }>(
      `SELECT "id", "name", "categories" FROM "Service" WHERE "datasetId" = $1 AND "id" = $2`,
      [datasetId, id],
    );
    const row = res.rows[0];
    return row === undefined ? null : { id: row.id, name: row.name, category: row.categories[0] ?? null };
  };
  const resolvers = {
    Query: { service: (_root: unknown, args: { id: string }) => serviceById(args.id) },
    Service: { __resolveReference: (reference: { id: string }) => serviceById(reference.id) },
  };
  return serve('catalog', subgraphServer(buildSubgraphSchema([{ typeDefs, resolvers }])));
}
