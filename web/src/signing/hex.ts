/** Strict hex, as the ledger spells hashes and keys. */
const hexPattern = /^(?:[0-9a-f]{2})*$/i;

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Bytes of `hex`, or null unless it is hex of exactly `byteLength` bytes (when given). */
export function parseHex(hex: string, byteLength?: number): Uint8Array | null {
  if (typeof hex !== 'string' || !hexPattern.test(hex)) return null;
  if (byteLength !== undefined && hex.length !== byteLength * 2) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}
