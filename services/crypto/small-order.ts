/**
 * The Ed25519 points of small order, which no key or signature R may be: OpenSSL accepts them, and
 * with the identity as public key the signature R = identity, S = 0 verifies for every message, so
 * anyone could "sign" as a party that registered such a key. Pure (no node:crypto), so that the
 * ledger and the web console's verifier refuse exactly the same list.
 */

// Encodings (sign bit ignored) of the eight points of small order, as in libsodium's blocklist.
const smallOrderEncodings = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16)));

/** True when the 32 bytes encode a point of small order, whatever their sign bit. */
export function hasSmallOrder(point: Uint8Array): boolean {
  return smallOrderEncodings.some((blocked) => {
    for (let index = 0; index < 31; index++) if (point[index] !== blocked[index]) return false;
    return ((point[31] ?? 0) & 0x7f) === blocked[31];
  });
}
