/** Through a real socket on a random port: the server as a client meets it. */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenHttp, type RunningServer, startHttpServer } from '../../graphql/http.js';
import { openDatabase } from '../../services/db/connect.js';
import { testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
const requestBodyBytesMax = 4096;
let server: RunningServer;

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${ledger.adminApiKey}`,
      ...headers,
    },
    body,
  });
  return {
    status: response.status,
    json: (await response.json()) as { data?: unknown; errors?: { message: string }[] },
  };
}

const query = (text: string) => JSON.stringify({ query: text });

describe('HTTP server', () => {
  beforeAll(async () => {
    server = await startHttpServer({
      ledger: ledger.ledger,
      logSigner: ledger.logSigner,
      graphiql: true,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax,
      ...testLimits,
    });
  });
  afterAll(() => server.close(1000));

  it('answers a query over HTTP on a random port', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const { status, json } = await post(query('{ me { roles } }'));
    expect(status).toBe(200);
    expect(json.data).toEqual({ me: { roles: ['PLATFORM_ADMIN'] } });
  });

  it('reports health at /healthz', async () => {
    const response = await fetch(server.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves GraphiQL to a browser when enabled', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('GraphiQL');
  });

  it('refuses a body over the limit by its Content-Length', async () => {
    const { status, json } = await post(query(`{ me { id } } # ${'x'.repeat(requestBodyBytesMax)}`));
    expect(status).toBe(413);
    expect(json.errors?.[0]?.message).toContain(`${requestBodyBytesMax} bytes`);
  });

  it('refuses a chunked body that grows past the limit without a Content-Length', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 16) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('rejects a query deeper than the depth limit', async () => {
    const deep = `{ me { ${'parent { '.repeat(testLimits.queryDepthMax)}id${' }'.repeat(testLimits.queryDepthMax)} } }`;
    const { json } = await post(query(deep));
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('rejects more aliases than the alias limit', async () => {
    const aliases = Array.from(
      { length: testLimits.queryAliasesMax + 1 },
      (_, index) => `a${index}: me { id }`,
    );
    const { json } = await post(query(`{ ${aliases.join(' ')} }`));
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('rejects a query whose cost passes the cost limit', async () => {
    const fields =
      'id legalName registrationId roles createdAt keys { keyId publicKey status custodial createdAt }';
    const wide = `parties(first: 100) { edges { node { ${fields} parent { ${fields} parent { ${fields} } } } } }`;
    const { json } = await post(query(`{ a: ${wide} b: ${wide} c: ${wide} }`));
    expect(json.data).toBeUndefined();
    expect(json.errors?.[0]?.message).toMatch(/cost/i);
  });

  it('masks unexpected errors: the client learns nothing of the cause', async () => {
    const broken = await openDatabase(ledger.appUrl, { poolMax: 1 });
    await broken.close();
    const failing = await startHttpServer({
      ledger: { ...ledger.ledger, db: broken.db },
      logSigner: ledger.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax,
      ...testLimits,
    });
    try {
      const response = await fetch(failing.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ledger.adminApiKey}` },
        body: query('{ me { id } }'),
      });
      const text = await response.text();
      expect(text).toContain('Unexpected error.');
      expect(text).not.toMatch(/pool|destroy|kysely|pg/i);
    } finally {
      await failing.close(1000);
    }
  });

  it('holds its port while the ledger starts, answering 503 (retryable) until it serves', async () => {
    const early = await listenHttp({ host: '127.0.0.1', port: 0, requestBodyBytesMax });
    try {
      const health = await fetch(early.url.replace('/graphql', '/healthz'));
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'starting' });
      const before = await fetch(early.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: query('{ me { roles } }'),
      });
      expect(before.status).toBe(503);
      expect(before.headers.get('retry-after')).toBe('1');
      expect(await before.json()).toMatchObject({
        errors: [{ extensions: { code: 'STARTING', retryable: true } }],
      });
      early.serve({ ledger: ledger.ledger, logSigner: ledger.logSigner, graphiql: false, ...testLimits });
      const after = await fetch(early.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ledger.adminApiKey}` },
        body: query('{ me { roles } }'),
      });
      expect(await after.json()).toEqual({ data: { me: { roles: ['PLATFORM_ADMIN'] } } });
      expect((await fetch(early.url.replace('/graphql', '/healthz'))).status).toBe(200);
    } finally {
      await early.close(1000);
    }
  });

  it('lets an in-flight request finish when closing, then refuses new connections', async () => {
    const closing = await startHttpServer({
      ledger: ledger.ledger,
      logSigner: ledger.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax,
      ...testLimits,
    });
    // A request whose body is still arriving when the server starts closing.
    const body = query('{ me { roles } }');
    const { port } = new URL(closing.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    const ended = new Promise((resolve) => socket.on('end', resolve));
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${ledger.adminApiKey}\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    while (closing.inFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = closing.close(5000);
    socket.write(body.slice(5));
    await closed;
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"roles":["PLATFORM_ADMIN"]');
    await expect(fetch(closing.url)).rejects.toThrow();
  });
});
