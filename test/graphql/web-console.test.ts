/**
 * The console's files as the HTTP server serves them (graphql/web-console.ts): index.html at / with
 * its security headers, hashed assets cached for a year and gzipped on request, nothing else of the
 * disk reachable, and all of it before the ledger is ready (the page says itself that it waits).
 */
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listenHttp } from '../../graphql/http.js';
import { consoleFilePath, webDistDir } from '../../graphql/web-console.js';
import { ensureWebBuild } from '../../scripts/web-build.js';

function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('consoleFilePath', () => {
  it('maps / and hashed assets, and nothing else', () => {
    expect(consoleFilePath('/')).toBe('index.html');
    expect(consoleFilePath('/index.html')).toBe('index.html');
    expect(consoleFilePath('/?lang=zh')).toBe('index.html');
    expect(consoleFilePath('/assets/index-Ab12_c.js')).toBe('assets/index-Ab12_c.js');
    for (const other of [
      '/graphql',
      '/healthz',
      '/log/checkpoint',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/.vite',
      '/assets/sub/file.js',
      '/.vite/manifest.json',
      '/web/dist/index.html',
    ]) {
      expect(consoleFilePath(other), other).toBeNull();
    }
  });
});

describe('the console over HTTP, while the ledger is still starting', () => {
  let server: ListeningServer;
  let base: string;
  beforeAll(async () => {
    await ensureWebBuild(() => {});
    server = await listenHttp({ host: '127.0.0.1', port: 0, requestBodyBytesMax: 1024 });
    base = server.url.replace(/\/graphql$/, '');
  }, 120_000);
  afterAll(async () => {
    await server?.close(0);
  });

  it('serves index.html with a content security policy and no caching', async () => {
    const page = await get(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body.toString()).toContain('<div id="root"></div>');
    // The API itself still answers 503 until the ledger is ready.
    expect((await get(`${base}/graphql`)).status).toBe(503);
  });

  it('serves each asset for a year, gzipped when asked, and HEAD without a body', async () => {
    const asset = readdirSync(path.join(webDistDir, 'assets')).find((file) => file.endsWith('.js')) ?? '';
    const plain = await get(`${base}/assets/${asset}`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const zipped = await get(`${base}/assets/${asset}`, { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    const head = await get(`${base}/assets/${asset}`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(plain.body.length);
  });

  it('answers 404 for an asset that does not exist, and never serves files outside the build', async () => {
    expect((await get(`${base}/assets/missing-0000.js`)).status).toBe(404);
    const traversal = await get(`${base}/assets/..%2f..%2fpackage.json`);
    expect(traversal.body.toString()).not.toContain('"name": "tradeproof"');
  });
});
