/**
 * invoice.issued: the seller bills the buyer for goods the buyer's receipts accepted. The buyer is the
 * counterparty; the refs are the purchase order's and the goods receipts' event hashes.
 */
import { z } from 'zod';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { registerFact } from '../events/fact.js';
import { quoted } from '../money/decimal-text.js';
import { formatAmount, parseAmount, parsePositiveAmount } from '../money/money.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import {
  amountSchema,
  currencySchema,
  dateSchema,
  daysBetween,
  parseWith,
  textSchema,
  uuidSchema,
} from '../validation.js';
import { factNotice } from '../webhooks/webhook.js';
import {
  descriptionLengthMax,
  documentIdProblem,
  documentRefsMax,
  documentTotalMinorMax,
  itemCodeSchema,
  lineAmounts,
  linesMax,
  quantitySchema,
  refsOf,
  taxInvoiceFieldLengthMax,
  uniqueBy,
  uniqueItemCodes,
  unitLengthMax,
  unitPriceSchema,
} from './chain-rules.js';
import { loadInvoiceChain, quantitiesProblem, taxInvoiceNumberProblem } from './invoice-rules.js';
import { isPartyTo } from './trade-document.js';
import { insertDocument } from './trade-document.repository.js';

export const invoiceKind = 'invoice.issued';

const lineSchema = z.strictObject({
  itemCode: itemCodeSchema,
  description: textSchema(descriptionLengthMax, 'freeText'),
  quantity: quantitySchema,
  unit: textSchema(unitLengthMax, 'code'),
  unitPrice: unitPriceSchema,
});

const payloadSchema = z
  .strictObject({
    documentId: uuidSchema,
    buyerPartyId: uuidSchema,
    sellerPartyId: uuidSchema,
    taxInvoiceNumber: textSchema(taxInvoiceFieldLengthMax, 'code'),
    taxInvoiceCode: textSchema(taxInvoiceFieldLengthMax, 'code'),
    currency: currencySchema,
    issueDate: dateSchema,
    dueDate: dateSchema,
    purchaseOrderId: uuidSchema,
    goodsReceiptIds: z
      .array(uuidSchema)
      .min(1)
      .max(documentRefsMax)
      .superRefine(
        uniqueBy(
          (id) => id,
          'goods receipt id',
          (index) => [index],
        ),
      ),
    lines: z.array(lineSchema).min(1).max(linesMax).superRefine(uniqueItemCodes),
    /** In the currency's minor-unit precision; normalised to its full number of decimals. */
    total: amountSchema,
  })
  .superRefine((payload, context) => {
    if (payload.sellerPartyId === payload.buyerPartyId) {
      context.addIssue({ code: 'custom', message: 'must differ from buyerPartyId', path: ['sellerPartyId'] });
    }
  });

export type InvoicePayload = z.output<typeof payloadSchema>;
export type InvoiceLine = InvoicePayload['lines'][number];

/** The total in minor units; parseInvoice checked it. */
export function invoiceTotalMinor(payload: InvoicePayload): bigint {
  const total = parseAmount(payload.total, payload.currency, 'total');
  assert(total.ok, 'invoiceTotalMinor: parse the invoice first');
  return total.value;
}

/** Failure codes: invalid_input (shape, a line amount of zero, a total that is not a positive amount). */
export function parseInvoice(input: unknown): Result<InvoicePayload> {
  const parsed = parseWith(payloadSchema, input);
  if (!parsed.ok) return parsed;
  const payload = parsed.value;
  const lines = lineAmounts(payload.lines, payload.currency);
  if (!lines.ok) return lines;
  const total = parsePositiveAmount(payload.total, payload.currency, 'total');
  if (!total.ok) return total;
  if (total.value > documentTotalMinorMax) {
    const most = formatAmount(documentTotalMinorMax, payload.currency);
    return fail('invalid_input', `total: ${quoted(payload.total)} is too large: at most ${most}`, 'total');
  }
  return ok({ ...payload, total: formatAmount(total.value, payload.currency) });
}

