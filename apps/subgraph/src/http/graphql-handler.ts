import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import express from 'express';

/** The GraphQL endpoint's path; the server sends it here without going through Express. */
export const GRAPHQL_PATH = '/graphql';

export interface GraphQLHandlerOptions<TContext extends BaseContext> {
  /** Largest accepted request body (body-parser syntax: '100kb'). */
  bodyLimit: string;
  context: (req: IncomingMessage, res: ServerResponse) => Promise<TContext>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Whether a request URL is for the GraphQL endpoint (`/graphql`, `/graphql/`, with any query string). */
export function isGraphQLPath(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(GRAPHQL_PATH)) return false;
  const rest = url.slice(GRAPHQL_PATH.length);
  return rest === '' || rest === '/' || rest.startsWith('?') || rest.startsWith('/?');
}

/**
 * Apollo on a plain Node request, as `@apollo/server/standalone` does it: Express's JSON body parser
 * (`express.json`: the same limit, content types and errors as before), then
 * `executeHTTPGraphQLRequest`, whose answer is written as is. Going through Express's router, its
 * response helpers (an ETag hashed over every answer) and the Express integration cost a tenth of a cached
 * request; /health, /ready and /metrics stay on Express.
 */
export function graphqlHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: GraphQLHandlerOptions<TContext>,
): RequestHandler {
  const parseJson = express.json({ limit: options.bodyLimit });
  return (req, res) => {
    parseJson(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        sendBodyError(res, error);
        return;
      }
      execute(apollo, options, req, res).catch(() => {
        // executeHTTPGraphQLRequest answers every GraphQL failure itself: this is a broken response stream.
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      });
    });
  };
}

async function execute<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: GraphQLHandlerOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: query >= 0 ? url.slice(query) : '',
      // Set by the JSON parser: the parsed body, or undefined for a request without a JSON body.
      body: (req as IncomingMessage & { body?: unknown }).body,
    },
    context: () => options.context(req, res),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** body-parser's errors (malformed JSON 400, too large 413, bad charset 415) as a GraphQL-shaped answer. */
function sendBodyError(res: ServerResponse, error: unknown): void {
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 400;
  const message =
    e.expose === true && typeof e.message === 'string' ? e.message : 'The request body could not be read';
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(errorBody(message, 'BAD_REQUEST'));
}

function errorBody(message: string, code: string): string {
  return `${JSON.stringify({ errors: [{ message, extensions: { code } }] })}\n`;
}
