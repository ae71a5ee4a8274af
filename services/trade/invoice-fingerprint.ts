/**
 * The blinded duplicate fingerprint of an invoice: HMAC-SHA-256, under a key the registries share
 * (FINGERPRINT_KEY), of the RFC 8785 canonical JSON of what identifies one real-world invoice: the
 * seller's and buyer's registration ids, the tax invoice code and number, the total, the currency and
 * the issue date. Two platforms holding the key compute the same value for the same invoice and can
 * ask each other whether it is confirmed or financed there without showing the invoice; without the
 * key the value reveals nothing, and with it one can only test guesses.
 * Pure: the server, `npm run fingerprint` and tests compute it with this one function.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { assert } from '../assert.js';
import { canonicalBytes } from '../crypto/canonical-json.js';
import { formatAmount, parsePositiveAmount } from '../money/money.js';
import { validateRegistrationId } from '../parties/registration-id.js';
import { fail, ok, type Result } from '../result.js';
import { currencySchema, dateSchema, parseWith, textSchema } from '../validation.js';
import { taxInvoiceFieldLengthMax } from './chain-rules.js';
import type { TradeDocument } from './trade-document.js';

/** Names the scheme inside the hashed JSON, so a later scheme never collides with this one. */
export const fingerprintScheme = 'tradeproof-invoice-fingerprint-v1';
export const fingerprintPattern = /^[0-9a-f]{64}$/;

export interface FingerprintInput {
  sellerRegistrationId: string;
  buyerRegistrationId: string;
  taxInvoiceCode: string;
  taxInvoiceNumber: string;
  /** Exact decimal string with the currency's full number of decimals ("1000.00"). */
  total: string;
  currency: string;
  issueDate: string;
}

const registrationIdSchema = z.string().transform((value, context) => {
  const checked = validateRegistrationId(value);
  if (!checked.ok) {
    context.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  }
  return checked.value;
});

// Fields beyond these are ignored, so a full invoice payload with the two registration ids will do.
const inputSchema = z.object({
  sellerRegistrationId: registrationIdSchema,
  buyerRegistrationId: registrationIdSchema,
  taxInvoiceCode: textSchema(taxInvoiceFieldLengthMax, 'code'),
  taxInvoiceNumber: textSchema(taxInvoiceFieldLengthMax, 'code'),
  total: z.string(),
  currency: currencySchema,
  issueDate: dateSchema,
});

/**
 * The fields in normal form: registration ids upper case, the total with the currency's full
 * decimals ("1000" CNY -> "1000.00"), as the ledger stores them. Failure codes: invalid_input
 * (naming the field).
 */
export function parseFingerprintInput(input: unknown): Result<FingerprintInput> {
  const parsed = parseWith(inputSchema, input);
  if (!parsed.ok) return parsed;
  const total = parsePositiveAmount(parsed.value.total, parsed.value.currency, 'total');
  if (!total.ok) return total;
  return ok({ ...parsed.value, total: formatAmount(total.value, parsed.value.currency) });
}

/** The bytes the HMAC covers: canonical JSON of the scheme and the normal-form fields. */
export function fingerprintMessage(input: FingerprintInput): Buffer {
  return canonicalBytes({
    scheme: fingerprintScheme,
    sellerRegistrationId: input.sellerRegistrationId,
    buyerRegistrationId: input.buyerRegistrationId,
    taxInvoiceCode: input.taxInvoiceCode,
    taxInvoiceNumber: input.taxInvoiceNumber,
    total: input.total,
    currency: input.currency,
    issueDate: input.issueDate,
  });
}

/** 64 lowercase hex characters. `input` must be in normal form (parseFingerprintInput). */
export function invoiceFingerprint(key: Buffer, input: FingerprintInput): string {
  return createHmac('sha256', key).update(fingerprintMessage(input)).digest('hex');
}

/** A fingerprint as a caller sends it; upper-case hex is accepted. Failure codes: invalid_input. */
export function parseFingerprint(text: string): Result<string> {
  const normal = text.trim().toLowerCase();
  if (!fingerprintPattern.test(normal)) {
    return fail('invalid_input', 'fingerprint must be 64 hex characters (an HMAC-SHA-256)', 'fingerprint');
  }
  return ok(normal);
}

/** The fingerprint's fields of a projected invoice, whose body is the validated invoice.issued payload. */
export function fingerprintInputOf(
  invoice: TradeDocument,
  registrationIds: { seller: string; buyer: string },
): FingerprintInput {
  const body = invoice.body;
  assert(invoice.kind === 'invoice' && invoice.totalMinor !== null, 'fingerprintInputOf: not an invoice');
  assert(
    typeof body.taxInvoiceCode === 'string',
    'fingerprintInputOf: an invoice without a tax invoice code',
  );
  return {
    sellerRegistrationId: registrationIds.seller,
    buyerRegistrationId: registrationIds.buyer,
    taxInvoiceCode: body.taxInvoiceCode,
    taxInvoiceNumber: invoice.documentNumber,
    total: formatAmount(invoice.totalMinor, invoice.currency),
    currency: invoice.currency,
    issueDate: invoice.documentDate,
  };
}