/** Failure codes: dates_out_of_order (dueDate), tenor_exceeds_limit, invoice_total_mismatch. */
function termsProblem(ledger: Ledger, payload: InvoicePayload): Failure | null {
  const { issueDate, dueDate, currency } = payload;
  if (dueDate < issueDate) {
    return fail('dates_out_of_order', `dueDate ${dueDate} is before issueDate ${issueDate}`, 'dueDate');
  }
  const tenorDays = daysBetween(issueDate, dueDate);
  const tenorDaysMax = ledger.policy.invoiceTenorDaysMax;
  if (tenorDays > tenorDaysMax) {
    return fail(
      'tenor_exceeds_limit',
      `dueDate is ${tenorDays} days after issueDate; at most ${tenorDaysMax} are allowed`,
      'dueDate',
    );
  }
  const linesTotal = lineAmounts(payload.lines, currency);
  if (!linesTotal.ok) return linesTotal;
  if (linesTotal.value !== invoiceTotalMinor(payload)) {
    return fail(
      'invoice_total_mismatch',
      `total ${payload.total} ${currency} is not the sum of the line amounts, ` +
        `${formatAmount(linesTotal.value, currency)} ${currency} (each quantity x unitPrice rounded half-even)`,
      'total',
    );
  }
  return null;
}

/**
 * Failure codes, in precedence order: forbidden (the actor is not sellerPartyId), dates_out_of_order
 * (dueDate before issueDate), tenor_exceeds_limit, invoice_total_mismatch, document_id_taken,
 * document_not_found, document_kind_mismatch (purchaseOrderId, then goodsReceiptIds.N),
 * document_parties_mismatch, document_chain_mismatch, currency_mismatch, dates_out_of_order
 * (issueDate before the order or a receipt), item_not_on_order, quantity_exceeds_received,
 * tax_invoice_number_taken.
 */
export const invoiceFact = registerFact<InvoicePayload>({
  kind: invoiceKind,
  roles: ['supplier'],
  // Every later fact about the invoice and its receivable tree follows in this chain.
  chain: { of: async (_trx, payload) => payload.documentId, starts: true },
  parse: parseInvoice,
  claims: (payload) => [payload.documentId],
  async check(trx, ledger, actor, payload) {
    if (actor.partyId !== payload.sellerPartyId) {
      return fail('forbidden', 'only the seller issues an invoice', 'sellerPartyId');
    }
    const terms = termsProblem(ledger, payload) ?? (await documentIdProblem(trx, payload.documentId));
    if (terms) return terms;
    const chain = await loadInvoiceChain(trx, payload, (document) => isPartyTo(document, actor.partyId));
    if (!chain.ok) return chain;
    const problem =
      (await quantitiesProblem(trx, payload, chain.value)) ?? (await taxInvoiceNumberProblem(trx, payload));
    if (problem) return problem;
    const { order, receipts } = chain.value;
    return ok({ counterparty: payload.buyerPartyId, refs: await refsOf(trx, [order, ...receipts]) });
  },
  async project(trx, _ledger, event, payload) {
    await insertDocument(
      trx,
      {
        id: payload.documentId,
        kind: 'invoice',
        eventId: event.id,
        buyerPartyId: payload.buyerPartyId,
        sellerPartyId: payload.sellerPartyId,
        currency: payload.currency,
        documentNumber: payload.taxInvoiceNumber,
        documentDate: payload.issueDate,
        dueDate: payload.dueDate,
        totalMinor: invoiceTotalMinor(payload),
        status: 'issued',
        body: payload,
      },
      [payload.purchaseOrderId, ...payload.goodsReceiptIds],
    );
  },
  // The buyer is asked to confirm: it reads the invoice as its buyer.
  async notify(_trx, event, payload) {
    return [
      factNotice(event, {
        partyId: payload.buyerPartyId,
        type: 'invoice_awaiting_confirmation',
        data: {
          invoiceId: payload.documentId,
          sellerPartyId: payload.sellerPartyId,
          buyerPartyId: payload.buyerPartyId,
          taxInvoiceNumber: payload.taxInvoiceNumber,
          currency: payload.currency,
          total: payload.total,
          issueDate: payload.issueDate,
          dueDate: payload.dueDate,
        },
      }),
    ];
  },
});
