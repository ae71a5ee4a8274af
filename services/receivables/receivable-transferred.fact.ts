/**
 * receivable.transferred: the current holder splits a receivable and passes `amount` of it to another
 * party (transferReceivable(receivable, to, amount)). The parent's transferred amount grows by
 * `amount`; the remainder stays with the holder; the part passed on becomes a child receivable one
 * tier deeper, held by the receiver, with the parent's obligor, currency, due date and invoice.
 * The child's currency is the parent's by construction: `amount` is read in that currency.
 * A receivable passes up the supply chain only: to a supplier, never to its own obligor (a claim on
 * itself), an auditor (who must stay independent of what it audits), the platform operator, or a
 * party without the supplier role. Lenders come to hold parts through financing, never by transfer.
 *
 * Failure codes, in order: invalid_input, receivable_not_found, forbidden (not the holder),
 * invalid_input (to self, childReceivableId taken, amount malformed or zero, deepest tier),
 * receivable_defaulted, receivable_settled, invoice_cancelled, receivable_on_hold,
 * receivable_under_financing, amount_exceeds_outstanding, counterparty_not_found,
 * counterparty_role_invalid.
 */

import { z } from 'zod';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import type { Trx } from '../db/transaction.js';
import { type FactLinks, registerFact } from '../events/fact.js';
import { kindsOfId } from '../events/object-id.repository.js';
import { parsePositiveAmount } from '../money/money.js';
import type { Actor } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import { type Failure, fail, ok, type Result } from '../result.js';
import { amountSchema, parseWith, uuidSchema } from '../validation.js';
import { factNotice } from '../webhooks/webhook.js';
import { eventHash, invoiceChainOf } from './invoice-state.js';
import { receivedData } from './notices.js';
import { type Receivable, tierMax } from './receivable.js';
import {
  addTransferred,
  financingHolds,
  findReceivable,
  insertReceivables,
} from './receivable.repository.js';
import { assertSplitConserves } from './split-conservation.js';

export const receivableTransferredKind = 'receivable.transferred';

const schema = z.strictObject({
  receivableId: uuidSchema,
  toPartyId: uuidSchema,
  /** Exact decimal string in the receivable's currency, e.g. "2500.00". */
  amount: amountSchema,
  /** Chosen by the caller at prepare time: the id of the part passed on. */
  childReceivableId: uuidSchema,
});

export type ReceivableTransferredPayload = z.infer<typeof schema>;

/**
 * The receivable's own state forbids any transfer. `financed` says whether an open financing request
 * holds it (financingHolds: a lapsed one does not).
 */
export function transferStateProblem(receivable: Receivable, financed: boolean): Failure | null {
  if (receivable.status === 'defaulted')
    return fail('receivable_defaulted', 'the receivable is in default', 'receivableId');
  if (receivable.status === 'settled')
    return fail('receivable_settled', 'the receivable is settled', 'receivableId');
  if (receivable.status === 'cancelled') {
    return fail('invoice_cancelled', 'the invoice behind the receivable was cancelled', 'receivableId');
  }
  if (receivable.onHold) {
    return fail(
      'receivable_on_hold',
      'the receivable is on hold after a cancellation or credit note',
      'receivableId',
    );
  }
  if (financed) {
    return fail('receivable_under_financing', 'the receivable is being financed', 'receivableId');
  }
  return null;
}

async function inputProblem(
  trx: Trx,
  receivable: Receivable,
  payload: ReceivableTransferredPayload,
): Promise<Result<bigint>> {
  if (payload.toPartyId === receivable.holderPartyId) {
    return fail('invalid_input', 'a holder cannot transfer a receivable to itself', 'toPartyId');
  }
  if ((await kindsOfId(trx, payload.childReceivableId)).length > 0) {
    return fail('invalid_input', 'childReceivableId is taken: choose a new UUID', 'childReceivableId');
  }
  if (receivable.tier >= tierMax) {
    return fail('invalid_input', `a receivable of tier ${tierMax} cannot be split further`, 'receivableId');
  }
  return parsePositiveAmount(payload.amount, receivable.currency);
}

