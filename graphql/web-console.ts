/**
 * Serves the web console's build (web/dist) at `/`: index.html for `/`, and the hashed files under
 * /assets/ (cached for a year: their names change with their content). The console is a client of
 * the same /graphql endpoint as any integrator; nothing here answers data.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const webDistDir = path.resolve(import.meta.dirname, '..', 'web', 'dist');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// Everything the console loads comes from this origin; ECharts sets inline styles on its canvas.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

interface File {
  body: Buffer;
  gzipped: Buffer | null;
  contentType: string;
}

const files = new Map<string, Promise<File | null>>();

async function load(relative: string): Promise<File | null> {
  try {
    const body = await readFile(path.join(webDistDir, relative));
    const extension = path.extname(relative);
    const compressible = extension !== '.png' && extension !== '.woff2';
    return {
      body,
      gzipped: compressible && body.length > 1024 ? gzipSync(body) : null,
      contentType: contentTypes[extension] ?? 'application/octet-stream',
    };
  } catch {
    return null;
  }
}

/** The file a console URL names, or null when the URL is not the console's. */
export function consoleFilePath(url: string | undefined): string | null {
  const pathname = new URL(url ?? '/', 'http://localhost').pathname;
  if (pathname === '/' || pathname === '/index.html') return 'index.html';
  const asset = /^\/assets\/([A-Za-z0-9._-]+)$/.exec(pathname);
  return asset?.[1] && !asset[1].startsWith('.') ? `assets/${asset[1]}` : null;
}

/** Answers a GET or HEAD for a console file; false when the request is not the console's. */
export async function serveConsole(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const relative = consoleFilePath(request.url);
  if (relative === null) return false;
  // Assets are named by their content, so one read serves them for the process's life; index.html
  // is read on each request, so that it names the assets of the current build after a rebuild.
  let pending = relative === 'index.html' ? undefined : files.get(relative);
  if (pending === undefined) {
    pending = load(relative);
    if (relative !== 'index.html') files.set(relative, pending);
  }
  const file = await pending;
  if (file === null) {
    files.delete(relative);
    const missing = relative === 'index.html';
    response.writeHead(missing ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(
      missing
        ? 'The web console is not built: run `npm run build:web` (npm start builds it).\n'
        : 'Not found\n',
    );
    return true;
  }
  const gzip = file.gzipped !== null && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = gzip && file.gzipped ? file.gzipped : file.body;
  response.writeHead(200, {
    'content-type': file.contentType,
    'content-length': String(body.length),
    'cache-control': relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...(relative === 'index.html'
      ? { 'content-security-policy': contentSecurityPolicy, 'x-frame-options': 'DENY' }
      : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
