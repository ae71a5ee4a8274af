/**
 * The console's in-browser verifier (web/browser-verifier.ts, web/src/verify/): the offline verifier
 * of services/verify built as the console builds it, with its node:crypto modules replaced by the
 * @noble ones, then run in a bare JavaScript realm (no Buffer, no require, no process). It must hash
 * the RFC 6962 vectors alike, refuse every key and signature node's Ed25519 refuses, and give a
 * bundle the same verdict, check for check, as `npm run verify`.
 */
import path from 'node:path';
import vm from 'node:vm';
import { etc, Point } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import * as node from '../../services/crypto/index.js';
import { verifyBundle, verifyProofFile } from '../../services/verify/verifier.js';
import { browserReplacements, browserVerifier } from '../../web/browser-verifier.js';
import * as browserEd25519 from '../../web/src/verify/ed25519.js';
import { rfc6962Vectors } from '../fixtures/rfc6962-vectors.js';
import { bundleOf, clone, newLog, proofFileOf } from '../verify/material.js';

type Entry = typeof import('./browser-verifier-entry.js');

const root = path.resolve(import.meta.dirname, '../..');

const vectors = rfc6962Vectors;

/** The entry built by Vite with the console's plugin, as one script, run in a fresh realm. */
async function buildBrowserVerifier(): Promise<{ entry: Entry; code: string }> {
  const output = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    plugins: [browserVerifier()],
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: {
        entry: path.join(root, 'test/web/browser-verifier-entry.ts'),
        formats: ['iife'],
        name: 'browserVerifier',
        fileName: 'browser-verifier',
      },
    },
  });
  const result = Array.isArray(output) ? output[0] : output;
  if (!result || !('output' in result)) throw new Error('no build output');
  const chunk = result.output.find((item) => item.type === 'chunk');
  if (chunk?.type !== 'chunk') throw new Error('no chunk in the build output');
  // A browser's globals, not Node's: the realm has only what a page has that the verifier may use.
  const realm = vm.createContext({ crypto: globalThis.crypto, TextEncoder, TextDecoder, console });
  const entry = vm.runInContext(`${chunk.code}\n;browserVerifier`, realm) as Entry;
  return { entry, code: chunk.code };
}

let browser: Entry;
let code: string;
beforeAll(async () => {
  ({ entry: browser, code } = await buildBrowserVerifier());
}, 60_000);

