/**
 * GraphiQL served from this server: the page and every file it loads come from the
 * @graphql-yoga/render-graphiql package, none from another host. (test/browser runs it in Chromium.)
 */
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import * as bundle from '@graphql-yoga/render-graphiql/graphiql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlAssetPrefix, renderLocalGraphiql } from '../../graphql/graphiql.js';
import { graphqlPosture, type RunningServer, startHttpServer } from '../../graphql/http.js';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import { loadConfig } from '../../services/config.js';
import { testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let server: RunningServer;
let origin: string;
let page: string;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, not fetch: fetch would decompress and hide the Content-Encoding at work. */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${origin}${path}`, { method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Every src and href of the page, and the worker URLs in its configuration. */
function urlsOf(html: string): string[] {
  const attributes = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
  const config = /<script id="graphiql-config" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1];
  const workers = Object.values(JSON.parse(config ?? 'null').workers as Record<string, string>);
  return [...attributes, ...workers];
}

function assetUrl(stem: string, html = page): string {
  const found = urlsOf(html).find((url) => url.startsWith(`${graphiqlAssetPrefix}${stem}.`));
  if (!found) throw new Error(`the page loads no ${stem}`);
  return found;
}

describe('GraphiQL, served from this server', () => {
  beforeAll(async () => {
    server = await startHttpServer({
      ledger: ledger.ledger,
      logSigner: ledger.logSigner,
      graphiql: true,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: 4096,
      ...testLimits,
    });
    origin = new URL(server.url).origin;
    const answer = await raw('/graphql', { accept: 'text/html' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    page = answer.body.toString();
  });
  afterAll(() => server.close(1000));

  it('names no other host in its page: every script, style, icon and worker is under /graphiql/assets/', () => {
    expect(page).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(page).not.toContain('unpkg');
    const urls = urlsOf(page);
    expect(urls.length).toBe(7);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/assets\/[\w.-]+\.[0-9a-f]{16}\.(js|css|ico)$/);
  });

  it('serves the package’s own files, byte for byte, with their content types', async () => {
    const expected: Array<[string, string | Buffer, RegExp]> = [
      ['yoga-graphiql', bundle.js, /^text\/javascript; charset=utf-8$/],
      ['graphiql', bundle.css, /^text\/css; charset=utf-8$/],
      ['editor.worker', bundle.editorWorkerService, /^text\/javascript/],
      ['json.worker', bundle.jsonWorker, /^text\/javascript/],
      ['graphql.worker', bundle.graphqlWorker, /^text\/javascript/],
      ['favicon', Buffer.from(bundle.favicon.split(',')[1] ?? '', 'base64'), /^image\/x-icon$/],
    ];
    for (const [stem, content, type] of expected) {
      const answer = await raw(assetUrl(stem));
      expect(answer.status, stem).toBe(200);
      expect(answer.headers['content-type'], stem).toMatch(type);
      expect(answer.headers['content-encoding'], stem).toBeUndefined();
      expect(answer.body.equals(Buffer.from(content)), stem).toBe(true);
    }
  });

  it('loads nothing from another host through its styles or its start script', async () => {
    // Fonts and images are inlined as data: URLs; any other url() would be a request (and a 404 here).
    const css = (await raw(assetUrl('graphiql'))).body.toString();
    expect(css).toContain('@font-face');
    expect(css).not.toMatch(/@import|url\(\s*['"]?(?!data:)/i);
    const boot = (await raw(assetUrl('boot'))).body.toString();
    expect(boot).toContain('MonacoEnvironment');
    expect(boot).not.toMatch(/https?:/);
    // The bundle names many sites in its messages and links; no CDN among them.
    expect(bundle.js).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|fonts\.googleapis/);
  });

  it('lets browsers keep every file forever: its name changes with its content', async () => {
    for (const url of urlsOf(page)) {
      const answer = await raw(url);
      expect(answer.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
      expect(answer.headers['x-content-type-options'], url).toBe('nosniff');
      expect(String(answer.headers.vary), url).toMatch(/Accept-Encoding/);
    }
  });

  it('compresses for a client that takes gzip, and not for one that refuses it', async () => {
    const url = assetUrl('yoga-graphiql');
    const compressed = await raw(url, { 'accept-encoding': 'br, gzip;q=0.8' });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(Number(compressed.headers['content-length'])).toBe(compressed.body.length);
    expect(compressed.body.length).toBeLessThan(bundle.js.length / 2);
    expect(gunzipSync(compressed.body).toString()).toBe(bundle.js);
    const refused = await raw(url, { 'accept-encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(bundle.js);
  });

  it('answers HEAD with the headers only', async () => {
    const answer = await raw(assetUrl('graphiql'), {}, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(bundle.css)));
    expect(answer.body.length).toBe(0);
  });

  it('refuses other methods and unknown or outdated file names', async () => {
    const posted = await raw(assetUrl('graphiql'), {}, 'POST');
    expect(posted.status).toBe(405);
    expect(posted.headers.allow).toBe('GET, HEAD');
    const stale = assetUrl('graphiql').replace(/\.[0-9a-f]{16}\./, '.0000000000000000.');
    expect((await raw(stale)).status).toBe(404);
    expect((await raw(`${graphiqlAssetPrefix}../package.json`)).status).toBe(404);
    expect((await raw(graphiqlAssetPrefix)).status).toBe(404);
  });

  it('keeps "<" in options from closing the configuration script', async () => {
    const html = await renderLocalGraphiql({ title: '</script><script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&#60;/script&#62;');
  });
});

describe('GraphiQL switched off', () => {
  it('is off in production, on elsewhere', () => {
    const base = { CUSTODY_KEY: 'ab'.repeat(32), DATABASE_URL: 'postgres://app@db.test/tradeproof' };
    expect(graphqlPosture(loadConfig({ ...base, NODE_ENV: 'production' })).graphiql).toBe(false);
    expect(graphqlPosture(loadConfig({ ...base, NODE_ENV: 'development' })).graphiql).toBe(true);
  });

  it('serves neither the page nor its files', async () => {
    const yoga = createGraphqlHandler({
      ledger: ledger.ledger,
      logSigner: ledger.logSigner,
      graphiql: false,
      ...testLimits,
    });
    const pageAnswer = await yoga.fetch('http://ledger.test/graphql', { headers: { accept: 'text/html' } });
    expect(await pageAnswer.text()).not.toContain('GraphiQL');
    const bundleUrl = assetUrl('yoga-graphiql', await renderLocalGraphiql({}));
    const asset = await yoga.fetch(`http://ledger.test${bundleUrl}`);
    expect(asset.status).toBe(404);
    expect(await asset.text()).not.toContain('renderYogaGraphiQL');
  });
});
