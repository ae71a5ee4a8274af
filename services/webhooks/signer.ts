/**
 * Webhook signatures: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`, sent as
 * `Tradeproof-Signature: t=<unix seconds>,v1=<hex>` (the scheme Stripe made familiar). The timestamp
 * is signed too, so a receiver that refuses old timestamps cannot be fed a recorded request later;
 * the delivery id in the body lets it drop a repeat. README "Webhooks" shows the same check in Node.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'tradeproof-signature';
const secretPrefix = 'whsec_';

/** A fresh secret: 32 random bytes. The HMAC key is the whole string's UTF-8 bytes, prefix included. */
export function newWebhookSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64url')}`;
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The Tradeproof-Signature header value for `body` sent at `timestamp` (unix seconds). */
export function signatureValue(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * What a receiver does: parse the header, recompute the HMAC over the exact body bytes received,
 * compare in constant time, and refuse a timestamp more than `toleranceSeconds` from now.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name && value !== undefined) parts.set(name, [...(parts.get(name) ?? []), value]);
  }
  const stamp = parts.get('t')?.[0];
  if (stamp === undefined || !/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'no timestamp' };
  const timestamp = Number(stamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    return { ok: false, reason: 'timestamp outside the tolerance' };
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const matches = (parts.get('v1') ?? []).some((candidate) => {
    const given = /^[0-9a-f]{64}$/.test(candidate) ? Buffer.from(candidate, 'hex') : null;
    return given !== null && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'signature does not match' };
}
