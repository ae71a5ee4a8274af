import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256, verify } from '../../services/crypto/index.js';
import { inTransaction } from '../../services/db/transaction.js';
import { inTransactionResult } from '../../services/db/transaction-result.js';
import { appendCustodialEvent } from '../../services/events/event.service.js';
import type { PageRequest } from '../../services/paging.js';
import type { Actor } from '../../services/parties/party.js';
import { findKey } from '../../services/parties/party-key.repository.js';
import {
  type DocumentCursor,
  type DocumentFilter,
  invoiceWithChain,
  listDocuments,
  type TradeDocument,
} from '../../services/trade/index.js';
import { insertDocument } from '../../services/trade/trade-document.repository.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { type Chain, dates, invoicePayload, issue, recordChain } from './trade-fixtures.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let otherBuyer: TestParty;
let auditor: TestParty;
let outsider: TestParty;
let chain: Chain;
let invoiceId: string;
let creditNoteId: string;

const lines = [{ itemCode: 'A', quantity: '4', unitPrice: '25' }];

/** A credit note on the invoice, written directly: the credit note fact belongs to receivables. */
async function creditNoteOn(invoice: string): Promise<string> {
  const appended = await inTransactionResult(ledger.ledger.db, (trx) =>
    appendCustodialEvent(trx, ledger.ledger.custody, {
      kind: 'test.credit_note',
      actor: seller.party.id,
      counterparty: buyer.party.id,
      refs: [],
      payload: { invoiceId: invoice },
      occurredAt: new Date().toISOString(),
      idempotencyKey: freshKey('credit'),
    }),
  );
  if (!appended.ok) throw new Error(appended.code);
  const id = randomUUID();
  await inTransaction(ledger.ledger.db, (trx) =>
    insertDocument(
      trx,
      {
        id,
        kind: 'credit_note',
        eventId: appended.value.event.id,
        buyerPartyId: buyer.party.id,
        sellerPartyId: seller.party.id,
        currency: 'CNY',
        documentNumber: 'CN-1',
        documentDate: dates.issue,
        dueDate: null,
        totalMinor: 1000n,
        status: 'issued',
        body: { invoiceId: invoice },
      },
      [invoice],
    ),
  );
  return id;
}

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  seller = await ledger.newParty(['supplier'], { custodial: true });
  otherBuyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  auditor = await ledger.newParty(['auditor'], { custodial: true });
  outsider = await ledger.newParty(['lender'], { custodial: true });
  chain = await recordChain(ledger, buyer, seller, lines);
  const payload = invoicePayload(chain, lines, '100.00');
  const issued = await issue(ledger, chain, payload);
  if (!issued.ok) throw new Error(issued.code);
  invoiceId = String(payload.documentId);
  creditNoteId = await creditNoteOn(invoiceId);
  await recordChain(ledger, otherBuyer, seller, lines);
});

describe('invoiceWithChain', () => {
  it.each([
    ['its buyer', () => buyer.actor],
    ['its seller', () => seller.actor],
    ['an auditor', () => auditor.actor],
    ['a platform administrator', () => ledger.admin],
  ])('shows %s the invoice with its whole chain and the signed events', async (_who, actor) => {
    const result = await invoiceWithChain(ledger.ledger, actor(), invoiceId);
    if (!result.ok) throw new Error(result.code);
    const found = result.value;
    expect(found.invoice.document).toMatchObject({ id: invoiceId, kind: 'invoice', totalMinor: 10_000n });
    expect(found.purchaseOrder.document.id).toBe(chain.orderId);
    expect(found.shipments.map((entry) => entry.document.id)).toEqual([chain.shipmentId]);
    expect(found.goodsReceipts.map((entry) => entry.document.id)).toEqual([chain.receiptId]);
    expect(found.referencingDocuments.map((entry) => entry.document.id)).toEqual([creditNoteId]);
    const entries = [found.invoice, found.purchaseOrder, ...found.shipments, ...found.goodsReceipts];
    for (const { document, event } of entries) {
      expect(event.id).toBe(document.eventId);
      expect(event.eventHash.equals(sha256(event.statement))).toBe(true);
      const key = await findKey(ledger.owner.db, event.keyId);
      expect(verify(key?.publicKey ?? Buffer.alloc(32), event.eventHash, event.signature)).toBe(true);
    }
    expect(found.goodsReceipts[0]?.event.actorPartyId).toBe(buyer.party.id);
  });

  it.each([
    ['a party to none of it', () => outsider.actor, () => invoiceId],
    ['a buyer of another chain', () => otherBuyer.actor, () => invoiceId],
    ['an id that is a purchase order', () => seller.actor, () => chain.orderId],
    ['an id that names nothing', () => seller.actor, () => randomUUID()],
  ])('answers invoice_not_found for %s', async (_case, actor, id) => {
    expect(await invoiceWithChain(ledger.ledger, actor(), id())).toMatchObject({
      ok: false,
      code: 'invoice_not_found',
      field: 'invoiceId',
    });
  });

  it('rejects an id that is not a UUID', async () => {
    expect(await invoiceWithChain(ledger.ledger, seller.actor, 'INV-1')).toMatchObject({
      code: 'invalid_input',
    });
  });
});

