/**
 * A tiled-log client written from the specifications alone — c2sp.org/tlog-tiles, tlog-checkpoint,
 * signed-note, and RFC 6962 / RFC 9162 section 2.1 for the tree, its proofs and their checks — to
 * test the server against. It imports nothing of the ledger's, so one misreading shared by the server
 * and the client could not make them agree. It knows a log only by its URL prefix and verifier key.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 6962: MTH of one entry = SHA-256(0x00 || entry). */
export function leafHashOf(entry: Uint8Array): Buffer {
  return sha256(Buffer.from([0x00]), entry);
}

function interior(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.from([0x01]), left, right);
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over a list of leaf hashes, straight from the definition; for cross-checks on small logs. */
export function rootOfLeafHashes(leaves: readonly Buffer[], start = 0, end = leaves.length): Buffer {
  if (end - start === 0) return sha256();
  if (end - start === 1) return leaves[start] as Buffer;
  const k = split(end - start);
  return interior(rootOfLeafHashes(leaves, start, start + k), rootOfLeafHashes(leaves, start + k, end));
}

// ---------------------------------------------------------------------------------------------------
// Signed notes and checkpoints

export interface Vkey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

/** "<name>+<hex key id>+<base64(0x01 || Ed25519 key)>", with the key id checked against the key. */
export function parseVkey(text: string): Vkey {
  // Key names hold no "+"; base64 may, so only the first two separate the parts.
  const match = /^([^+]+)\+([^+]+)\+(.+)$/.exec(text);
  if (!match) throw new Error(`not a vkey: ${text}`);
  const [, name, idHex, material] = match as unknown as [string, string, string, string];
  const bytes = Buffer.from(material, 'base64');
  if (bytes[0] !== 0x01 || bytes.length !== 33) throw new Error('not an Ed25519 vkey');
  const publicKey = bytes.subarray(1);
  const keyId = Buffer.from(idHex, 'hex');
  const expected = sha256(Buffer.from(`${name}\n`), Buffer.from([0x01]), publicKey).subarray(0, 4);
  if (!/^[0-9a-f]{8}$/.test(idHex) || !keyId.equals(expected))
    throw new Error('vkey id does not match its key');
  return { name, keyId, publicKey };
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/**
 * Opens a checkpoint note: the text ends at the last empty line; among the signature lines, one by
 * the vkey's name and id must verify (others are ignored, as the note specification says).
 */
export function openCheckpoint(note: string, vkey: Vkey): Checkpoint {
  const blank = note.lastIndexOf('\n\n');
  if (blank < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const text = note.slice(0, blank + 1);
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: vkey.publicKey.toString('base64url') },
    format: 'jwk',
  });
  let verified = false;
  for (const line of note.slice(blank + 2, -1).split('\n')) {
    const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new Error(`not a signature line: ${line}`);
    const signature = Buffer.from(match[2] as string, 'base64');
    if (match[1] !== vkey.name || !signature.subarray(0, 4).equals(vkey.keyId)) continue;
    if (!verify(null, Buffer.from(text), key, signature.subarray(4))) throw new Error('log signature is bad');
    verified = true;
  }
  if (!verified) throw new Error('no signature by the log key');
  const [origin, sizeText, rootText] = text.slice(0, -1).split('\n');
  if (!origin || !sizeText || !/^(0|[1-9][0-9]*)$/.test(sizeText) || !rootText) {
    throw new Error('not a checkpoint');
  }
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) throw new Error('bad root hash');
  return { origin, size: Number(sizeText), root };
}

// ---------------------------------------------------------------------------------------------------
// Tiles

/** tlog-tiles index path: 1234067 -> x001/x234/067. */
export function indexPath(index: number): string {
  let rest = index;
  let path = String(rest % 1000).padStart(3, '0');
  while (rest >= 1000) {
    rest = Math.floor(rest / 1000);
    path = `x${String(rest % 1000).padStart(3, '0')}/${path}`;
  }
  return path;
}

/** Reads a log of one tree size through its tiles, fetching each tile once. */
export class TiledLog {
  readonly fetched: string[] = [];
  private readonly tiles = new Map<string, Promise<Buffer>>();

  constructor(
    readonly prefix: string,
    readonly size: number,
  ) {}

  /** The tile's width in this tree: 256 when full, else floor(size / 256^level) mod 256. */
  width(level: number, index: number): number {
    const hashes = Math.floor(this.size / 256 ** level);
    const width = Math.min(256, hashes - index * 256);
    if (width <= 0) throw new Error(`tile ${level}/${index} is empty in a tree of ${this.size}`);
    return width;
  }

  path(level: number | 'entries', index: number): string {
    const width = this.width(level === 'entries' ? 0 : level, index);
    return `tile/${level}/${indexPath(index)}${width < 256 ? `.p/${width}` : ''}`;
  }

