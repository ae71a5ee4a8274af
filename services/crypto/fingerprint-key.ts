/**
 * The key of the blinded invoice fingerprint (FINGERPRINT_KEY): shared by the registries and
 * platforms that compare fingerprints, so it is read from the environment or a file, never stored in
 * the database. Written as hex or base64; at least 32 bytes, the HMAC-SHA-256 block's worth of
 * entropy an outsider would otherwise brute-force.
 */

export const fingerprintKeyBytesMin = 32;

/**
 * The key's bytes, or a sentence saying why not. Text that is only hex digits (an even number of
 * them) is hex; anything else must be base64 (standard or URL-safe alphabet, padding optional).
 */
export function parseFingerprintKey(
  text: string,
): { ok: true; key: Buffer } | { ok: false; message: string } {
  const trimmed = text.trim();
  let key: Buffer;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) && trimmed.replace(/=+$/, '').length % 4 !== 1) {
    key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  } else {
    return { ok: false, message: 'must be hex or base64' };
  }
  if (key.length < fingerprintKeyBytesMin) {
    return {
      ok: false,
      message: `must hold at least ${fingerprintKeyBytesMin} bytes (64 hex characters or 44 base64), got ${key.length}`,
    };
  }
  return { ok: true, key };
}
