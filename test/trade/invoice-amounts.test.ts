import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareFact } from '../../services/events/fact.service.js';
import { fromScaled, lineAmountMinor, quantityScale } from '../../services/money/decimal.js';
import { formatAmount } from '../../services/money/money.js';
import { invoiceKind } from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  type Chain,
  invoicePayload,
  issue,
  type OrderLine,
  recordChain,
  storedDocument,
} from './trade-fixtures.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  seller = await ledger.newParty(['supplier'], { custodial: true });
});

function prepareInvoice(chain: Chain, lines: OrderLine[], total: string) {
  return prepareFact(
    ledger.ledger,
    seller.actor,
    invoiceKind,
    invoicePayload(chain, lines, total),
    freshKey('inv'),
  );
}

describe('line amounts round half to even', () => {
  const cases: Array<[currency: string, lines: OrderLine[], total: string, naive: string]> = [
    // 3 x 0.335 = 1.005 -> 1.00 (0 is even), not 1.01
    ['CNY', [{ itemCode: 'A', quantity: '3', unitPrice: '0.335' }], '1.00', '1.01'],
    // 2.5 x 0.01 = 0.025 -> 0.02
    ['CNY', [{ itemCode: 'B', quantity: '2.5', unitPrice: '0.01' }], '0.02', '0.03'],
    // 0.015 -> 0.02 (2 is even): half-even rounds up here
    ['CNY', [{ itemCode: 'C', quantity: '1.5', unitPrice: '0.01' }], '0.02', '0.01'],
    // JPY has no minor digits: 3 x 333.5 = 1000.5 -> 1000; 3 x 0.5 = 1.5 -> 2
    [
      'JPY',
      [
        { itemCode: 'D', quantity: '3', unitPrice: '333.5' },
        { itemCode: 'E', quantity: '3', unitPrice: '0.5' },
      ],
      '1002',
      '1003',
    ],
    // BHD has three: 2 x 1.2345 = 2.469; 3 x 0.0005 = 0.0015 -> 0.002; 5 x 0.0005 = 0.0025 -> 0.002
    [
      'BHD',
      [
        { itemCode: 'F', quantity: '2', unitPrice: '1.2345' },
        { itemCode: 'G', quantity: '3', unitPrice: '0.0005' },
        { itemCode: 'H', quantity: '5', unitPrice: '0.0005' },
      ],
      '2.473',
      '2.474',
    ],
  ];

  it.each(cases)('in %s, %j totals %s, not %s', async (currency, lines, total, naive) => {
    const chain = await recordChain(ledger, buyer, seller, lines, { currency });
    const order = await storedDocument(ledger, chain.orderId);
    expect(formatAmount(order.total_minor ?? 0n, currency)).toBe(total);
    expect(await prepareInvoice(chain, lines, naive)).toMatchObject({
      ok: false,
      code: 'invoice_total_mismatch',
    });
    const payload = invoicePayload(chain, lines, total);
    const issued = await issue(ledger, chain, payload);
    expect(issued.ok).toBe(true);
    const invoice = await storedDocument(ledger, String(payload.documentId));
    expect(formatAmount(invoice.total_minor ?? 0n, currency)).toBe(total);
    expect((invoice.body as { total: string }).total).toBe(total);
  });

  it('writes a total in the currency normal form: "7.5" CNY is stored as "7.50"', async () => {
    const lines = [{ itemCode: 'A', quantity: '3', unitPrice: '2.5' }];
    const chain = await recordChain(ledger, buyer, seller, lines);
    const payload = invoicePayload(chain, lines, '7.5');
    expect((await issue(ledger, chain, payload)).ok).toBe(true);
    expect(await storedDocument(ledger, String(payload.documentId))).toMatchObject({
      total_minor: 750n,
      body: { total: '7.50' },
    });
  });

  it('rejects a JPY total with decimals and a BHD total with four', async () => {
    const lines = [{ itemCode: 'A', quantity: '1', unitPrice: '100' }];
    const yen = await recordChain(ledger, buyer, seller, lines, { currency: 'JPY' });
    expect(await prepareInvoice(yen, lines, '100.0')).toMatchObject({
      ok: false,
      code: 'invalid_input',
      field: 'total',
    });
    const dinar = await recordChain(ledger, buyer, seller, lines, { currency: 'BHD' });
    expect(await prepareInvoice(dinar, lines, '100.0000')).toMatchObject({
      ok: false,
      code: 'invalid_input',
      field: 'total',
    });
  });
});

const scaled = (max: bigint) => fc.bigInt({ min: 1n, max }).map((value) => fromScaled(value, quantityScale));
const lineSets = fc.array(fc.record({ quantity: scaled(10n ** 10n), unitPrice: scaled(10n ** 10n) }), {
  minLength: 1,
  maxLength: 6,
});

describe('invoice totals (property)', () => {
  it('stores Σ lineAmountMinor and accepts exactly that total, never one minor unit more or less', async () => {
    await fc.assert(
      fc.asyncProperty(lineSets, fc.constantFrom('CNY', 'JPY', 'BHD'), async (drawn, currency) => {
        const lines = drawn.map((line, index) => ({ itemCode: `ITEM-${index}`, ...line }));
        const amounts = lines.map((line) => lineAmountMinor(line.quantity, line.unitPrice, currency));
        fc.pre(amounts.every((amount) => amount > 0n));
        const expected = amounts.reduce((sum, amount) => sum + amount, 0n);
        const chain = await recordChain(ledger, buyer, seller, lines, { currency });
        expect((await storedDocument(ledger, chain.orderId)).total_minor).toBe(expected);
        const exact = await prepareInvoice(chain, lines, formatAmount(expected, currency));
        expect(exact.ok).toBe(true);
        const over = await prepareInvoice(chain, lines, formatAmount(expected + 1n, currency));
        expect(over).toMatchObject({ ok: false, code: 'invoice_total_mismatch', field: 'total' });
        const under = await prepareInvoice(chain, lines, formatAmount(expected - 1n, currency));
        const underCode = expected > 1n ? 'invoice_total_mismatch' : 'invalid_input';
        expect(under).toMatchObject({ ok: false, code: underCode, field: 'total' });
      }),
      { numRuns: 25 },
    );
  });
});
