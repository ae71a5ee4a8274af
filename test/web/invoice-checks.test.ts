/**
 * The write-time checks the console shows beside an invoice waiting for confirmation
 * (web/src/pages/core/invoice-checks.ts): each passes on a sound chain and fails on the fault it names.
 */
import { describe, expect, it } from 'vitest';
import { type Chain, type ChainDoc, chainChecks } from '../../web/src/pages/core/invoice-checks';

const buyer = 'buyer';
const seller = 'seller';

function doc(kind: string, date: string, lines: ChainDoc['lines'], extra: Partial<ChainDoc> = {}): ChainDoc {
  return {
    kind,
    documentNumber: `${kind}-1`,
    documentDate: date,
    currency: 'CNY',
    buyerId: buyer,
    sellerId: seller,
    signerId: kind === 'GOODS_RECEIPT' ? buyer : seller,
    lines,
    ...extra,
  };
}

function soundChain(): Chain {
  return {
    purchaseOrder: doc('PURCHASE_ORDER', '2026-09-01', [
      { itemCode: 'GEAR', quantity: '120', unitPrice: '1050.00' },
      { itemCode: 'SHAFT', quantity: '3', unitPrice: '0.335' },
    ]),
    shipments: [
      doc('SHIPMENT', '2026-09-08', [
        { itemCode: 'GEAR', quantity: '120' },
        { itemCode: 'SHAFT', quantity: '3' },
      ]),
    ],
    goodsReceipts: [
      doc('GOODS_RECEIPT', '2026-09-10', [
        { itemCode: 'GEAR', quantity: '120' },
        { itemCode: 'SHAFT', quantity: '3' },
      ]),
    ],
    invoice: doc(
      'INVOICE',
      '2026-09-11',
      [
        { itemCode: 'GEAR', quantity: '120', unitPrice: '1050.00' },
        { itemCode: 'SHAFT', quantity: '3', unitPrice: '0.335' },
      ],
      { total: '126001.00', dueDate: '2026-12-10' },
    ),
  };
}

function failing(chain: Chain): string[] {
  return chainChecks(chain)
    .filter((check) => !check.pass)
    .map((check) => check.id);
}

describe('the checks beside an invoice to confirm', () => {
  it('all pass on a sound chain, with the line sum rounded half-even', () => {
    const checks = chainChecks(soundChain());
    expect(checks.map((check) => check.id)).toEqual([
      'total',
      'invoicedReceived',
      'receivedShipped',
      'dates',
      'parties',
      'signers',
    ]);
    expect(failing(soundChain())).toEqual([]);
    expect(checks[0]?.detail).toEqual({ total: '126001.00', lines: '126001.00' });
  });

  it('fails the total when it is not the sum of the lines', () => {
    const chain = soundChain();
    chain.invoice = { ...chain.invoice, total: '126001.01' };
    expect(failing(chain)).toEqual(['total']);
  });

  it('fails when more is invoiced than was received, naming the item', () => {
    const chain = soundChain();
    chain.invoice = {
      ...chain.invoice,
      lines: [{ itemCode: 'GEAR', quantity: '121', unitPrice: '1050.00' }],
      total: '127050.00',
    };
    expect(failing(chain)).toEqual(['invoicedReceived']);
    expect(chainChecks(chain)[1]?.detail.items).toBe('GEAR');
  });

  it('fails when more was received than shipped', () => {
    const chain = soundChain();
    chain.shipments = [
      doc('SHIPMENT', '2026-09-08', [
        { itemCode: 'GEAR', quantity: '100' },
        { itemCode: 'SHAFT', quantity: '3' },
      ]),
    ];
    expect(failing(chain)).toEqual(['receivedShipped']);
  });

  it('fails dates out of order and documents of other parties or signers', () => {
    const early = soundChain();
    early.invoice = { ...early.invoice, documentDate: '2026-09-09' };
    expect(failing(early)).toEqual(['dates']);
    const stranger = soundChain();
    stranger.shipments = [
      { ...(stranger.shipments[0] as ChainDoc), sellerId: 'someone-else', signerId: 'someone-else' },
    ];
    expect(failing(stranger)).toEqual(['parties', 'signers']);
    const seller_signed_receipt = soundChain();
    seller_signed_receipt.goodsReceipts = [
      { ...(seller_signed_receipt.goodsReceipts[0] as ChainDoc), signerId: seller },
    ];
    expect(failing(seller_signed_receipt)).toEqual(['signers']);
  });
});
