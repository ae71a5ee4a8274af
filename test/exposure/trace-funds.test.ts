/**
 * The traceFunds sweep on hand-computed cases: two hops with remainders, allocations of one payment
 * consuming the balance in receivable order, a cycle, the maxDepth cut, and payments before the
 * disbursement or after asOf left out. Amounts are minor units.
 */
import { describe, expect, it } from 'vitest';
import {
  type TraceInput,
  type TracePayment,
  type TraceResult,
  traceFunds,
} from '../../services/exposure/trace-funds.js';

const t0 = new Date('2026-11-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

let paymentCount = 0;
/** One payment by `payer` at minute `minute`, paying [payee, amount] on receivables r1, r2, ... */
function paid(payer: string, minute: number, ...allocations: Array<[string, bigint]>): TracePayment {
  paymentCount += 1;
  return {
    paymentId: `p${String(paymentCount).padStart(3, '0')}`,
    payerPartyId: payer,
    recordedAt: at(minute),
    allocations: allocations.map(([payee, amountMinor], index) => ({
      receivableId: `r${paymentCount}-${index + 1}`,
      payeePartyId: payee,
      amountMinor,
    })),
  };
}

const input = (payments: TracePayment[], overrides: Partial<TraceInput> = {}): TraceInput => ({
  recipientPartyId: 'S',
  advanceMinor: 100_000n,
  disbursedAt: t0,
  maxDepth: 3,
  payments,
  ...overrides,
});

/** [party, depth, in, out, unexplained, followed] */
const nodeRows = (result: TraceResult) =>
  result.nodes.map((n) => [
    n.partyId,
    n.depth,
    n.tracedInMinor,
    n.tracedOutMinor,
    n.unexplainedMinor,
    n.followed,
  ]);

const flowRows = (result: TraceResult) =>
  result.flows.map((f) => [f.fromPartyId, f.toPartyId, f.amountMinor]);

describe('traceFunds (the sweep)', () => {
  it('two hops: S pays A and B, A pays C; each keeps an unexplained remainder', () => {
    const result = traceFunds(
      input([
        paid('S', 1, ['A', 40_000n]),
        paid('A', 2, ['C', 15_000n]),
        paid('S', 3, ['B', 35_000n]),
        // C is at depth 2 < 3: followed, but it has only 15,000 traced.
        paid('C', 4, ['D', 20_000n]),
      ]),
    );
    expect(nodeRows(result)).toEqual([
      ['S', 0, 100_000n, 75_000n, 25_000n, true],
      ['A', 1, 40_000n, 15_000n, 25_000n, true],
      ['B', 1, 35_000n, 0n, 35_000n, true],
      ['C', 2, 15_000n, 15_000n, 0n, true],
      ['D', 3, 15_000n, 0n, 15_000n, false],
    ]);
    expect(flowRows(result)).toEqual([
      ['S', 'A', 40_000n],
      ['A', 'C', 15_000n],
      ['S', 'B', 35_000n],
      ['C', 'D', 15_000n],
    ]);
    expect(result.totals).toEqual({
      flowedMinor: 105_000n,
      unexplainedMinor: 85_000n,
      beyondDepthMinor: 15_000n,
    });
  });

  it('oldest payment first until the advance is used up; later payments move nothing', () => {
    const result = traceFunds(
      input([paid('S', 5, ['B', 70_000n]), paid('S', 2, ['A', 60_000n]), paid('S', 9, ['C', 1n])]),
    );
    expect(flowRows(result)).toEqual([
      ['S', 'A', 60_000n],
      ['S', 'B', 40_000n],
    ]);
    expect(result.nodes.map((n) => n.partyId)).toEqual(['S', 'A', 'B']);
  });

  it('allocations of one payment consume the balance in receivable order', () => {
    const payment: TracePayment = {
      paymentId: 'p-multi',
      payerPartyId: 'S',
      recordedAt: at(1),
      allocations: [
        { receivableId: 'rb', payeePartyId: 'B', amountMinor: 80_000n },
        { receivableId: 'ra', payeePartyId: 'A', amountMinor: 50_000n },
      ],
    };
    expect(flowRows(traceFunds(input([payment])))).toEqual([
      ['S', 'A', 50_000n],
      ['S', 'B', 50_000n],
    ]);
  });

  it('inside one millisecond, the recording order (sequence) decides, not the payment id', () => {
    const same = (paymentId: string, sequence: number, payee: string): TracePayment => ({
      paymentId,
      sequence,
      payerPartyId: 'S',
      recordedAt: at(1),
      allocations: [{ receivableId: `r-${paymentId}`, payeePartyId: payee, amountMinor: 70_000n }],
    });
    expect(flowRows(traceFunds(input([same('p-a', 1, 'A'), same('p-b', 0, 'B')])))).toEqual([
      ['S', 'B', 70_000n],
      ['S', 'A', 30_000n],
    ]);
  });

  it('a cycle: money that comes back to S is traced again, and the sweep ends', () => {
    const result = traceFunds(
      input([
        paid('S', 1, ['A', 60_000n]),
        paid('A', 2, ['S', 10_000n]),
        paid('S', 3, ['B', 100_000n]),
        paid('B', 4, ['A', 5_000n]),
      ]),
    );
    expect(nodeRows(result)).toEqual([
      ['S', 0, 110_000n, 110_000n, 0n, true],
      ['A', 1, 65_000n, 10_000n, 55_000n, true],
      ['B', 1, 50_000n, 5_000n, 45_000n, true],
    ]);
    expect(result.totals).toEqual({
      flowedMinor: 125_000n,
      unexplainedMinor: 100_000n,
      beyondDepthMinor: 0n,
    });
  });

  it('maxDepth cuts: a party reached at maxDepth keeps what arrives', () => {
    const payments = [
      paid('S', 1, ['A', 30_000n]),
      paid('A', 2, ['B', 20_000n]),
      paid('B', 3, ['C', 5_000n]),
    ];
    const one = traceFunds(input(payments, { maxDepth: 1 }));
    expect(nodeRows(one)).toEqual([
      ['S', 0, 100_000n, 30_000n, 70_000n, true],
      ['A', 1, 30_000n, 0n, 30_000n, false],
    ]);
    expect(one.totals).toEqual({
      flowedMinor: 30_000n,
      unexplainedMinor: 70_000n,
      beyondDepthMinor: 30_000n,
    });
    const two = traceFunds(input(payments, { maxDepth: 2 }));
    expect(nodeRows(two)).toEqual([
      ['S', 0, 100_000n, 30_000n, 70_000n, true],
      ['A', 1, 30_000n, 20_000n, 10_000n, true],
      ['B', 2, 20_000n, 0n, 20_000n, false],
    ]);
  });

  it('payments before the disbursement and after asOf are left out', () => {
    const payments = [
      paid('S', -5, ['A', 90_000n]),
      paid('S', 1, ['B', 10_000n]),
      paid('S', 10, ['C', 20_000n]),
      paid('X', 2, ['S', 50_000n]),
    ];
    const now = traceFunds(input(payments));
    expect(flowRows(now)).toEqual([
      ['S', 'B', 10_000n],
      ['S', 'C', 20_000n],
    ]);
    const then = traceFunds(input(payments, { asOf: at(9) }));
    expect(flowRows(then)).toEqual([['S', 'B', 10_000n]]);
    // X held no traced money: what it paid S is not traced.
    expect(then.nodes.map((n) => [n.partyId, n.tracedInMinor])).toEqual([
      ['S', 100_000n],
      ['B', 10_000n],
    ]);
  });

  it('a payment by a party with no traced balance, or to itself, moves nothing', () => {
    const result = traceFunds(
      input([paid('S', 1, ['S', 5_000n], ['A', 100_000n]), paid('S', 2, ['B', 1n]), paid('Z', 3, ['A', 7n])]),
    );
    expect(flowRows(result)).toEqual([['S', 'A', 100_000n]]);
    expect(nodeRows(result)).toEqual([
      ['S', 0, 100_000n, 100_000n, 0n, true],
      ['A', 1, 100_000n, 0n, 100_000n, true],
    ]);
  });
});
