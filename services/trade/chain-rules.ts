/**
 * Rules shared by the trade document facts: line shapes, the lookups of referenced documents, and
 * quantity accounting. Quantities are compared as bigints at quantityScale (six decimals), amounts
 * as bigints of minor units; nothing here touches a float.
 */

import type { z } from 'zod';
import { assert } from '../assert.js';
import type { Trx } from '../db/transaction.js';
import { kindsOfId } from '../events/object-id.repository.js';
import {
  fromScaled,
  lineAmountMinor,
  normalizeDecimal,
  quantityScale,
  toScaled,
  unitPriceScale,
} from '../money/decimal.js';
import { formatAmount } from '../money/money.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { positiveDecimalSchema, textSchema } from '../validation.js';
import type { TradeDocument, TradeDocumentKind } from './trade-document.js';
import { eventHashesOfDocuments, findDocumentsByIds } from './trade-document.repository.js';

export const linesMax = 200;
export const itemCodeLengthMax = 64;
export const descriptionLengthMax = 500;
export const unitLengthMax = 16;
export const documentNumberLengthMax = 100;
export const taxInvoiceFieldLengthMax = 64;
/** Referenced shipments or goods receipts per document (an event carries at most 64 refs). */
export const documentRefsMax = 50;
/** Largest total of one document, well inside INT8. */
export const documentTotalMinorMax = 10n ** 18n - 1n;

/** Digits before the decimal point of a quantity or unit price. */
const wholeDigitsMax = 16;

function positiveDecimal(what: string, scale: number) {
  return positiveDecimalSchema({ what, wholeDigitsMax, fractionDigitsMax: scale }).transform(
    (text) => normalizeDecimal(text, scale) ?? text,
  );
}

/** A quantity: a positive decimal with at most six decimals, in its shortest form ("12.5"). */
export const quantitySchema = positiveDecimal('a quantity', quantityScale);
/** A unit price: a positive decimal with at most six decimals, in its shortest form. */
export const unitPriceSchema = positiveDecimal('a unit price', unitPriceScale);
export const itemCodeSchema = textSchema(itemCodeLengthMax, 'code');

/** Rejects a list in which two entries share a key; names the later one. */
export function uniqueBy<T>(key: (entry: T) => string, what: string, path: (index: number) => PropertyKey[]) {
  return (entries: T[], context: z.RefinementCtx) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      const value = key(entry);
      if (seen.has(value))
        context.addIssue({ code: 'custom', message: `${what} repeats`, path: path(index) });
      seen.add(value);
    });
  };
}

/** Item codes are unique within a document's lines. */
export const uniqueItemCodes = uniqueBy<{ itemCode: string }>(
  (line) => line.itemCode,
  'itemCode',
  (index) => [index, 'itemCode'],
);

export interface PricedLine {
  itemCode: string;
  quantity: string;
  unitPrice: string;
}

/**
 * The minor-unit amount of each line (quantity x unit price, round-half-even), each at least one minor
 * unit, and a total that fits a document. Failure codes: invalid_input.
 */
export function lineAmounts(lines: readonly PricedLine[], currency: string): Result<bigint> {
  let total = 0n;
  for (const [index, line] of lines.entries()) {
    const amount = lineAmountMinor(line.quantity, line.unitPrice, currency);
    if (amount <= 0n) {
      return fail(
        'invalid_input',
        `lines.${index}: quantity x unitPrice rounds to 0 ${currency}`,
        `lines.${index}`,
      );
    }
    total += amount;
  }
  if (total > documentTotalMinorMax) {
    return fail(
      'invalid_input',
      `lines: the total exceeds ${formatAmount(documentTotalMinorMax, currency)}`,
      'lines',
    );
  }
  return ok(total);
}

/** The sum of the line amounts; the lines were checked by lineAmounts when the payload was parsed. */
export function linesTotalMinor(lines: readonly PricedLine[], currency: string): bigint {
  const total = lineAmounts(lines, currency);
  assert(total.ok, 'linesTotalMinor: lines were not checked');
  return total.value;
}

/**
 * A referenced document that the actor may see, of the expected kind. A document the actor is not
 * party to answers as not found, so that a reference reveals nothing about other parties' trade.
 *
 * Failure codes: document_not_found, document_kind_mismatch.
 */