/** Failure codes: counterparty_not_found, counterparty_role_invalid. */
async function recipientProblem(
  trx: Trx,
  ledger: Ledger,
  receivable: Receivable,
  toPartyId: string,
): Promise<Failure | null> {
  const recipient = await findPartyById(trx, toPartyId);
  if (!recipient) return fail('counterparty_not_found', 'the receiving party is not registered', 'toPartyId');
  const refuse = (why: string) => fail('counterparty_role_invalid', `toPartyId: ${why}`, 'toPartyId');
  if (recipient.id === receivable.obligorPartyId) {
    return refuse("the receivable's obligor cannot hold a claim on itself");
  }
  if (recipient.id === ledger.platformPartyId || recipient.roles.includes('platform_admin')) {
    return refuse('the platform operator holds no receivables');
  }
  if (recipient.roles.includes('auditor')) return refuse('an auditor holds no receivables');
  if (!recipient.roles.includes('supplier')) {
    return refuse(`a receivable passes only to a supplier; this party is ${recipient.roles.join(' and ')}`);
  }
  return null;
}

async function check(
  trx: Trx,
  ledger: Ledger,
  actor: Actor,
  payload: ReceivableTransferredPayload,
): Promise<Result<FactLinks>> {
  const receivable = await findReceivable(trx, payload.receivableId);
  if (!receivable) return fail('receivable_not_found', 'no receivable with that id', 'receivableId');
  if (receivable.holderPartyId !== actor.partyId) {
    return fail('forbidden', 'only the current holder transfers a receivable', 'receivableId');
  }
  const amount = await inputProblem(trx, receivable, payload);
  if (!amount.ok) return amount;
  const stateProblem = transferStateProblem(receivable, await financingHolds(trx, receivable, new Date()));
  if (stateProblem) return stateProblem;
  if (amount.value > receivable.outstandingMinor) {
    return fail(
      'amount_exceeds_outstanding',
      'the amount is more than what is outstanding on the receivable',
      'amount',
    );
  }
  const recipient = await recipientProblem(trx, ledger, receivable, payload.toPartyId);
  if (recipient) return recipient;
  return ok({ counterparty: payload.toPartyId, refs: [await eventHash(trx, receivable.createdEventId)] });
}

export const receivableTransferred = registerFact<ReceivableTransferredPayload>({
  kind: receivableTransferredKind,
  roles: ['supplier'],
  chain: {
    async of(trx, payload, options) {
      const receivable = await findReceivable(trx, payload.receivableId);
      return receivable ? invoiceChainOf(trx, receivable.invoiceId, options) : null;
    },
  },
  parse: (input) => parseWith(schema, input),
  claims: (payload) => [payload.childReceivableId],
  check: (trx, ledger, actor, payload) => check(trx, ledger, actor, payload),
  async project(trx, _ledger, event, payload) {
    const parent = await findReceivable(trx, payload.receivableId);
    assert(parent !== undefined, 'receivable.transferred: the receivable vanished after its check');
    const amount = parsePositiveAmount(payload.amount, parent.currency);
    assert(amount.ok, 'receivable.transferred: the amount was checked');
    assert(amount.value <= parent.outstandingMinor, 'receivable.transferred: more than outstanding');
    await addTransferred(trx, parent.id, amount.value);
    await insertReceivables(trx, [
      {
        id: payload.childReceivableId,
        invoiceId: parent.invoiceId,
        parentId: parent.id,
        rootId: parent.rootId,
        tier: parent.tier + 1,
        obligorPartyId: parent.obligorPartyId,
        holderPartyId: payload.toPartyId,
        currency: parent.currency,
        faceMinor: amount.value,
        creditedMinor: 0n,
        dueDate: parent.dueDate,
        status: 'open',
        createdEventId: event.id,
      },
    ]);
    await assertSplitConserves(trx, parent.id, receivableTransferredKind);
  },
  // The receiver now holds the part passed on.
  async notify(trx, event, payload) {
    const child = await findReceivable(trx, payload.childReceivableId);
    assert(child !== undefined, 'receivable.transferred: the part passed on is missing');
    return [
      factNotice(event, {
        partyId: child.holderPartyId,
        type: 'receivable_received',
        data: {
          ...receivedData(child),
          via: 'TRANSFER',
          fromPartyId: event.actorPartyId,
          parentReceivableId: payload.receivableId,
        },
      }),
    ];
  },
});
