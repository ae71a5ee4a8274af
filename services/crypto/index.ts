/** The crypto toolbox: canonical JSON, digests, Ed25519 and the custodial key box. */
export { canonicalBytes, canonicalJson } from './canonical-json.js';
export { parseHex, sha256, toHex } from './digest.js';
export type { Ed25519KeyPair } from './ed25519.js';
export {
  generateKeyPair,
  isUsablePublicKey,
  keyIdOf,
  publicKeyFromPrivate,
  sign,
  verify,
} from './ed25519.js';
export { open, seal } from './secret-box.js';