  private async get(path: string): Promise<Buffer> {
    this.fetched.push(path);
    const response = await fetch(`${this.prefix}/${path}`);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    if (response.headers.get('content-type') !== 'application/octet-stream') {
      throw new Error(`GET ${path}: content-type ${response.headers.get('content-type')}`);
    }
    return Buffer.from(await response.arrayBuffer());
  }

  /** The hashes of tile (level, index), checked to be as many as this tree size says. */
  tile(level: number, index: number): Promise<Buffer> {
    const path = this.path(level, index);
    let tile = this.tiles.get(path);
    if (!tile) {
      tile = this.get(path).then((bytes) => {
        if (bytes.length !== this.width(level, index) * 32) throw new Error(`${path}: ${bytes.length} bytes`);
        return bytes;
      });
      this.tiles.set(path, tile);
    }
    return tile;
  }

  /** The entries of bundle `index`: big-endian uint16 length, then the entry, over and over. */
  async entries(index: number): Promise<Buffer[]> {
    const bytes = await this.get(this.path('entries', index));
    const entries: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      if (offset + 2 > bytes.length) throw new Error('entry bundle ends inside a length');
      const length = bytes.readUInt16BE(offset);
      if (offset + 2 + length > bytes.length) throw new Error('entry bundle ends inside an entry');
      entries.push(bytes.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
    }
    if (entries.length !== this.width(0, index))
      throw new Error(`bundle ${index}: ${entries.length} entries`);
    return entries;
  }

  /**
   * The hash of the perfect subtree of height h over leaves [i·2^h, (i+1)·2^h): tile level
   * floor(h/8) holds the hashes of height 8·floor(h/8); the heights between are hashed up from them.
   */
  async perfect(height: number, index: number): Promise<Buffer> {
    const level = Math.floor(height / 8);
    const below = height - level * 8;
    const first = index * 2 ** below;
    const tile = await this.tile(level, Math.floor(first / 256));
    let layer: Buffer[] = [];
    for (let position = first % 256; position < (first % 256) + 2 ** below; position++) {
      if ((position + 1) * 32 > tile.length) throw new Error(`node ${height}/${index} is past its tile`);
      layer.push(tile.subarray(position * 32, (position + 1) * 32));
    }
    while (layer.length > 1) {
      const next: Buffer[] = [];
      for (let pair = 0; pair < layer.length; pair += 2) {
        next.push(interior(layer[pair] as Buffer, layer[pair + 1] as Buffer));
      }
      layer = next;
    }
    return layer[0] as Buffer;
  }

  /** MTH(D[start:end]) for a subtree of the RFC 6962 tree. */
  async hash(start: number, end: number): Promise<Buffer> {
    const n = end - start;
    if (n === 0) return sha256();
    if ((n & (n - 1)) === 0 && start % n === 0) return this.perfect(Math.log2(n), start / n);
    const k = split(n);
    return interior(await this.hash(start, start + k), await this.hash(start + k, end));
  }

  root(): Promise<Buffer> {
    return this.hash(0, this.size);
  }

  /** RFC 6962 2.1.1 PATH(m, D[0:size]). */
  inclusionProof(m: number): Promise<Buffer[]> {
    const path = async (m: number, start: number, end: number): Promise<Buffer[]> => {
      if (end - start === 1) return [];
      const k = split(end - start);
      return m < k
        ? [...(await path(m, start, start + k)), await this.hash(start + k, end)]
        : [...(await path(m - k, start + k, end)), await this.hash(start, start + k)];
    };
    return path(m, 0, this.size);
  }

  /** RFC 6962 2.1.2 PROOF(m, D[0:size]). */
  consistencyProof(m: number): Promise<Buffer[]> {
    const subproof = async (m: number, start: number, end: number, whole: boolean): Promise<Buffer[]> => {
      if (m === end - start) return whole ? [] : [await this.hash(start, end)];
      const k = split(end - start);
      return m <= k
        ? [...(await subproof(m, start, start + k, whole)), await this.hash(start + k, end)]
        : [...(await subproof(m - k, start + k, end, false)), await this.hash(start, start + k)];
    };
    return subproof(m, 0, this.size, true);
  }
}

// ---------------------------------------------------------------------------------------------------
// Proof checks, as RFC 9162 2.1.3.2 and 2.1.4.2 write them

export function verifyInclusion(
  leafHash: Buffer,
  leafIndex: number,
  treeSize: number,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = interior(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = interior(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

export function verifyConsistency(
  firstSize: number,
  secondSize: number,
  proof: readonly Buffer[],
  firstRoot: Buffer,
  secondRoot: Buffer,
): boolean {
  if (firstSize === secondSize) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (firstSize === 0 || firstSize > secondSize || proof.length === 0) return false;
  const path = (firstSize & (firstSize - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = interior(c, fr);
      sr = interior(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = interior(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