describe('the browser build of the verifier', () => {
  it('carries no Node module: node:crypto is replaced, Buffer comes from the buffer package', () => {
    expect(browser.hasNodeBuffer()).toBe(false);
    expect(code).not.toMatch(/["'`]node:[a-z]/);
    expect(code).not.toMatch(/\brequire\(/);
    expect([...browserReplacements.keys()].map((file) => path.relative(root, file))).toEqual([
      'services/crypto/digest.ts',
      'services/crypto/ed25519.ts',
      'services/crypto/secret-box.ts',
    ]);
  });

  it('fails the build when a services module imports a Node builtin it cannot replace', async () => {
    const plugin = browserVerifier();
    const resolveId = plugin.resolveId as unknown as (
      this: unknown,
      source: string,
      importer: string,
      options: object,
    ) => Promise<unknown>;
    const context = {
      error: (message: string) => {
        throw new Error(message);
      },
    };
    await expect(
      resolveId.call(context, 'node:fs', path.join(root, 'services/verify/verifier.ts'), {}),
    ).rejects.toThrow(/services\/verify\/verifier\.ts imports node:fs/);
  });
});

describe('RFC 6962 vectors through the browser build', () => {
  it('hashes the empty tree, leaves and nodes as the hasher vectors say', () => {
    const [empty, emptyLeaf, leaf, nodeVector] = vectors.hasher_vectors;
    expect(browser.emptyRootHex()).toBe(vectors.empty_tree_root_hex);
    expect(browser.emptyRootHex()).toBe(empty?.output_hex);
    expect(browser.leafHashHex('')).toBe(emptyLeaf?.output_hex);
    expect(browser.leafHashHex(Buffer.from('L123456').toString('hex'))).toBe(leaf?.output_hex);
    expect(
      browser.nodeHashHex(Buffer.from('N123').toString('hex'), Buffer.from('N456').toString('hex')),
    ).toBe(nodeVector?.output_hex);
    expect(browser.sha256Hex('tradeproof 账本')).toBe(node.sha256('tradeproof 账本').toString('hex'));
  });

  it.each(vectors.roots)('computes the root of size $tree_size', (vector) => {
    expect(browser.rootOfLeavesHex(vectors.leaf_inputs_hex.slice(0, vector.tree_size))).toBe(vector.root_hex);
  });

  it.each(vectors.inclusion_proofs)(
    'verifies the inclusion of leaf $leaf_index in size $tree_size',
    (vector) => {
      expect(browser.leafHashHex(vector.leaf_input_hex)).toBe(vector.leaf_hash_hex);
      const {
        leaf_hash_hex: leaf,
        leaf_index: index,
        tree_size: size,
        path_hex: proof,
        root_hex: top,
      } = vector;
      expect(browser.inclusionHolds(leaf, index, size, proof, top)).toBe(true);
      const wrongRoot = vectors.roots.find((other) => other.root_hex !== top)?.root_hex ?? '';
      expect(browser.inclusionHolds(leaf, index, size, proof, wrongRoot)).toBe(false);
      if (proof.length > 0) {
        const bent = [...proof.slice(0, -1), flipFirstBit(proof[proof.length - 1] ?? '')];
        expect(browser.inclusionHolds(leaf, index, size, bent, top)).toBe(false);
      }
    },
  );

  it.each(vectors.consistency_proofs)('verifies the consistency from $size1 to $size2', (vector) => {
    const { size1, size2, root1_hex: root1, root2_hex: root2, path_hex: proof } = vector;
    expect(browser.consistencyHolds(size1, size2, root1, root2, proof)).toBe(true);
    expect(browser.consistencyHolds(size1, size2, root2, root1, proof)).toBe(root1 === root2);
  });
});

function flipFirstBit(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('hex');
}

// The encodings of libsodium's small-order blocklist, with and without the sign bit.
const smallOrder = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].flatMap((hex) => [
  hex,
  `${hex.slice(0, 62)}${((Number.parseInt(hex.slice(62), 16) | 0x80) >>> 0).toString(16)}`,
]);

const groupOrder = 2n ** 252n + 27742317777372353535851937790883648493n;
const le32 = (value: bigint) => Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse();
const leNumber = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);

/** A signature by scalar `a` for the key A + T (T of order 8), made so the cofactored equation holds. */
function mixedOrderSignature(message: Buffer, a: bigint, r: bigint) {
  const torsion = Point.fromBytes(Buffer.from(smallOrder[4] ?? '', 'hex'), false);
  const key = Point.BASE.multiply(a).add(torsion).toBytes();
  const rBytes = Point.BASE.multiply(r).toBytes();
  const k = etc.mod(leNumber(sha512(Buffer.concat([rBytes, key, message]))), groupOrder);
  const s = etc.mod(r + k * a, groupOrder);
  return { publicKey: Buffer.from(key), signature: Buffer.concat([rBytes, le32(s)]), k };
}

describe('Ed25519 in the browser refuses what node:crypto refuses', () => {
  const pair = node.generateKeyPair();
  const message = node.sha256('a statement');
  const signature = node.sign(pair.privateKey, message);

  /** node's verdict, the browser module's in this realm, and the built one's in the bare realm. */
  function verdicts(publicKey: Uint8Array, signed: Uint8Array, sig: Uint8Array) {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    return [
      node.verify(publicKey, signed, sig),
      browserEd25519.verify(publicKey, signed, sig),
      browser.verifyHex(hex(publicKey), hex(signed), hex(sig)),
    ];
  }

  it('signs alike, derives the same public key and key id, and accepts a good signature', () => {
    expect(browserEd25519.publicKeyFromPrivate(pair.privateKey).equals(pair.publicKey)).toBe(true);
    expect(browser.signHex(pair.privateKey.toString('hex'), message.toString('hex'))).toBe(
      signature.toString('hex'),
    );
    expect(browser.keyIdOfHex(pair.publicKey.toString('hex'))).toBe(node.keyIdOf(pair.publicKey));
    expect(verdicts(pair.publicKey, message, signature)).toEqual([true, true, true]);
    const fresh = browserEd25519.generateKeyPair();
    const made = browserEd25519.sign(fresh.privateKey, message);
    expect(node.verify(fresh.publicKey, message, made)).toBe(true);
  });

  it.each(smallOrder)('refuses the small-order key %s', (hex) => {
    const key = Buffer.from(hex, 'hex');
    // With the identity as key, R = identity and S = 0 satisfy the equation for every message.
    const forged = Buffer.concat([Buffer.from(smallOrder[2] ?? '', 'hex'), Buffer.alloc(32)]);
    // And the key itself as R, with S = 0.
    const selfForgery = Buffer.concat([key, Buffer.alloc(32)]);
    expect(verdicts(key, message, forged)).toEqual([false, false, false]);
    expect(verdicts(key, message, selfForgery)).toEqual([false, false, false]);
    expect([
      node.isUsablePublicKey(key),
      browserEd25519.isUsablePublicKey(key),
      browser.usableHex(hex),
    ]).toEqual([false, false, false]);
  });

  it.each(smallOrder)('refuses a signature whose R is the small-order point %s', (hex) => {
    const tampered = Buffer.concat([Buffer.from(hex, 'hex'), signature.subarray(32)]);
    expect(verdicts(pair.publicKey, message, tampered)).toEqual([false, false, false]);
  });

  it('refuses S not below the group order, a flipped bit anywhere, and wrong lengths', () => {
    const s = leNumber(signature.subarray(32));
    const unreduced = Buffer.concat([signature.subarray(0, 32), le32(s + groupOrder)]);
    expect(verdicts(pair.publicKey, message, unreduced)).toEqual([false, false, false]);
    for (const bit of [0, 7, 255, 256, 300, 511]) {
      const flipped = Buffer.from(signature);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(verdicts(pair.publicKey, message, flipped)).toEqual([false, false, false]);
    }
    expect(verdicts(pair.publicKey, message, signature.subarray(0, 63))).toEqual([false, false, false]);
    expect(verdicts(pair.publicKey.subarray(0, 31), message, signature)).toEqual([false, false, false]);
    expect(verdicts(pair.publicKey, node.sha256('another statement'), signature)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('refuses a key that decodes to no point', () => {
    // y = 2 has no x on the curve: (y^2 - 1) / (d y^2 + 1) is not a square mod p.
    const candidates = Array.from({ length: 40 }, (_, y) => le32(BigInt(y + 2)));
    const undecodable = candidates.filter((key) => !node.isUsablePublicKey(key));
    expect(undecodable.length).toBeGreaterThan(5);
    for (const key of undecodable) {
      expect(browserEd25519.isUsablePublicKey(key)).toBe(false);
      expect(browser.usableHex(key.toString('hex'))).toBe(false);
      expect(verdicts(key, message, signature)).toEqual([false, false, false]);
    }
  });

  it('checks a key with a small-order component as OpenSSL does (cofactorless), not as noble does', () => {
    let agreedTrue = 0;
    let agreedFalse = 0;
    for (let index = 1; index <= 24; index++) {
      const forged = mixedOrderSignature(
        node.sha256(`message ${index}`),
        1234567n * BigInt(index),
        7654321n + BigInt(index),
      );
      const expected = forged.k % 8n === 0n;
      expect(verdicts(forged.publicKey, node.sha256(`message ${index}`), forged.signature)).toEqual([
        expected,
        expected,
        expected,
      ]);
      if (expected) agreedTrue++;
      else agreedFalse++;
    }
    expect(agreedFalse).toBeGreaterThan(0);
    expect(agreedTrue + agreedFalse).toBe(24);
  });

  it('parses hex as strictly as node: odd lengths, stray characters, a prefix, a wrong length', () => {
    const inputs: Array<[string, number | undefined]> = [
      ['', undefined],
      ['00ff', undefined],
      ['00FF', 2],
      ['0', undefined],
      ['0g', undefined],
      ['0x00', undefined],
      [' 00', undefined],
      ['00 ', undefined],
      ['00\n', undefined],
      ['abcd', 3],
      ['abcdef', 3],
      ['ａｂ', undefined],
    ];
    for (const [text, length] of inputs) {
      expect(browser.parseHexText(text, length), JSON.stringify(text)).toBe(
        node.parseHex(text, length)?.toString('hex') ?? null,
      );
    }
  });
});

describe('verifyBundle in the browser gives the verdict of npm run verify', () => {
  const log = newLog();
  const logKey = log.vkey;

  it('finds a genuine bundle valid, with the same checks and the same proven state', () => {
    const bundle = bundleOf(log);
    const inNode = verifyBundle(bundle, { logKey });
    const inBrowser = browser.verifyBundleText(JSON.stringify(bundle), logKey);
    expect(inNode.valid).toBe(true);
    expect(JSON.parse(JSON.stringify(inBrowser))).toEqual(JSON.parse(JSON.stringify(inNode)));
  });

  it('rejects a bundle with an amount changed in a statement, for the same reason', () => {
    const bundle = clone(bundleOf(log));
    const confirmed = bundle.events.find((event) => event.kind === 'invoice.confirmed');
    if (!confirmed?.statement) throw new Error('no invoice.confirmed with a statement');
    confirmed.statement = confirmed.statement.replace('"1000.00"', '"9000.00"');
    const inNode = verifyBundle(bundle, { logKey });
    const inBrowser = browser.verifyBundleText(JSON.stringify(bundle), logKey);
    expect(inNode.valid).toBe(false);
    expect(inBrowser).toEqual(JSON.parse(JSON.stringify(inNode)));
    expect(inBrowser.valid ? '' : inBrowser.failed).toMatch(/statement does not hash to eventHash/);
  });

  it('rejects a bundle with a flipped signature bit, and one checked against another log key', () => {
    const bundle = clone(bundleOf(log));
    const last = bundle.events[bundle.events.length - 1];
    if (!last) throw new Error('empty bundle');
    last.signature = `${last.signature.slice(0, 10)}${last.signature[10] === '0' ? '1' : '0'}${last.signature.slice(11)}`;
    const inNode = verifyBundle(bundle, { logKey });
    expect(inNode.valid).toBe(false);
    expect(browser.verifyBundleText(JSON.stringify(bundle), logKey)).toEqual(
      JSON.parse(JSON.stringify(inNode)),
    );
    const otherKey = newLog().vkey;
    const foreign = verifyBundle(bundleOf(log), { logKey: otherKey });
    expect(foreign.valid).toBe(false);
    expect(browser.verifyBundleText(JSON.stringify(bundleOf(log)), otherKey)).toEqual(
      JSON.parse(JSON.stringify(foreign)),
    );
  });

  it('checks a single proof file, as npm run verify does, with the same verdicts', () => {
    const file = proofFileOf(log, 6);
    const inNode = verifyProofFile(file, { logKey });
    expect(inNode.valid).toBe(true);
    expect(browser.verifyBundleText(JSON.stringify(file), logKey)).toEqual(
      JSON.parse(JSON.stringify(inNode)),
    );
    const bent = { ...file, leafIndex: 5 };
    const bentInNode = verifyProofFile(bent, { logKey });
    expect(bentInNode.valid).toBe(false);
    expect(browser.verifyBundleText(JSON.stringify(bent), logKey)).toEqual(
      JSON.parse(JSON.stringify(bentInNode)),
    );
  });

  it('says a file that is not JSON is not JSON', () => {
    const result = browser.verifyBundleText('{"format": ', logKey);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.failed).toMatch(/^file shape: not JSON/);
  });
});
