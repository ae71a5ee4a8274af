/**
 * The log as C2SP tlog-tiles, through a real socket: a client that knows only the log's URL prefix
 * and verifier key (tlog-tiles-client.ts, written from the specifications, importing nothing of the
 * ledger's) fetches the checkpoint, tiles and entry bundles and computes from them alone the root,
 * inclusion proofs and a consistency proof. The log grows to 1,100 leaves (4·256 + 76), so full and
 * partial level-0 tiles and a partial level-1 tile (from the stored tiles of anchoring) are all read.
 * A full level-1 tile needs 65,536 events, a minute of inserting and anchoring here: it is the same
 * read with width 256.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../../graphql/http.js';
import { insertSyntheticEvents } from '../../scripts/bench/synthetic-events.js';
import { type Db, setRetryPolicy } from '../../services/db/transaction.js';
import { anchorBatch } from '../../services/ledger/anchor.js';
import { testLimits, useTestLedger } from '../support/ledger.js';
import {
  type Checkpoint,
  indexPath,
  leafHashOf,
  openCheckpoint,
  parseVkey,
  rootOfLeafHashes,
  TiledLog,
  verifyConsistency,
  verifyInclusion,
} from './tlog-tiles-client.js';

const ledger = useTestLedger();
const allowedOrigin = 'https://console.example.com';
const strangerOrigin = 'https://mirror.example.org';
let server: RunningServer;
let prefix: string;

/** Anchors every pending event in batches of at most batchEventsMax: one checkpoint per batch. */
async function anchor(batchEventsMax: number): Promise<void> {
  for (;;) {
    const result = await anchorBatch(ledger.app.db, ledger.logSigner, {
      batchEventsMax,
      lateCheckedThrough: null,
      lateSettleMs: 0,
      holder: 'test',
      leaseTtlMs: 1,
    });
    if (result.anchored === 0) return;
  }
}

async function syntheticEvents(count: number): Promise<void> {
  const key = await ledger.owner.db
    .selectFrom('party_key')
    .select('key_id')
    .where('party_id', '=', ledger.ledger.platformPartyId)
    .executeTakeFirstOrThrow();
  await insertSyntheticEvents(ledger.owner.db, count, {
    partyId: ledger.ledger.platformPartyId,
    keyId: key.key_id,
  });
}

async function checkpointSizes(): Promise<number[]> {
  const rows = await ledger.owner.db.selectFrom('checkpoint').select('tree_size').execute();
  return rows.map((row) => Number(row.tree_size));
}

const get = (path: string, init: RequestInit = {}) => fetch(`${prefix}/${path}`, init);

async function fetchCheckpoint(): Promise<Checkpoint> {
  const response = await get('checkpoint');
  expect(response.status).toBe(200);
  return openCheckpoint(await response.text(), parseVkey(ledger.logSigner.verifierKey));
}

/** A width in 1..255 that no checkpoint leaves in tile (level, index), so no client may ask for it. */
function unpublishedWidth(sizes: number[], level: number, index: number): number {
  const implied = new Set(sizes.map((size) => Math.floor(size / 256 ** level) - index * 256));
  const width = [...Array(255).keys()].map((w) => w + 1).find((w) => !implied.has(w));
  if (width === undefined) throw new Error('every width is published');
  return width;
}

