/**
 * A party sees documents it is party to and receivables it holds, owes or has financed; auditors
 * (and platform administrators) see everything; nobody else sees anything. Two chains: ours (order,
 * shipment, receipt, invoice, confirmation, a part passed to a tier-2 supplier) and one between two
 * other parties that only the all-seeing see.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PageRequest } from '../../services/paging.js';
import type { Actor, PartyRole } from '../../services/parties/party.js';
import {
  findReceivableLineage,
  findVisibleReceivable,
  invoiceConfirmedKind,
  listReceivablesByHolder,
  listReceivablesByObligor,
  receivableTransferredKind,
} from '../../services/receivables/index.js';
import {
  type DocumentCursor,
  invoiceKind,
  invoiceWithChain,
  listDocuments,
} from '../../services/trade/index.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { type Chain, invoicePayload, recordChain, recorded } from '../trade/trade-fixtures.js';

const t = useTestLedger();
const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '25' }];

interface Confirmed {
  chain: Chain;
  invoiceId: string;
  rootId: string;
}

async function confirmedChain(buyer: TestParty, seller: TestParty): Promise<Confirmed> {
  const chain = await recordChain(t, buyer, seller, lines);
  const invoice = invoicePayload(chain, lines, '250.00');
  await recorded(t, seller, invoiceKind, invoice);
  const invoiceId = String(invoice.documentId);
  const rootId = randomUUID();
  await recorded(t, buyer, invoiceConfirmedKind, { invoiceId, receivableId: rootId });
  return { chain, invoiceId, rootId };
}

const party = {} as Record<'buyer' | 'seller' | 'tier2' | 'unrelated' | 'auditor' | 'lender', TestParty>;
let ours: Confirmed;
let theirs: Confirmed;
let childId: string;

beforeAll(async () => {
  const newParty = (role: PartyRole) => t.newParty([role], { custodial: true });
  party.buyer = await newParty('core_enterprise');
  party.seller = await newParty('supplier');
  party.tier2 = await newParty('supplier');
  party.unrelated = await newParty('supplier');
  party.auditor = await newParty('auditor');
  party.lender = await newParty('lender');
  ours = await confirmedChain(party.buyer, party.seller);
  childId = randomUUID();
  await recorded(t, party.seller, receivableTransferredKind, {
    receivableId: ours.rootId,
    toPartyId: party.tier2.party.id,
    amount: '100.00',
    childReceivableId: childId,
  });
  theirs = await confirmedChain(await newParty('core_enterprise'), await newParty('supplier'));
});

const documentIds = ({ chain, invoiceId }: Confirmed) =>
  [chain.orderId, chain.shipmentId, chain.receiptId, invoiceId].sort();

const page = <Cursor>(): PageRequest<Cursor> => ({ after: null, before: null, limit: 100, inverted: false });

type Sees = 'all' | 'own' | 'none';

/** Who looks, and what it sees of documents and of receivables. */
const viewers: Array<[who: string, actor: () => Actor, documents: Sees, receivables: Sees]> = [
  ['the seller, holder of the root', () => party.seller.actor, 'own', 'own'],
  ['the buyer, obligor', () => party.buyer.actor, 'own', 'own'],
  ['the tier-2 supplier, holder of the part passed on', () => party.tier2.actor, 'none', 'own'],
  ['an auditor', () => party.auditor.actor, 'all', 'all'],
  ['a platform administrator', () => t.admin, 'all', 'all'],
  ['an unrelated supplier', () => party.unrelated.actor, 'none', 'none'],
  ['a lender that financed nothing yet', () => party.lender.actor, 'none', 'none'],
];

describe.each(viewers)('%s', (_who, actor, documents, receivables) => {
  it(`sees ${documents} of the invoices with their chains`, async () => {
    for (const [confirmed, visible] of [
      [ours, documents !== 'none'],
      [theirs, documents === 'all'],
    ] as const) {
      const found = await invoiceWithChain(t.ledger, actor(), confirmed.invoiceId);
      if (!visible) {
        expect(found).toMatchObject({ ok: false, code: 'invoice_not_found', field: 'invoiceId' });
        continue;
      }
      if (!found.ok) throw new Error(`${found.code}: ${found.message}`);
      const { invoice, purchaseOrder, shipments, goodsReceipts } = found.value;
      const ids = [invoice, purchaseOrder, ...shipments, ...goodsReceipts].map((entry) => entry.document.id);
      expect(ids.sort()).toEqual(documentIds(confirmed));
    }
  });

  it(`lists ${documents} of the documents`, async () => {
    const listed = await listDocuments(t.ledger, actor(), {}, page<DocumentCursor>());
    if (!listed.ok) throw new Error(listed.code);
    const expected = {
      all: [...documentIds(ours), ...documentIds(theirs)],
      own: documentIds(ours),
      none: [],
    };
    expect(listed.value.map((document) => document.id).sort()).toEqual(expected[documents].sort());
  });

  it(`finds ${receivables} of the receivables, with their lineage`, async () => {
    const visible = { ours: receivables !== 'none', theirs: receivables === 'all' };
    for (const [id, seen] of [
      [ours.rootId, visible.ours],
      [childId, visible.ours],
      [theirs.rootId, visible.theirs],
    ] as const) {
      const found = await findVisibleReceivable(t.ledger, actor(), id);
      const lineage = await findReceivableLineage(t.ledger, actor(), id);
      if (!seen) {
        expect(found).toMatchObject({ ok: false, code: 'receivable_not_found', field: 'receivableId' });
        expect(lineage).toMatchObject({ ok: false, code: 'receivable_not_found', field: 'receivableId' });
        continue;
      }
      expect(found).toMatchObject({ ok: true, value: { id } });
      if (!lineage.ok) throw new Error(lineage.code);
      expect(lineage.value.receivable.id).toBe(id);
    }
    if (!visible.ours) return;
    const lineage = await findReceivableLineage(t.ledger, actor(), childId);
    if (!lineage.ok) throw new Error(lineage.code);
    expect(lineage.value.ancestors.map((node) => node.id)).toEqual([ours.rootId]);
    expect(lineage.value.descendants).toEqual([]);
  });

  it(`lists ${receivables} of the receivables by holder and by obligor`, async () => {
    const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id).sort();
    const shown = (id: string, seen: boolean) => (seen ? [id] : []);
    const [oursSeen, theirsSeen] = [receivables !== 'none', receivables === 'all'];
    const byHolder = (holder: TestParty) =>
      listReceivablesByHolder(t.ledger, actor(), holder.party.id, page());
    expect(ids(await byHolder(party.seller))).toEqual(shown(ours.rootId, oursSeen));
    expect(ids(await byHolder(party.tier2))).toEqual(shown(childId, oursSeen));
    expect(ids(await byHolder(theirs.chain.seller))).toEqual(shown(theirs.rootId, theirsSeen));
    expect(ids(await byHolder(party.unrelated))).toEqual([]);
    const byObligor = (obligor: TestParty) =>
      listReceivablesByObligor(t.ledger, actor(), obligor.party.id, page());
    expect(ids(await byObligor(party.buyer))).toEqual(oursSeen ? [ours.rootId, childId].sort() : []);
    expect(ids(await byObligor(theirs.chain.buyer))).toEqual(shown(theirs.rootId, theirsSeen));
  });
});
