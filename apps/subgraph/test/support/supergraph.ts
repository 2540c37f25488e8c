import { composeServices, type CompositionResult } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { graphql } from './graphql-client';

/** The identity headers the test gateway passes on to every subgraph, as the marketplace's gateway does. */
const FORWARDED_HEADERS = ['x-user-id', 'x-user-role', 'x-service-token', 'x-request-id'] as const;

interface GatewayContext {
  forwarded: Record<string, string>;
}

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** Each subgraph's SDL as it serves it (`{ _service { sdl } }`), composed into a supergraph. */
export async function composeFromServices(subgraphs: SubgraphEndpoint[]): Promise<CompositionResult> {
  const definitions = await Promise.all(
    subgraphs.map(async ({ name, url }) => {
      const res = await graphql<{ _service: { sdl: string } }>(url, '{ _service { sdl } }');
      if (res.errors !== undefined || !res.data) throw new Error(`${name}: ${JSON.stringify(res.errors)}`);
      return { name, url, typeDefs: parse(res.data._service.sdl) };
    }),
  );
  return composeServices(definitions);
}

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

/** The Node gateway over a composed supergraph, on an ephemeral loopback port. */
export async function startGateway(supergraphSdl: string): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest(options) {
          // Only client operations carry identity (not health checks or schema loading).
          if (!('incomingRequestContext' in options)) return;
          for (const [name, value] of Object.entries(options.context.forwarded)) {
            options.request.http?.headers.set(name, value);
          }
        },
      }),
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const forwarded: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = req.headers[name];
        if (typeof value === 'string') forwarded[name] = value;
      }
      return { forwarded };
    },
  });
  return { url, stop: () => server.stop() };
}