describe('the log as C2SP tiles', () => {
  let older: Checkpoint;
  let latest: Checkpoint;

  beforeAll(async () => {
    server = await startHttpServer({
      ledger: ledger.ledger,
      logSigner: ledger.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: 4096,
      production: true,
      corsOrigins: [allowedOrigin],
      ...testLimits,
    });
    prefix = server.url.replace(/\/graphql$/, '/log');
  });
  afterAll(() => server?.close(1000));

  it('has no checkpoint and no tile before the first anchoring', async () => {
    const checkpoint = await get('checkpoint');
    expect(checkpoint.status).toBe(404);
    expect(checkpoint.headers.get('cache-control')).toBe('no-store');
    expect((await get('tile/0/000.p/1')).status).toBe(404);
    expect((await get('tile/entries/000.p/1')).status).toBe(404);
  });

  it('serves what a tiled-log client needs, and the client verifies the log from tiles alone', async () => {
    // The registry events of the bootstrap, then 300 more: an older checkpoint inside tile 1 of level 0.
    await anchor(10_000);
    await syntheticEvents(300);
    await anchor(10_000);
    older = await fetchCheckpoint();
    // Batches of 200 leave a partial tile at each checkpoint on the way.
    await syntheticEvents(1_100 - older.size);
    await anchor(200);
    latest = await fetchCheckpoint();
    expect(latest.origin).toBe(ledger.logSigner.origin);
    expect(latest.size).toBe(1_100);

    const log = new TiledLog(prefix, latest.size);
    expect(await log.root()).toEqual(latest.root);

    // Every entry bundle: each entry is the leaf's data, SHA-256(0x00 || entry) its level-0 tile hash.
    const leafHashes: Buffer[] = [];
    const bundles = Math.ceil(latest.size / 256);
    for (let index = 0; index < bundles; index++) {
      const entries = await log.entries(index);
      const tile = await log.tile(0, index);
      const mismatched = entries.filter(
        (entry, offset) =>
          entry.length !== 32 || !leafHashOf(entry).equals(tile.subarray(offset * 32, offset * 32 + 32)),
      );
      expect([index, mismatched]).toEqual([index, []]);
      leafHashes.push(...entries.map(leafHashOf));
    }
    expect(rootOfLeafHashes(leafHashes)).toEqual(latest.root);

    // Inclusion, for leaves in full and partial tiles, against the signed root.
    for (const leafIndex of [0, 255, 256, older.size - 1, 1_023, 1_024, latest.size - 1]) {
      const proof = await log.inclusionProof(leafIndex);
      const leaf = leafHashes[leafIndex] as Buffer;
      expect(verifyInclusion(leaf, leafIndex, latest.size, proof, latest.root)).toBe(true);
      // The same proof does not pass for another leaf or position.
      expect(
        verifyInclusion(leafHashes[leafIndex ^ 1] as Buffer, leafIndex, latest.size, proof, latest.root),
      ).toBe(false);
    }

    // Consistency of the older checkpoint with the latest, both signed; and the older tree from its tiles.
    const consistency = await log.consistencyProof(older.size);
    expect(verifyConsistency(older.size, latest.size, consistency, older.root, latest.root)).toBe(true);
    const rewritten = consistency.map((hash, index) => (index === 0 ? leafHashOf(hash) : hash));
    expect(verifyConsistency(older.size, latest.size, rewritten, older.root, latest.root)).toBe(false);
    expect(await new TiledLog(prefix, older.size).root()).toEqual(older.root);

    // Full and partial tiles of level 0 and the partial tile of level 1 were read.
    expect(log.fetched).toEqual(
      expect.arrayContaining(['tile/1/000.p/4', 'tile/0/000', 'tile/0/003', 'tile/0/004.p/76']),
    );
  });

  it('gives the entry of each leaf as its event hash', async () => {
    const leaves = await ledger.owner.db
      .selectFrom('leaf')
      .innerJoin('event', 'event.id', 'leaf.event_id')
      .select(['leaf.leaf_index', 'event.event_hash'])
      .where('leaf.leaf_index', 'in', [0n, 300n, 1_050n])
      .orderBy('leaf.leaf_index')
      .execute();
    const bundle0 = await new TiledLog(prefix, latest.size).entries(0);
    const bundle1 = await new TiledLog(prefix, latest.size).entries(1);
    const bundle4 = await new TiledLog(prefix, latest.size).entries(4);
    expect([bundle0[0], bundle1[300 - 256], bundle4[1_050 - 1_024]]).toEqual(
      leaves.map((row) => row.event_hash),
    );
  });

  it('refuses a checkpoint that the log key did not sign', async () => {
    const note = await (await get('checkpoint')).text();
    const vkey = parseVkey(ledger.logSigner.verifierKey);
    const forged = note.replace(`\n${latest.size}\n`, `\n${latest.size + 1}\n`);
    expect(() => openCheckpoint(forged, vkey)).toThrow(/signature is bad/);
    const otherKey = { ...vkey, keyId: Buffer.from('00000000', 'hex') };
    expect(() => openCheckpoint(note, otherKey)).toThrow(/no signature by the log key/);
  });

  it('serves a partial tile only at a width some checkpoint implies, and nothing beyond the latest', async () => {
    const sizes = await checkpointSizes();
    const full = await get('tile/0/000');
    expect(full.status).toBe(200);
    const fullBytes = Buffer.from(await full.arrayBuffer());
    // The older checkpoint's partial tile stays served, and is a prefix of the full tile.
    const olderWidth = older.size % 256;
    const olderTile = await get(`tile/0/${indexPath(Math.floor(older.size / 256))}.p/${olderWidth}`);
    expect(olderTile.status).toBe(200);
    const fullOfOlder = await get(`tile/0/${indexPath(Math.floor(older.size / 256))}`);
    expect(Buffer.from(await olderTile.arrayBuffer())).toEqual(
      Buffer.from(await fullOfOlder.arrayBuffer()).subarray(0, olderWidth * 32),
    );
    expect(fullBytes).toHaveLength(8192);

    const lastTile = Math.floor(latest.size / 256);
    const unpublished = [
      `tile/0/000.p/${unpublishedWidth(sizes, 0, 0)}`,
      `tile/1/000.p/${unpublishedWidth(sizes, 1, 0)}`,
      `tile/entries/000.p/${unpublishedWidth(sizes, 0, 0)}`,
      `tile/0/${indexPath(lastTile)}`, // the latest partial tile is not full yet
      `tile/entries/${indexPath(lastTile)}`,
      `tile/0/${indexPath(lastTile)}.p/${(latest.size % 256) + 1}`,
      `tile/0/${indexPath(lastTile + 1)}.p/1`,
      `tile/1/001.p/${unpublishedWidth(sizes, 1, 1)}`,
      'tile/2/000',
      'tile/3/000.p/1',
      'tile/8/000.p/1',
      'tile/63/000',
      'tile/0/x999/x999/x999/x999/x999/x999/x999/999',
    ];
    for (const path of unpublished) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toContain('not published');
    }
  });

  it.each([
    'tile',
    'tile/',
    'tile/0',
    'tile/0/',
    'tile/0/1',
    'tile/0/0001',
    'tile/0/000/',
    'tile/00/000',
    'tile/01/000',
    'tile/64/000',
    'tile/-1/000',
    'tile/data/000',
    'tile/0/x000/001',
    'tile/0/001/002',
    'tile/0/x001',
    'tile/0/abc',
    'tile/0/%30%30%30',
    'tile/0/000.p',
    'tile/0/000.p/',
    'tile/0/000.p/0',
    'tile/0/000.p/007',
    'tile/0/000.p/256',
    'tile/0/000.p/1.5',
    'tile/0/000.p/1/2',
    'tile/entries',
    'tile/entries/x000/000',
    'tile/0/x001.p/3/000',
  ])('answers 400 to the malformed path %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toMatch(/^malformed tile path: /);
  });

  it('answers 404 to paths under /log that are no log resource', async () => {
    for (const url of [prefix, `${prefix}/`, `${prefix}/checkpoints`, `${prefix}/checkpoint/`]) {
      const response = await fetch(url);
      expect([url, response.status]).toEqual([url, 404]);
    }
  });

  it('sets caching and content headers a mirror and a browser rely on, anonymously from any origin', async () => {
    const checkpoint = await get('checkpoint', { headers: { origin: strangerOrigin } });
    expect(checkpoint.status).toBe(200);
    expect(checkpoint.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const maxAge = Number(/max-age=(\d+)/.exec(checkpoint.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(10);
    expect(checkpoint.headers.get('cache-control')).not.toContain('immutable');
    expect(checkpoint.headers.get('access-control-allow-origin')).toBe('*');
    for (const path of ['tile/0/000', 'tile/1/000.p/1', 'tile/entries/000']) {
      const tile = await get(path, { headers: { origin: strangerOrigin } });
      expect(tile.status).toBe(200);
      expect(tile.headers.get('content-type')).toBe('application/octet-stream');
      expect(tile.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(tile.headers.get('access-control-allow-origin')).toBe('*');
      expect(tile.headers.get('access-control-allow-credentials')).toBeNull();
    }
    // A wrong API key changes nothing: the log is not behind authentication at all.
    const withBadKey = await get('tile/0/000', { headers: { authorization: 'Bearer nonsense' } });
    expect(withBadKey.status).toBe(200);
    const preflight = await get('tile/0/000', {
      method: 'OPTIONS',
      headers: { origin: strangerOrigin, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('answers HEAD as GET without the body', async () => {
    for (const path of ['checkpoint', 'tile/0/000', 'tile/entries/000', 'tile/0/1', 'tile/9/000']) {
      const got = await get(path);
      const body = Buffer.from(await got.arrayBuffer());
      const head = await get(path, { method: 'HEAD' });
      expect(head.status).toBe(got.status);
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(head.headers.get('cache-control')).toBe(got.headers.get('cache-control'));
      expect(head.headers.get('content-length')).toBe(String(body.length));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it('refuses to be written to', async () => {
    const response = await get('checkpoint', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    const unreachable = new Proxy(ledger.app.db, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (property !== 'transaction') return typeof value === 'function' ? value.bind(target) : value;
        return () => {
          const failing = {
            execute: () =>
              Promise.reject(
                Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
              ),
            setIsolationLevel: () => failing,
          };
          return failing;
        };
      },
    }) as Db;
    setRetryPolicy(unreachable, { connectionRetryMs: 50, backoffBaseMs: 1, backoffCapMs: 4 });
    const troubled = await startHttpServer({
      ledger: { ...ledger.ledger, db: unreachable },
      logSigner: ledger.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: 4096,
      ...testLimits,
    });
    try {
      for (const path of ['checkpoint', 'tile/0/000']) {
        const response = await fetch(`${troubled.url.replace(/\/graphql$/, '/log')}/${path}`);
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('1');
        expect(await response.text()).toMatch(/send the same request again/);
      }
    } finally {
      await troubled.close(1000);
    }
  });
});
