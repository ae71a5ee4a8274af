/**
 * The rules of check b of the lender's report (services/verify/report-document-rules.ts) over plain
 * document chains: quantities through the chain, amounts against the receivable, dates through to the
 * confirmation, and who signed what. Each case names the documents or events the lender is shown.
 */
import { describe, expect, it } from 'vitest';
import type { InvoiceChain } from '../../services/trade/document-chain.service.js';
import type { TradeDocument } from '../../services/trade/trade-document.js';
import {
  amountFindings,
  dateFindings,
  quantityFindings,
  signerFindings,
} from '../../services/verify/report-document-rules.js';
import type { ReportEvent } from '../../services/verify/report-events.repository.js';
import { buyer, chainDocument, reportEvent, seller, tradeDocument } from './report-fixtures.js';

type Lines = Array<Record<string, string>>;

/**
 * Order of 10 A and 5 B (1 March), one shipment of all of it (3 March), one receipt that accepts 8 A
 * and 5 B of that shipment (4 March), and the invoice for what was accepted: 8 A at 12.50 and 5 B at
 * 20, 200.00 EUR (5 March, due 4 April).
 */
function chainWith(
  change: {
    order?: Partial<TradeDocument>;
    shipments?: Array<Partial<TradeDocument>>;
    receipts?: Array<Partial<TradeDocument>>;
    invoice?: Partial<TradeDocument>;
  } = {},
): InvoiceChain {
  const order = tradeDocument({
    id: 'po',
    kind: 'purchase_order',
    documentDate: '2025-03-01',
    body: { lines: [line('A', '10'), line('B', '5')] },
    ...change.order,
  });
  const shipments = (change.shipments ?? [{}]).map((fields, index) =>
    tradeDocument({
      id: `ship${index + 1}`,
      kind: 'shipment',
      documentDate: '2025-03-03',
      body: { lines: [line('A', '10'), line('B', '5')] },
      ...fields,
    }),
  );
  const receipts = (change.receipts ?? [{}]).map((fields, index) =>
    tradeDocument({
      id: `gr${index + 1}`,
      kind: 'goods_receipt',
      documentDate: '2025-03-04',
      body: { shipmentIds: ['ship1'], lines: [accepted('A', '8'), accepted('B', '5')] },
      ...fields,
    }),
  );
  const invoice = tradeDocument({
    id: 'inv',
    kind: 'invoice',
    documentDate: '2025-03-05',
    dueDate: '2025-04-04',
    totalMinor: 20_000n,
    body: { lines: [priced('A', '8', '12.50'), priced('B', '5', '20')] },
    ...change.invoice,
  });
  return {
    purchaseOrder: chainDocument(order),
    shipments: shipments.map(chainDocument),
    goodsReceipts: receipts.map(chainDocument),
    invoice: chainDocument(invoice),
    referencingDocuments: [],
  };
}

function line(itemCode: string, quantity: string) {
  return { itemCode, quantity };
}
function accepted(itemCode: string, quantityAccepted: string) {
  return { itemCode, quantityReceived: quantityAccepted, quantityAccepted };
}
function priced(itemCode: string, quantity: string, unitPrice: string) {
  return { itemCode, quantity, unitPrice };
}

/** An earlier invoice on the same receipts, billing these lines. */
const otherInvoice = (id: string, lines: Lines) =>
  tradeDocument({ id, kind: 'invoice', documentDate: '2025-03-04', body: { lines } });

const fail = (summary: string, label: string, kind: string, values: string[]) => ({
  status: 'fail',
  summary,
  evidence: [{ label, kind, values }],
});

