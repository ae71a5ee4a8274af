/**
 * purchase_order.recorded: the order a buyer placed, stated by the buyer or by the seller that
 * received it (a supplier records the PO it was sent). The other party is the counterparty. The buyer
 * is a core enterprise or a supplier (a supplier buys from its own suppliers); the seller is a
 * supplier: only trade between those becomes a receivable anyone may finance.
 */
import { z } from 'zod';
import type { Trx } from '../db/transaction.js';
import { registerFact } from '../events/fact.js';
import type { Actor, PartyRole } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { currencySchema, dateSchema, parseWith, textSchema, uuidSchema } from '../validation.js';
import {
  descriptionLengthMax,
  documentIdProblem,
  documentNumberLengthMax,
  itemCodeSchema,
  lineAmounts,
  linesMax,
  linesTotalMinor,
  quantitySchema,
  uniqueBy,
  uniqueItemCodes,
  unitLengthMax,
  unitPriceSchema,
} from './chain-rules.js';
import { insertDocument } from './trade-document.repository.js';

export const purchaseOrderKind = 'purchase_order.recorded';

const lineSchema = z.strictObject({
  lineNumber: z.number().int().min(1).max(linesMax),
  itemCode: itemCodeSchema,
  description: textSchema(descriptionLengthMax, 'freeText'),
  quantity: quantitySchema,
  unit: textSchema(unitLengthMax, 'code'),
  unitPrice: unitPriceSchema,
});

/** Line numbers run 1..n, each once (in any order). */
function lineNumbersInRange(lines: Array<{ lineNumber: number }>, context: z.RefinementCtx): void {
  lines.forEach((line, index) => {
    if (line.lineNumber > lines.length) {
      context.addIssue({
        code: 'custom',
        message: `lineNumber must be between 1 and ${lines.length}`,
        path: [index, 'lineNumber'],
      });
    }
  });
}

const payloadSchema = z
  .strictObject({
    documentId: uuidSchema,
    buyerPartyId: uuidSchema,
    sellerPartyId: uuidSchema,
    orderNumber: textSchema(documentNumberLengthMax, 'code'),
    orderDate: dateSchema,
    requestedDeliveryDate: dateSchema,
    currency: currencySchema,
    lines: z
      .array(lineSchema)
      .min(1)
      .max(linesMax)
      .superRefine(lineNumbersInRange)
      .superRefine(
        uniqueBy(
          (line) => String(line.lineNumber),
          'lineNumber',
          (index) => [index, 'lineNumber'],
        ),
      )
      .superRefine(uniqueItemCodes),
  })
  .superRefine((payload, context) => {
    if (payload.sellerPartyId === payload.buyerPartyId) {
      context.addIssue({ code: 'custom', message: 'must differ from buyerPartyId', path: ['sellerPartyId'] });
    }
  });

export type PurchaseOrderPayload = z.output<typeof payloadSchema>;
export type PurchaseOrderLine = PurchaseOrderPayload['lines'][number];

/** Failure codes: invalid_input. */
export function parsePurchaseOrder(input: unknown): Result<PurchaseOrderPayload> {
  const parsed = parseWith(payloadSchema, input);
  if (!parsed.ok) return parsed;
  const total = lineAmounts(parsed.value.lines, parsed.value.currency);
  return total.ok ? parsed : total;
}

const sides = [
  { field: 'buyerPartyId', what: 'buyer', roles: ['core_enterprise', 'supplier'] },
  { field: 'sellerPartyId', what: 'seller', roles: ['supplier'] },
] as const satisfies ReadonlyArray<{ field: string; what: string; roles: readonly PartyRole[] }>;

/**
 * Each side holds a role it may trade in: the actor's own roles as it acts, the other party's as
 * registered. Failure codes: party_not_found, counterparty_role_invalid.
 */
async function sidesProblem(trx: Trx, actor: Actor, payload: PurchaseOrderPayload): Promise<Failure | null> {
  for (const { field, what, roles } of sides) {
    const partyId = payload[field];
    const held = partyId === actor.partyId ? actor.roles : (await findPartyById(trx, partyId))?.roles;
    if (!held) return fail('party_not_found', `${field}: no party ${partyId}`, field);
    if (!roles.some((role) => held.includes(role))) {
      return fail(
        'counterparty_role_invalid',
        `${field}: the ${what} of a purchase order is a ${roles.join(' or ')}; party ${partyId} is ` +
          `${held.join(' and ') || 'without a role'}`,
        field,
      );
    }
  }
  return null;
}

/**
 * Failure codes, in precedence order: forbidden (the actor is neither buyer nor seller),
 * dates_out_of_order (requestedDeliveryDate before orderDate), party_not_found (the other party),
 * counterparty_role_invalid (buyerPartyId, then sellerPartyId), document_id_taken.
 */
export const purchaseOrderFact = registerFact<PurchaseOrderPayload>({
  kind: purchaseOrderKind,
  roles: ['core_enterprise', 'supplier'],
  parse: parsePurchaseOrder,
  claims: (payload) => [payload.documentId],
  bulkInsert: true,
  async check(trx, _ledger, actor, payload) {
    const { buyerPartyId, sellerPartyId } = payload;
    if (actor.partyId !== buyerPartyId && actor.partyId !== sellerPartyId) {
      return fail('forbidden', 'only the buyer or the seller records a purchase order');
    }
    if (payload.requestedDeliveryDate < payload.orderDate) {
      return fail(
        'dates_out_of_order',
        `requestedDeliveryDate ${payload.requestedDeliveryDate} is before orderDate ${payload.orderDate}`,
        'requestedDeliveryDate',
      );
    }
    const problem =
      (await sidesProblem(trx, actor, payload)) ?? (await documentIdProblem(trx, payload.documentId));
    if (problem) return problem;
    return ok({ counterparty: actor.partyId === buyerPartyId ? sellerPartyId : buyerPartyId, refs: [] });
  },
  async project(trx, _ledger, event, payload) {
    await insertDocument(
      trx,
      {
        id: payload.documentId,
        kind: 'purchase_order',
        eventId: event.id,
        buyerPartyId: payload.buyerPartyId,
        sellerPartyId: payload.sellerPartyId,
        currency: payload.currency,
        documentNumber: payload.orderNumber,
        documentDate: payload.orderDate,
        dueDate: null,
        totalMinor: linesTotalMinor(payload.lines, payload.currency),
        status: 'recorded',
        body: payload,
      },
      [],
    );
  },
});
