/**
 * The HTTP server around the GraphQL handler: a request body limit enforced while reading (a missing
 * or lying Content-Length does not get past it), /healthz, the log as C2SP tiles under /log
 * (tiles-http.ts), the web console at / (web-console.ts), and a graceful close that lets in-flight requests finish. It can take its port
 * before the ledger is ready (listenHttp, then serve), so that a port in use stops a start before
 * anything is created; until then it answers 503.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../services/config.js';
import type { Ledger } from '../services/context.js';
import type { GraphqlLimits } from './request-limits.js';
import { logResourcePath, serveLog } from './tiles-http.js';
import { serveConsole } from './web-console.js';
import { createGraphqlHandler, type GraphqlOptions } from './yoga.js';

export interface ListenOptions {
  host: string;
  port: number;
  requestBodyBytesMax: number;
}

export interface HttpOptions extends GraphqlOptions, ListenOptions {}

export interface RunningServer {
  url: string;
  /** Stops accepting, waits for in-flight requests up to graceMs, then drops what is left. */
  close(graceMs: number): Promise<void>;
  /** Requests being handled now. */
  inFlight(): number;
}

export interface ListeningServer extends RunningServer {
  /** Starts answering with the ledger; until then /healthz says "starting" and the rest gets 503. */
  serve(options: GraphqlOptions): void;
}

export function graphqlLimits(config: Config): GraphqlLimits {
  return {
    queryDepthMax: config.queryDepthMax,
    queryCostMax: config.queryCostMax,
    queryAliasesMax: config.queryAliasesMax,
    queryTokensMax: config.queryTokensMax,
    queryOperationsMax: config.queryOperationsMax,
    queryFragmentsMax: config.queryFragmentsMax,
  };
}

/** Production turns GraphiQL off (its page and its assets) along with the rest of production.ts. */
export function graphqlPosture(
  config: Config,
): Pick<GraphqlOptions, 'production' | 'corsOrigins' | 'graphiql'> {
  return { production: config.production, corsOrigins: config.corsOrigins, graphiql: !config.production };
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage, bytesMax: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > bytesMax) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > bytesMax) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startHttpServer(options: HttpOptions): Promise<RunningServer> {
  const server = await listenHttp(options);
  server.serve(options);
  return server;
}

const starting = {
  errors: [
    {
      message: 'the server is starting; send the same request again in a moment',
      extensions: { code: 'STARTING', retryable: true },
    },
  ],
};

/** Takes the port now; rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL, …) as Node gives it. */
export async function listenHttp(options: ListenOptions): Promise<ListeningServer> {
  let graphql: ReturnType<typeof createGraphqlHandler> | null = null;
  let ledger: Ledger | null = null;
  let closing = false;
  let inFlight = 0;
  const server = createServer(async (request, response) => {
    inFlight++;
    response.once('close', () => inFlight--);
    try {
      if (request.url === '/healthz') {
        const status = closing ? 'closing' : graphql === null ? 'starting' : 'ok';
        sendJson(response, status === 'ok' ? 200 : 503, { status });
        return;
      }
      // The console's files need no ledger: while it starts, the page loads and says so itself.
      if (await serveConsole(request, response)) return;
      if (graphql === null || ledger === null) {
        response.setHeader('retry-after', '1');
        sendJson(response, 503, starting);
        return;
      }
      const logPath = logResourcePath(request.url);
      if (logPath !== null) {
        if (closing) response.setHeader('connection', 'close');
        await serveLog(request, response, ledger, logPath);
        return;
      }
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const body = hasBody ? await readBody(request, options.requestBodyBytesMax) : undefined;
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(', '));
      }
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
      const answer = await graphql.fetch(
        url,
        { method: request.method ?? 'GET', headers, ...(body ? { body } : {}) },
        {},
      );
      // While closing, ask keep-alive clients to hang up so the server can finish.
      if (closing) response.setHeader('connection', 'close');
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        response.setHeader('connection', 'close');
        sendJson(response, 413, {
          errors: [
            {
              message: `request body larger than ${options.requestBodyBytesMax} bytes`,
              extensions: { code: 'PAYLOAD_TOO_LARGE' },
            },
          ],
        });
        return;
      }
      console.error('http: unexpected error', error);
      if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Unexpected error.' }] });
      else response.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/graphql`,
    inFlight: () => inFlight,
    serve: (graphqlOptions) => {
      graphql = createGraphqlHandler(graphqlOptions);
      ledger = graphqlOptions.ledger;
    },
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        closing = true;
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