async function everyPage(actor: Actor, filter: DocumentFilter, limit: number, inverted = false) {
  const seen: TradeDocument[] = [];
  let cursor: DocumentCursor | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: PageRequest<DocumentCursor> = inverted
      ? { after: null, before: cursor, limit, inverted }
      : { after: cursor, before: null, limit, inverted };
    const result = await listDocuments(ledger.ledger, actor, filter, page);
    if (!result.ok) throw new Error(result.code);
    seen.push(...result.value);
    const last = result.value.at(-1);
    if (result.value.length < limit || !last) return seen;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
  throw new Error('paging did not end');
}

const byPosition = (a: TradeDocument, b: TradeDocument) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1);

describe('listDocuments', () => {
  it('pages through the documents a party is party to, each once, in (createdAt, id) order', async () => {
    const all = await everyPage(seller.actor, {}, 100);
    // two chains of order, shipment and receipt, one invoice, one credit note
    expect(all).toHaveLength(8);
    expect([...all].sort(byPosition).map((document) => document.id)).toEqual(
      all.map((document) => document.id),
    );
    for (const limit of [1, 2, 3]) {
      expect((await everyPage(seller.actor, {}, limit)).map((document) => document.id)).toEqual(
        all.map((document) => document.id),
      );
    }
    const backwards = await everyPage(seller.actor, {}, 3, true);
    expect(backwards.map((document) => document.id)).toEqual(all.map((document) => document.id).reverse());
  });

  it('filters by kind and by counterparty', async () => {
    const invoices = await everyPage(seller.actor, { kind: 'invoice' }, 10);
    expect(invoices.map((document) => document.id)).toEqual([invoiceId]);
    const withOther = await everyPage(seller.actor, { counterpartyId: otherBuyer.party.id }, 10);
    expect(withOther).toHaveLength(3);
    expect(withOther.every((document) => document.buyerPartyId === otherBuyer.party.id)).toBe(true);
    expect(await everyPage(buyer.actor, { kind: 'purchase_order' }, 10)).toHaveLength(1);
  });

  it('shows an outsider nothing and an auditor everything', async () => {
    expect(await everyPage(outsider.actor, {}, 10)).toEqual([]);
    expect(await everyPage(auditor.actor, {}, 10)).toHaveLength(8);
  });

  it('stores createdAt at millisecond precision, and pages exactly over rows 0087 truncated', async () => {
    const { db } = ledger.owner;
    const fractional = sql<bigint>`count(*)::INT8`;
    const atSubMillisecond = async () =>
      (
        await db
          .selectFrom('trade_document')
          .select(fractional.as('count'))
          .where(sql<boolean>`created_at <> date_trunc('millisecond', created_at)`)
          .executeTakeFirstOrThrow()
      ).count;
    expect(await atSubMillisecond()).toBe(0n);
    // As a database migrated before 0086 holds them: microseconds the cursor cannot carry.
    await sql`UPDATE trade_document SET created_at = created_at + INTERVAL '321 microseconds'`.execute(db);
    expect(await atSubMillisecond()).toBeGreaterThan(0n);
    const migration = new URL(
      '../../schema/migrations/0087_trade_document_created_at_truncated.sql',
      import.meta.url,
    );
    for (let run = 0; run < 2; run++) await sql.raw(await readFile(migration, 'utf8')).execute(db);
    expect(await atSubMillisecond()).toBe(0n);
    const all = await everyPage(seller.actor, {}, 100);
    expect(all).toHaveLength(8);
    expect((await everyPage(seller.actor, {}, 2)).map((document) => document.id)).toEqual(
      [...all].sort(byPosition).map((document) => document.id),
    );
  });

  it('rejects a malformed filter', async () => {
    const page = { after: null, before: null, limit: 10, inverted: false };
    expect(await listDocuments(ledger.ledger, seller.actor, { counterpartyId: 'x' }, page)).toMatchObject({
      code: 'invalid_input',
      field: 'counterpartyId',
    });
  });
});