describe('document chain: quantities', () => {
  it('finds nothing wrong when nothing passes what was ordered, shipped and accepted', () => {
    expect(quantityFindings(chainWith(), [])).toEqual([]);
  });

  it('passes shipments that together ship exactly what was ordered', () => {
    const chain = chainWith({
      shipments: [
        { body: { lines: [line('A', '4'), line('B', '5')] } },
        { body: { lines: [line('A', '6')] } },
      ],
    });
    expect(quantityFindings(chain, [])).toEqual([]);
  });

  it('fails shipments that together ship more of an item than was ordered, naming every shipment', () => {
    const chain = chainWith({
      shipments: [
        { body: { lines: [line('A', '4'), line('B', '5')] } },
        { body: { lines: [line('A', '6.5')] } },
      ],
    });
    expect(quantityFindings(chain, [])).toEqual([
      fail('an item was shipped beyond the quantity ordered', 'shipped documents', 'document', [
        'ship1',
        'ship2',
      ]),
    ]);
  });

  it('fails a shipment of an item the order does not have, once per item', () => {
    const chain = chainWith({
      shipments: [{ body: { lines: [line('A', '10'), line('C', '1'), line('D', '1')] } }],
    });
    const finding = fail('an item was shipped beyond the quantity ordered', 'shipped documents', 'document', [
      'ship1',
    ]);
    expect(quantityFindings(chain, [])).toEqual([finding, finding]);
  });

  it('fails a receipt that accepts more than was ordered', () => {
    const chain = chainWith({
      receipts: [
        { body: { shipmentIds: ['ship1'], lines: [accepted('A', '10.000001'), accepted('B', '5')] } },
      ],
    });
    expect(quantityFindings(chain, [])).toEqual([
      fail('an item was accepted beyond the quantity ordered', 'accepted documents', 'document', ['gr1']),
    ]);
  });

  it('fails an invoice that bills an item the order does not have', () => {
    const chain = chainWith({
      invoice: { body: { lines: [priced('A', '8', '12.50'), priced('C', '1', '1')] } },
    });
    expect(quantityFindings(chain, [])).toEqual([
      fail('the invoice bills an item the order does not have', 'invoice', 'document', ['inv']),
      fail(
        'with the other invoices on the same receipts, the invoice bills an item beyond the quantity accepted',
        'other invoices on the same receipts',
        'document',
        [],
      ),
    ]);
  });

  it('fails an invoice that bills more than was accepted, even with no other invoice', () => {
    const chain = chainWith({ invoice: { body: { lines: [priced('A', '9', '12.50')] } } });
    expect(quantityFindings(chain, [])).toEqual([
      fail(
        'with the other invoices on the same receipts, the invoice bills an item beyond the quantity accepted',
        'other invoices on the same receipts',
        'document',
        [],
      ),
    ]);
  });

  it('counts what other invoices on the same receipts billed: exactly what was accepted passes, more fails', () => {
    const invoice = { body: { lines: [priced('A', '6', '12.50')] } };
    const earlier = [
      otherInvoice('inv0', [priced('A', '1', '12.50')]),
      otherInvoice('inv00', [priced('A', '1', '1')]),
    ];
    expect(quantityFindings(chainWith({ invoice }), earlier)).toEqual([]);
    const more = [...earlier, otherInvoice('inv000', [priced('A', '0.5', '1')])];
    expect(quantityFindings(chainWith({ invoice }), more)).toEqual([
      fail(
        'with the other invoices on the same receipts, the invoice bills an item beyond the quantity accepted',
        'other invoices on the same receipts',
        'document',
        ['inv0', 'inv00', 'inv000'],
      ),
    ]);
  });
});

describe('document chain: amounts', () => {
  const invoice = (fields: Partial<TradeDocument> = {}) => chainWith({ invoice: fields }).invoice.document;
  const notAddingUp = fail('the invoice lines do not add up to its total', 'invoice', 'document', ['inv']);

  it('passes lines that add up to the total and a confirmed face equal to it', () => {
    expect(amountFindings(invoice(), 20_000n)).toEqual([]);
    expect(amountFindings(invoice(), null)).toEqual([]);
  });

  it('fails a total one minor unit off its lines', () => {
    expect(amountFindings(invoice({ totalMinor: 20_001n }), null)).toEqual([notAddingUp]);
  });

  it('fails an invoice whose lines are missing or round to nothing', () => {
    expect(amountFindings(invoice({ body: {} }), null)).toEqual([notAddingUp]);
    const tiny = invoice({ totalMinor: 0n, body: { lines: [priced('A', '0.001', '0.001')] } });
    expect(amountFindings(tiny, null)).toEqual([notAddingUp]);
  });

  it("fails a confirmed receivable whose face is not the invoice's total", () => {
    expect(amountFindings(invoice(), 19_999n)).toEqual([
      fail("the confirmed receivable's face differs from the invoice total", 'invoice', 'document', ['inv']),
    ]);
  });
});

describe('document chain: dates', () => {
  const confirmation = (occurredAt: string) =>
    reportEvent({
      eventId: 'confirm',
      kind: 'invoice.confirmed',
      actorPartyId: buyer,
      occurredAt: new Date(occurredAt),
    });

  it('passes documents in order, each allowed on the same day as the one before', () => {
    const chain = chainWith({
      shipments: [{ documentDate: '2025-03-01' }],
      receipts: [{ documentDate: '2025-03-01' }],
      invoice: { documentDate: '2025-03-01', dueDate: '2025-03-01' },
    });
    expect(dateFindings(chain, confirmation('2025-03-01T00:00:00.000Z'))).toEqual([]);
    expect(dateFindings(chainWith(), undefined)).toEqual([]);
    expect(dateFindings(chainWith({ invoice: { dueDate: null } }), undefined)).toEqual([]);
  });

  it('fails a shipment dated before the order', () => {
    const chain = chainWith({
      shipments: [{ documentDate: '2025-02-28' }],
      receipts: [{ body: { lines: [] } }],
    });
    expect(dateFindings(chain, undefined)).toEqual([
      fail('shipment ship1 is dated before purchase_order po', 'documents out of order', 'document', [
        'po',
        'ship1',
      ]),
    ]);
  });

  it('fails a receipt dated before a shipment it names, and not before one it does not name', () => {
    const chain = chainWith({
      shipments: [{ documentDate: '2025-03-05' }, { documentDate: '2025-03-05' }],
      receipts: [{ body: { shipmentIds: ['ship2'], lines: [] } }, { body: { lines: [] } }],
    });
    expect(dateFindings(chain, undefined)).toEqual([
      fail('goods_receipt gr1 is dated before shipment ship2', 'documents out of order', 'document', [
        'ship2',
        'gr1',
      ]),
    ]);
  });

  it('fails an invoice due before its issue date', () => {
    expect(dateFindings(chainWith({ invoice: { dueDate: '2025-03-04' } }), undefined)).toEqual([
      fail('the invoice is due 2025-03-04, before its issue date 2025-03-05', 'invoice', 'document', ['inv']),
    ]);
  });

  it("fails a confirmation made (in UTC) on a day before the invoice's issue date", () => {
    expect(dateFindings(chainWith(), confirmation('2025-03-04T23:59:59.999Z'))).toEqual([
      fail(
        "the confirmation is dated 2025-03-04, before the invoice's issue date 2025-03-05",
        'confirmation',
        'event',
        ['confirm'],
      ),
    ]);
    expect(dateFindings(chainWith(), confirmation('2025-03-05T00:00:00.000Z'))).toEqual([]);
  });
});

