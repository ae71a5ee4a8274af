import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseFingerprintKey } from '../../services/crypto/fingerprint-key.js';
import {
  type FingerprintInput,
  invoiceFingerprint,
  parseFingerprint,
  parseFingerprintInput,
} from '../../services/trade/invoice-fingerprint.js';

const key = Buffer.alloc(32, 0x0b);
const invoice: FingerprintInput = {
  sellerRegistrationId: '91350100M000100Y43',
  buyerRegistrationId: '5493001KJTIIGC8Y1R12',
  taxInvoiceCode: '044031900111',
  taxInvoiceNumber: '08765432',
  total: '1000.00',
  currency: 'CNY',
  issueDate: '2025-03-10',
};

function parsed(input: unknown): FingerprintInput {
  const result = parseFingerprintInput(input);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

describe('the blinded invoice fingerprint', () => {
  it('is the same for equal invoices', () => {
    expect(invoiceFingerprint(key, parsed({ ...invoice }))).toBe(invoiceFingerprint(key, parsed(invoice)));
  });

  it.each([
    ['sellerRegistrationId', '91350100M000100Y43', '5493001KJTIIGC8Y1R12'],
    ['buyerRegistrationId', '5493001KJTIIGC8Y1R12', '91350100M000100Y43'],
    ['taxInvoiceCode', '044031900111', '044031900112'],
    ['taxInvoiceNumber', '08765432', '08765433'],
    ['total', '1000.00', '1000.01'],
    ['currency', 'CNY', 'USD'],
    ['issueDate', '2025-03-10', '2025-03-11'],
  ] as const)('changes when %s changes', (field, _from, to) => {
    const changed = parsed({ ...invoice, [field]: to });
    expect(invoiceFingerprint(key, changed)).not.toBe(invoiceFingerprint(key, parsed(invoice)));
  });

  it('changes with the key', () => {
    const other = Buffer.alloc(32, 0x0c);
    expect(invoiceFingerprint(other, invoice)).not.toBe(invoiceFingerprint(key, invoice));
  });

  it('matches a vector computed by hand: HMAC-SHA-256 over the RFC 8785 JSON, keys in code-point order', () => {
    const canonical =
      '{"buyerRegistrationId":"5493001KJTIIGC8Y1R12","currency":"CNY","issueDate":"2025-03-10",' +
      '"scheme":"tradeproof-invoice-fingerprint-v1","sellerRegistrationId":"91350100M000100Y43",' +
      '"taxInvoiceCode":"044031900111","taxInvoiceNumber":"08765432","total":"1000.00"}';
    const expected = createHmac('sha256', Buffer.alloc(32, 0x0b)).update(canonical, 'utf8').digest('hex');
    expect(invoiceFingerprint(key, invoice)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("puts the fields in normal form first: the total to the currency's decimals, ids upper case", () => {
    const loose = parsed({
      ...invoice,
      total: '1000',
      sellerRegistrationId: invoice.sellerRegistrationId.toLowerCase(),
      extraField: 'ignored',
    });
    expect(loose).toEqual(invoice);
  });

  it.each([
    ['a missing field', { ...invoice, taxInvoiceCode: undefined }, 'taxInvoiceCode'],
    ['a bad registration id', { ...invoice, buyerRegistrationId: 'NOT-AN-ID' }, 'buyerRegistrationId'],
    ['a total with too many decimals', { ...invoice, total: '1.001' }, 'total'],
    ['a zero total', { ...invoice, total: '0.00' }, 'total'],
    ['a date that does not exist', { ...invoice, issueDate: '2025-02-30' }, 'issueDate'],
  ])('refuses %s', (_name, input, field) => {
    const result = parseFingerprintInput(input);
    expect(result).toMatchObject({ ok: false, code: 'invalid_input', field });
  });
});

describe('parseFingerprintKey', () => {
  it('reads hex and base64 of at least 32 bytes', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(parseFingerprintKey(bytes.toString('hex'))).toEqual({ ok: true, key: bytes });
    expect(parseFingerprintKey(`${bytes.toString('base64')}\n`)).toEqual({ ok: true, key: bytes });
    expect(parseFingerprintKey(bytes.toString('base64url'))).toEqual({ ok: true, key: bytes });
  });

  it.each([
    ['too short', Buffer.alloc(31).toString('hex')],
    ['neither hex nor base64', 'not a key!'],
  ])('refuses a key %s', (_name, text) => {
    expect(parseFingerprintKey(text).ok).toBe(false);
  });
});

describe('parseFingerprint', () => {
  it('accepts 64 hex characters in either case and returns them lower case', () => {
    expect(parseFingerprint('AB'.repeat(32))).toEqual({ ok: true, value: 'ab'.repeat(32) });
  });

  it.each(['', 'ab'.repeat(31), 'zz'.repeat(32), `${'ab'.repeat(32)}00`])('refuses %j', (text) => {
    expect(parseFingerprint(text)).toMatchObject({ ok: false, code: 'invalid_input', field: 'fingerprint' });
  });
});
