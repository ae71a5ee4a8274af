/**
 * What test/web/verifier-browser.test.ts builds with the console's Vite plugin (web/browser-verifier.ts)
 * and runs in a bare JavaScript realm: the page's verifier entry, and the Merkle and Ed25519 code the
 * verifier runs on, reached through services/ so that the plugin's replacements apply. Hex in, hex
 * and booleans out, so that no object crosses between realms.
 */
import { Buffer } from 'buffer';
import { isUsablePublicKey, keyIdOf, parseHex, sha256, sign, verify } from '../../services/crypto/index.js';
import { emptyRoot, leafHash, nodeHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { verifyConsistency, verifyInclusion } from '../../services/ledger/verify.js';
import { verifyBundleText } from '../../web/src/verify/verify-bundle.js';

const bytes = (hex: string) => Buffer.from(hex, 'hex');

export { verifyBundleText };

export const hasNodeBuffer = () => typeof (globalThis as { Buffer?: unknown }).Buffer !== 'undefined';
export const emptyRootHex = () => emptyRoot().toString('hex');
export const sha256Hex = (text: string) => sha256(text).toString('hex');
export const leafHashHex = (inputHex: string) => leafHash(bytes(inputHex)).toString('hex');
export const nodeHashHex = (left: string, right: string) =>
  nodeHash(bytes(left), bytes(right)).toString('hex');
export const rootOfLeavesHex = (leafInputsHex: string[]) =>
  rootFromLeafHashes(leafInputsHex.map((input) => leafHash(bytes(input)))).toString('hex');
export const inclusionHolds = (
  leafHashHex: string,
  index: number,
  size: number,
  path: string[],
  root: string,
) => verifyInclusion(bytes(leafHashHex), index, size, path.map(bytes), bytes(root));
export const consistencyHolds = (
  size1: number,
  size2: number,
  root1: string,
  root2: string,
  path: string[],
) => verifyConsistency(size1, size2, bytes(root1), bytes(root2), path.map(bytes));
export const verifyHex = (publicKey: string, message: string, signature: string) =>
  verify(bytes(publicKey), bytes(message), bytes(signature));
export const usableHex = (publicKey: string) => isUsablePublicKey(bytes(publicKey));
export const parseHexText = (text: string, length?: number) =>
  parseHex(text, length)?.toString('hex') ?? null;
export const keyIdOfHex = (publicKey: string) => keyIdOf(bytes(publicKey));
export const signHex = (seed: string, message: string) => sign(bytes(seed), bytes(message)).toString('hex');
