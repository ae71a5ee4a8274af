/**
 * Signatures, the retry schedule and URL rules: pure functions, no database. The verification
 * function README "Webhooks" prints is read from README and run, so the documented check is tested.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../services/webhooks/backoff.js';
import { deliveryHeaders, outcomeOf } from '../../services/webhooks/dispatcher.js';
import { newWebhookSecret, signatureValue, verifySignature } from '../../services/webhooks/signer.js';
import { isPrivateAddress, parseWebhookUrl } from '../../services/webhooks/url-rules.js';
import type { WebhookDelivery } from '../../services/webhooks/webhook.js';

/** The verification function README "Webhooks" prints, taken from README itself and run as written. */
function readmeVerifier(): (secret: string, header: string, rawBody: string) => boolean {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Webhooks'));
  const snippet = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const body = snippet.replace(/^import .*$/m, '');
  expect(body).toContain('function verifyTradeproofSignature(');
  return new Function('createHmac', 'timingSafeEqual', `${body}\nreturn verifyTradeproofSignature;`)(
    createHmac,
    timingSafeEqual,
  );
}
const verifyTradeproofSignature = (secret: string, header: string, rawBody: string) =>
  readmeVerifier()(secret, header, rawBody);

const delivery: WebhookDelivery = {
  id: '0e7f9a8e-3a55-4c1e-9d55-6f3f0c1b2a10',
  webhookId: '5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
  partyId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
  eventType: 'receivable_received',
  body: JSON.stringify({
    id: '0e7f9a8e-3a55-4c1e-9d55-6f3f0c1b2a10',
    type: 'RECEIVABLE_RECEIVED',
    data: { amount: '1.00' },
  }),
  status: 'pending',
  attempts: 3,
  nextAttemptAt: new Date(),
  lastAttemptAt: null,
  lastStatusCode: null,
  lastError: null,
  deliveredAt: null,
  createdAt: new Date(),
};

describe('webhook signatures', () => {
  const secret = newWebhookSecret();

  it('are HMAC-SHA256 over "<timestamp>.<body>" in t=<unix>,v1=<hex>', () => {
    const value = signatureValue(secret, '{"a":1}', 1_700_000_000);
    const expected = createHmac('sha256', secret).update('1700000000.{"a":1}').digest('hex');
    expect(value).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verify with the service check and with the README snippet, on the headers a delivery carries', () => {
    const headers = deliveryHeaders(delivery, secret, Date.now());
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'tradeproof-delivery': delivery.id,
      'tradeproof-event': 'RECEIVABLE_RECEIVED',
      'tradeproof-attempt': '3',
    });
    const header = headers['tradeproof-signature'] ?? '';
    expect(verifySignature(secret, header, delivery.body)).toMatchObject({ ok: true });
    expect(verifyTradeproofSignature(secret, header, delivery.body)).toBe(true);
  });

  it.each([
    ['a changed body', (header: string) => ({ secret: undefined, header, body: `${delivery.body} ` })],
    ['another secret', (header: string) => ({ secret: newWebhookSecret(), header, body: delivery.body })],
    [
      'a changed timestamp',
      (header: string) => ({
        secret: undefined,
        header: header.replace(/t=(\d+)/, (_m, t) => `t=${Number(t) - 1}`),
        body: delivery.body,
      }),
    ],
    [
      'no v1',
      (header: string) => ({ secret: undefined, header: header.replace(/,v1=.*/, ''), body: delivery.body }),
    ],
    [
      'a truncated v1',
      (header: string) => ({ secret: undefined, header: header.slice(0, -2), body: delivery.body }),
    ],
  ])('refuse %s', (_name, alter) => {
    const header = deliveryHeaders(delivery, secret, Date.now())['tradeproof-signature'] ?? '';
    const altered = alter(header);
    const key = altered.secret ?? secret;
    expect(verifySignature(key, altered.header, altered.body).ok).toBe(false);
    expect(verifyTradeproofSignature(key, altered.header, altered.body)).toBe(false);
  });

  it('refuse a timestamp older than the tolerance: a recorded request cannot be replayed later', () => {
    const tenMinutesAgo = Date.now() - 600_000;
    const header = deliveryHeaders(delivery, secret, tenMinutesAgo)['tradeproof-signature'] ?? '';
    expect(verifySignature(secret, header, delivery.body)).toEqual({
      ok: false,
      reason: 'timestamp outside the tolerance',
    });
    expect(verifyTradeproofSignature(secret, header, delivery.body)).toBe(false);
    expect(verifySignature(secret, header, delivery.body, { toleranceSeconds: 3600 }).ok).toBe(true);
  });

  it('come from secrets of 32 random bytes, each different', () => {
    const secrets = new Set(Array.from({ length: 50 }, newWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const each of secrets) expect(each).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });
});

