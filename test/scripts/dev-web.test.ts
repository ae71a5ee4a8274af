/**
 * `npm run dev:web`: the console from its sources with hot reload, its API calls passed to the
 * ledger at LEDGER_URL. Here the "ledger" is a stand-in that says who it is; the test checks that the
 * page carries Vite's hot-reload client and that /graphql and /healthz reach LEDGER_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('npm run dev:web', () => {
  let ledger: Server;
  let dev: ChildProcess;
  let devUrl = '';
  let output = '';

  beforeAll(async () => {
    ledger = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ stand_in: true, path: request.url, method: request.method }));
    });
    await new Promise<void>((resolve) => ledger.listen(0, '127.0.0.1', resolve));
    const ledgerUrl = `http://127.0.0.1:${(ledger.address() as AddressInfo).port}`;
    dev = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules/vite/bin/vite.js'),
        '--config',
        'web/vite.config.ts',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      {
        cwd: root,
        env: { ...process.env, LEDGER_URL: ledgerUrl, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    devUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no dev server within 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const url = /Local:\s+(http:\/\/\S+?)\/?\s/.exec(output)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      };
      dev.stdout?.on('data', onData);
      dev.stderr?.on('data', onData);
      dev.once('exit', (code) => reject(new Error(`dev server exited with ${code}:\n${output}`)));
    });
  }, 90_000);

  afterAll(async () => {
    dev?.kill('SIGTERM');
    await new Promise<void>((resolve) => ledger?.close(() => resolve()));
  });

  it('serves the console from its sources with the hot-reload client', async () => {
    const page = await (await fetch(`${devUrl}/`)).text();
    expect(page).toContain('/@vite/client');
    expect(page).toContain('/src/main.tsx');
    const main = await fetch(`${devUrl}/src/main.tsx`);
    expect(main.status).toBe(200);
    // React's fast refresh: an edited component swaps in place, keeping the page's state.
    expect(await (await fetch(`${devUrl}/src/app.tsx`)).text()).toContain('RefreshRuntime');
  });

  it('passes /graphql and /healthz to LEDGER_URL', async () => {
    const graphql = await fetch(`${devUrl}/graphql`, { method: 'POST', body: '{}' });
    expect(await graphql.json()).toEqual({ stand_in: true, path: '/graphql', method: 'POST' });
    const health = await fetch(`${devUrl}/healthz`);
    expect(await health.json()).toEqual({ stand_in: true, path: '/healthz', method: 'GET' });
  });
});