describe('document chain: signers', () => {
  /** The events of the chain's documents as the report loaded them, signed as `change` says. */
  function eventsOf(chain: InvoiceChain, change: Record<string, Partial<ReportEvent>> = {}) {
    const entries = [chain.purchaseOrder, ...chain.shipments, ...chain.goodsReceipts, chain.invoice];
    const events = entries.map((entry) =>
      reportEvent({
        eventId: entry.event.id,
        kind: entry.event.kind,
        actorPartyId: entry.event.actorPartyId,
      }),
    );
    events.push(reportEvent({ eventId: 'confirm', kind: 'invoice.confirmed', actorPartyId: buyer }));
    return new Map(events.map((event) => [event.eventId, { ...event, ...change[event.eventId] }]));
  }
  const chain = chainWith({ shipments: [{}, {}] });
  const confirmationIn = (events: Map<string, ReportEvent>) => events.get('confirm');

  it('passes receipts and confirmation signed by the buyer and the invoice by the seller, all with own keys', () => {
    const events = eventsOf(chain);
    expect(signerFindings(chain, confirmationIn(events), events)).toEqual([]);
  });

  it.each([
    ['event-gr1', 'goods receipt', seller, buyer],
    ['event-inv', 'invoice', buyer, seller],
    ['confirm', 'confirmation', seller, buyer],
  ])('fails %s: the %s signed by another party', (eventId, what, signer, expected) => {
    const events = eventsOf(chain, { [eventId]: { actorPartyId: signer } });
    expect(signerFindings(chain, confirmationIn(events), events)).toEqual([
      fail(
        `the ${what} was signed by ${signer}, not by ${expected}`,
        `${what} signed by the wrong party`,
        'event',
        [eventId],
      ),
    ]);
  });

  it('fails a receivable with no confirmation behind it', () => {
    const events = eventsOf(chain);
    expect(signerFindings(chain, undefined, events)).toEqual([
      fail('no confirmation by the buyer was found behind the receivable', 'invoice', 'document', ['inv']),
    ]);
  });

  it('leaves an event the report did not load to the integrity check', () => {
    const events = eventsOf(chain, { 'event-ship1': { custodial: true } });
    events.delete('event-inv');
    events.delete('event-gr1');
    const findings = signerFindings(chain, confirmationIn(events), events);
    expect(findings.map((finding) => finding.status)).toEqual(['warn']);
  });

  it('warns, with every event it means, when documents of the chain were signed with custodial keys', () => {
    const custodial = { custodial: true };
    const events = eventsOf(chain, {
      'event-po': custodial,
      'event-ship2': custodial,
      'event-gr1': custodial,
      'event-inv': custodial,
      confirm: custodial,
    });
    expect(signerFindings(chain, confirmationIn(events), events)).toEqual([
      {
        status: 'warn',
        summary:
          "5 documents of the chain were signed with a custodial key the platform holds, weaker evidence than a party's own key",
        evidence: [
          {
            label: 'signed with a custodial key',
            kind: 'event',
            values: ['event-po', 'event-ship2', 'event-gr1', 'event-inv', 'confirm'],
          },
        ],
      },
    ]);
  });

  it('counts a custodial confirmation only when there is one', () => {
    const events = eventsOf(chain, { 'event-ship1': { custodial: true }, confirm: { custodial: true } });
    const [missing, warning] = signerFindings(chain, undefined, events);
    expect(missing?.status).toBe('fail');
    expect(warning?.summary).toMatch(/^1 documents of the chain were signed with a custodial key/);
    expect(warning?.evidence[0]?.values).toEqual(['event-ship1']);
  });
});
