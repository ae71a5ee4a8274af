/**
 * GraphiQL that works offline. yoga's own page loads its script, styles and editor workers from
 * unpkg.com, so without internet it never gets past "Loading…". The same bundle ships inside
 * @graphql-yoga/render-graphiql (a package in the lockfile, no dependencies of its own); this serves
 * its pieces as separate files under /graphiql/assets/, each named by a hash of its content so a
 * browser may keep it forever, and a page that loads only those. Nothing is fetched at run time.
 *
 * That package's own renderGraphiQL inlines all of it (about 9 MB) into every page: nothing cacheable,
 * and an inline script; hence separate files. The bundle is imported on the first GraphiQL request
 * only, so a server with GraphiQL off (production) never holds it in memory.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

const gzip = promisify(gzipCallback);

export const graphiqlAssetPrefix = '/graphiql/assets/';

interface Asset {
  body: Buffer;
  contentType: string;
  /** Compressed on first request, then kept. */
  gzipped?: Promise<Buffer>;
}

interface Assets {
  /** By file name (the part after the prefix). */
  files: Map<string, Asset>;
  /** The URL of each piece the page needs. */
  urls: { css: string; favicon: string; boot: string; bundle: string; workers: Record<string, string> };
}

const javascript = 'text/javascript; charset=utf-8';

/**
 * Our own few lines, run before the bundle: Monaco (GraphiQL's editor) asks MonacoEnvironment where
 * each worker's script is, by label; yoga's page answers the same labels with blobs fetched from
 * unpkg, ours with same-origin files. Once the document is parsed (the bundle has run by then),
 * the app is rendered with the options the server put in the page.
 */
const bootScript = `(() => {
  const config = JSON.parse(document.getElementById('graphiql-config').textContent);
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: (_moduleId, label) => config.workers[label] ?? config.workers.editorWorkerService,
  };
  document.addEventListener('DOMContentLoaded', () => {
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), config.options);
  });
})();
`;

function dataUrlBytes(dataUrl: string): { body: Buffer; contentType: string } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(dataUrl);
  if (!match?.[1] || match[2] === undefined)
    throw new Error('graphiql: the favicon is not a base64 data URL');
  return { contentType: match[1], body: Buffer.from(match[2], 'base64') };
}

async function loadAssets(): Promise<Assets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const files = new Map<string, Asset>();
  const add = (stem: string, extension: string, body: Buffer, contentType: string): string => {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const name = `${stem}.${hash}.${extension}`;
    files.set(name, { body, contentType });
    return `${graphiqlAssetPrefix}${name}`;
  };
  const icon = dataUrlBytes(bundle.favicon);
  return {
    files,
    urls: {
      css: add('graphiql', 'css', Buffer.from(bundle.css), 'text/css; charset=utf-8'),
      favicon: add('favicon', 'ico', icon.body, icon.contentType),
      boot: add('boot', 'js', Buffer.from(bootScript), javascript),
      bundle: add('yoga-graphiql', 'js', Buffer.from(bundle.js), javascript),
      workers: {
        editorWorkerService: add('editor.worker', 'js', Buffer.from(bundle.editorWorkerService), javascript),
        json: add('json.worker', 'js', Buffer.from(bundle.jsonWorker), javascript),
        graphql: add('graphql.worker', 'js', Buffer.from(bundle.graphqlWorker), javascript),
      },
    },
  };
}

let loading: Promise<Assets> | undefined;
const assets = (): Promise<Assets> => {
  loading ??= loadAssets();
  return loading;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON inside <script>: "<" escaped, so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** yoga's renderGraphiQL option: the page, every URL in it on this server. */
export async function renderLocalGraphiql(options: GraphiQLOptions): Promise<string> {
  const { urls } = await assets();
  const title = options.title ?? 'tradeproof GraphiQL';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="${urls.favicon}">
<link rel="stylesheet" href="${urls.css}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root">Loading ${escapeHtml(title)}…</div>
<script id="graphiql-config" type="application/json">${scriptJson({ workers: urls.workers, options: { ...options, title } })}</script>
<script src="${urls.boot}"></script>
<script src="${urls.bundle}"></script>
</body>
</html>
`;
}

/** Whether the client takes gzip (a q=0 refuses it). */
function acceptsGzip(request: Request): boolean {
  for (const part of (request.headers.get('accept-encoding') ?? '').split(',')) {
    const [coding = '', ...parameters] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') continue;
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  }
  return false;
}

async function assetResponse(request: Request, name: string): Promise<Response> {
  const asset = (await assets()).files.get(name);
  if (!asset) {
    return new Response('no such GraphiQL asset', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  let body = asset.body;
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    // The name changes with the content, so a copy never goes stale.
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
  };
  if (acceptsGzip(request)) {
    asset.gzipped ??= gzip(asset.body);
    body = await asset.gzipped;
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers });
}

/** Serves /graphiql/assets/*; only installed when GraphiQL is on, so off means 404 there. */
export function useGraphiqlAssets(): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(graphiqlAssetPrefix)) return;
      endResponse(await assetResponse(request, url.pathname.slice(graphiqlAssetPrefix.length)));
    },
  };
}