export async function findChainDocuments(
  trx: Trx,
  refs: ReadonlyArray<{ id: string; field: string }>,
  kind: TradeDocumentKind,
  visible: (document: TradeDocument) => boolean,
): Promise<Result<TradeDocument[]>> {
  const found = new Map(
    (
      await findDocumentsByIds(
        trx,
        refs.map((ref) => ref.id),
      )
    ).map((doc) => [doc.id, doc]),
  );
  const documents: TradeDocument[] = [];
  for (const { id, field } of refs) {
    const document = found.get(id);
    if (!document || !visible(document))
      return fail('document_not_found', `${field}: no document ${id}`, field);
    if (document.kind !== kind) {
      return fail(
        'document_kind_mismatch',
        `${field}: document ${id} is a ${document.kind}, not a ${kind}`,
        field,
      );
    }
    documents.push(document);
  }
  return ok(documents);
}

/** Failure codes: document_id_taken (by a document, or by any other object: ids are unique across kinds). */
export async function documentIdProblem(trx: Trx, documentId: string): Promise<Failure | null> {
  const [kind] = await kindsOfId(trx, documentId);
  if (kind === undefined) return null;
  const holder = kind === 'trade_document' ? 'a trade document' : `another object (${kind})`;
  return fail('document_id_taken', `${holder} with id ${documentId} exists already`, 'documentId');
}

/** The event hashes behind `documents`, in their order: the refs of a new fact. */
export async function refsOf(trx: Trx, documents: readonly TradeDocument[]): Promise<string[]> {
  const hashes = await eventHashesOfDocuments(
    trx,
    documents.map((document) => document.id),
  );
  return documents.map((document) => {
    const hash = hashes.get(document.id);
    assert(hash !== undefined, `trade document ${document.id} has no event`);
    return hash;
  });
}

/** The lines of a stored document's body: each with an item code and the quantity under `field`. */
export function bodyQuantities(
  document: TradeDocument,
  field: string,
): Array<{ itemCode: string; quantity: bigint }> {
  const lines = document.body.lines;
  assert(Array.isArray(lines), `trade document ${document.id} has no lines`);
  return lines.map((line: Record<string, unknown>) => {
    const itemCode = line.itemCode;
    const quantity = typeof line[field] === 'string' ? toScaled(line[field], quantityScale) : null;
    assert(
      typeof itemCode === 'string' && quantity !== null,
      `trade document ${document.id} has a malformed line`,
    );
    return { itemCode, quantity };
  });
}

/** Per item, the sum over `documents` of the quantities under `field`. */
export function quantitiesByItem(documents: readonly TradeDocument[], field: string): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const document of documents) {
    for (const line of bodyQuantities(document, field)) {
      sums.set(line.itemCode, (sums.get(line.itemCode) ?? 0n) + line.quantity);
    }
  }
  return sums;
}

export const showQuantity = (quantity: bigint): string => fromScaled(quantity, quantityScale);

interface QuantityLine {
  itemCode: string;
}

/** Failure codes: item_not_on_order. */
export function itemNotOnOrder(lines: readonly QuantityLine[], order: TradeDocument): Failure | null {
  const ordered = quantitiesByItem([order], 'quantity');
  const index = lines.findIndex((line) => !ordered.has(line.itemCode));
  const line = lines[index];
  if (!line) return null;
  const field = `lines.${index}.itemCode`;
  return fail('item_not_on_order', `${field}: item ${line.itemCode} is not on the purchase order`, field);
}

/**
 * The first line whose quantity, added to what was already used of its item, passes the limit.
 * `quantity` reads a line's quantity field (already normalised).
 */
export function firstExcess<Line extends QuantityLine>(
  lines: readonly Line[],
  quantityField: keyof Line & string,
  used: ReadonlyMap<string, bigint>,
  limit: ReadonlyMap<string, bigint>,
): { index: number; field: string; wanted: bigint; used: bigint; limit: bigint } | null {
  for (const [index, line] of lines.entries()) {
    const text = line[quantityField];
    const wanted = typeof text === 'string' ? toScaled(text, quantityScale) : null;
    assert(wanted !== null, 'firstExcess: the quantity was not parsed');
    const already = used.get(line.itemCode) ?? 0n;
    const allowed = limit.get(line.itemCode) ?? 0n;
    if (already + wanted > allowed) {
      return { index, field: `lines.${index}.${quantityField}`, wanted, used: already, limit: allowed };
    }
  }
  return null;
}
