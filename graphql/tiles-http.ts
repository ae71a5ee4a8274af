/**
 * The log as C2SP tlog-tiles over HTTP, at the prefix /log: `/log/checkpoint`, `/log/tile/<L>/<N>[.p/<W>]`
 * and `/log/tile/entries/<N>[.p/<W>]` (paths in services/ledger/tile-path.ts, what is published in
 * services/ledger/tiles.service.ts). Anonymous and readable from any origin, as a static mirror of
 * the log would be: the data is public and no credential is ever involved. Tiles never change once
 * published, so caches may keep them for good; the checkpoint moves, so only for a few seconds.
 * Bad paths are 400, unpublished tiles 404, a database that cannot be reached 503: never a 500 for
 * anything a client sends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ledger } from '../services/context.js';
import { parseTilePath } from '../services/ledger/tile-path.js';
import { latestCheckpointNote, readTileResource } from '../services/ledger/tiles.service.js';
import { databaseTrouble } from './unavailable.js';

export const logPrefix = '/log';

const immutable = 'public, max-age=31536000, immutable';
// tlog-tiles: the checkpoint's headers "SHOULD prevent caching beyond a few seconds".
const checkpointCaching = 'public, max-age=5';
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
};

/** The path below /log of a request for the log's resources (query string dropped), or null. */
export function logResourcePath(requestUrl: string | undefined): string | null {
  const path = (requestUrl ?? '').split('?')[0] ?? '';
  if (path === logPrefix) return '';
  return path.startsWith(`${logPrefix}/`) ? path.slice(logPrefix.length + 1) : null;
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
): void {
  response.writeHead(status, {
    ...corsHeaders,
    'x-content-type-options': 'nosniff',
    'content-length': String(body.length),
    ...headers,
  });
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

function sendText(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  send(
    request,
    response,
    status,
    { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
    Buffer.from(`${text}\n`),
  );
}

async function serveResource(
  request: IncomingMessage,
  response: ServerResponse,
  ledger: Ledger,
  path: string,
) {
  if (path === 'checkpoint') {
    const note = await latestCheckpointNote(ledger);
    if (note === null) return sendText(request, response, 404, 'no checkpoint yet: the log is empty');
    return send(
      request,
      response,
      200,
      { 'content-type': 'text/plain; charset=utf-8', 'cache-control': checkpointCaching },
      Buffer.from(note),
    );
  }
  if (path !== 'tile' && !path.startsWith('tile/')) {
    return sendText(
      request,
      response,
      404,
      `no such log resource; the log serves ${logPrefix}/checkpoint, ${logPrefix}/tile/<L>/<N>[.p/<W>] ` +
        `and ${logPrefix}/tile/entries/<N>[.p/<W>] (c2sp.org/tlog-tiles)`,
    );
  }
  const parsed = parseTilePath(path);
  if (!parsed.ok) return sendText(request, response, 400, `malformed tile path: ${parsed.reason}`);
  const tile = await readTileResource(ledger, parsed.address);
  if (!tile.found) return sendText(request, response, 404, tile.reason);
  return send(
    request,
    response,
    200,
    { 'content-type': 'application/octet-stream', 'cache-control': immutable },
    tile.bytes,
  );
}

/** Answers a request whose path is under /log (logResourcePath gave `path`). */
export async function serveLog(
  request: IncomingMessage,
  response: ServerResponse,
  ledger: Ledger,
  path: string,
): Promise<void> {
  if (request.method === 'OPTIONS') {
    response.writeHead(204, { ...corsHeaders, 'access-control-max-age': '86400' });
    response.end();
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return sendText(request, response, 405, 'the log is read with GET or HEAD', {
      allow: 'GET, HEAD, OPTIONS',
    });
  }
  try {
    await serveResource(request, response, ledger, path);
  } catch (error) {
    const trouble = databaseTrouble(error);
    if (trouble === null) throw error;
    sendText(request, response, 503, trouble.message, { 'retry-after': '1' });
  }
}