describe('the retry schedule', () => {
  const schedule = { attemptsMax: 12, baseMs: 10_000, capMs: 21_600_000 };

  it('doubles from the base after each failed attempt, jittered within [step/2, step]', () => {
    const low = (attempt: number) => retryDelayMs(schedule, attempt, () => 0);
    const high = (attempt: number) => retryDelayMs(schedule, attempt, () => 1);
    expect([1, 2, 3, 4, 5].map(high)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000]);
    expect([1, 2, 3, 4, 5].map(low)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    for (let attempt = 1; attempt <= 12; attempt++) {
      const delay = retryDelayMs(schedule, attempt);
      expect(delay).toBeGreaterThanOrEqual(low(attempt));
      expect(delay).toBeLessThanOrEqual(high(attempt));
    }
  });

  it('never waits longer than the cap, however many attempts', () => {
    expect(retryDelayMs(schedule, 12, () => 1)).toBe(10_000 * 2 ** 11);
    expect(retryDelayMs(schedule, 13, () => 1)).toBe(21_600_000);
    expect(retryDelayMs(schedule, 1000, () => 1)).toBe(21_600_000);
    expect(retryDelayMs(schedule, 1000, () => 0)).toBe(10_800_000);
  });

  it('marks a delivery DEAD when its last allowed attempt fails, and delivered on any 2xx', () => {
    const failed = { ok: false as const, statusCode: 503, error: 'answered 503' };
    expect(outcomeOf(failed, 11, schedule)).toMatchObject({ kind: 'retry', statusCode: 503 });
    expect(outcomeOf(failed, 12, schedule)).toEqual({ kind: 'dead', statusCode: 503, error: 'answered 503' });
    expect(outcomeOf({ ok: true, statusCode: 204 }, 12, schedule)).toEqual({
      kind: 'delivered',
      statusCode: 204,
    });
  });
});

describe('webhook URLs', () => {
  const open = { privateAddressesAllowed: true };
  const closed = { privateAddressesAllowed: false };

  it('are kept in normal form', () => {
    expect(parseWebhookUrl('HTTPS://Hooks.Example.com:443/a/../tradeproof?x=1', closed)).toEqual({
      ok: true,
      value: 'https://hooks.example.com/tradeproof?x=1',
    });
  });

  it.each([
    ['not a URL', 'hooks.example.com/tradeproof'],
    ['another scheme', 'ftp://hooks.example.com/x'],
    ['javascript:', 'javascript:alert(1)'],
    ['credentials', 'https://user:pass@hooks.example.com/x'],
    ['a fragment', 'https://hooks.example.com/x#part'],
    ['too long', `https://hooks.example.com/${'a'.repeat(2048)}`],
    ['empty', ''],
  ])('refuse %s', (_name, url) => {
    expect(parseWebhookUrl(url, open)).toMatchObject({
      ok: false,
      code: 'webhook_url_invalid',
      field: 'url',
    });
  });

  it.each([
    'http://127.0.0.1:8080/x',
    'http://localhost/x',
    'http://api.localhost/x',
    'http://10.1.2.3/x',
    'http://172.16.0.1/x',
    'http://192.168.1.1/x',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/x',
    'http://[fd00::1]/x',
    'http://[::ffff:10.0.0.1]/x',
    'http://[::ffff:7f00:1]/x',
    'http://0.0.0.0/x',
  ])('refuse the private address in %s where private addresses are not allowed', (url) => {
    expect(parseWebhookUrl(url, closed)).toMatchObject({ ok: false, code: 'webhook_url_invalid' });
    expect(parseWebhookUrl(url, open).ok).toBe(true);
  });

  it('tell private addresses from public ones', () => {
    expect(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'].map(isPrivateAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(
      ['127.0.0.2', '100.64.0.1', 'fe80::1', '::ffff:127.0.0.1', 'ff02::1'].map(isPrivateAddress),
    ).toEqual([true, true, true, true, true]);
  });
});
