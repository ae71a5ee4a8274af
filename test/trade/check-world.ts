/**
 * The chains the write-time check tables run against, and the runner that asserts a rejection with
 * its code and field, at prepare and at submit, with nothing written.
 */
import { beforeAll, expect } from 'vitest';
import { prepareFact } from '../../services/events/fact.service.js';
import { freshKey } from '../support/fixtures.js';
import type { TestLedger, TestParty } from '../support/ledger.js';
import { type Chain, invoicePayload, issue, record, recordChain, snapshotAll } from './trade-fixtures.js';

export const w1 = { itemCode: 'W1', quantity: '100', unitPrice: '10.00' };
export const w2 = { itemCode: 'W2', quantity: '50', unitPrice: '2.50' };
export const mainLines = [w1, w2];
/** 60 x 10.00 + 50 x 2.50 = 725.00 */
export const invoiceLines = [{ itemCode: 'W1', quantity: '60', unitPrice: '10.00' }, w2];

export interface CheckWorld {
  buyer: TestParty;
  seller: TestParty;
  otherBuyer: TestParty;
  stranger: TestParty;
  carrier: TestParty;
  /** buyer <- seller: W1 100 @ 10.00 and W2 50 @ 2.50, shipped in full, 60 W1 and 50 W2 accepted. */
  main: Chain;
  /** otherBuyer <- seller. */
  otherParties: Chain;
  /** buyer <- seller, a second order, with an invoice numbered takenTaxNumber. */
  sibling: Chain;
  /** An order between two other parties, invisible to the seller. */
  strangers: Chain;
  takenTaxNumber: string;
}

export function useCheckWorld(ledger: TestLedger): CheckWorld {
  const world = {} as CheckWorld;
  beforeAll(async () => {
    world.buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    world.seller = await ledger.newParty(['supplier'], { custodial: true });
    world.otherBuyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    world.stranger = await ledger.newParty(['supplier'], { custodial: true });
    world.carrier = await ledger.newParty(['logistics'], { custodial: true });
    const { buyer, seller, otherBuyer, stranger } = world;
    world.main = await recordChain(ledger, buyer, seller, mainLines, { accepted: { W1: '60' } });
    world.otherParties = await recordChain(ledger, otherBuyer, seller, mainLines);
    world.sibling = await recordChain(ledger, buyer, seller, mainLines);
    world.strangers = await recordChain(ledger, otherBuyer, stranger, mainLines);
    world.takenTaxNumber = freshKey('TAX');
    const taken = await issue(
      ledger,
      world.sibling,
      invoicePayload(world.sibling, [w2], '125.00', { taxInvoiceNumber: world.takenTaxNumber }),
    );
    if (!taken.ok) throw new Error(`setup: ${taken.code}: ${taken.message}`);
  });
  return world;
}

export type Row = [
  name: string,
  code: string,
  field: string | undefined,
  actor: () => TestParty,
  kind: string,
  build: () => object,
];

/** Prepare and record (prepare + submit) both fail with the row's code and field; nothing is written. */
export async function expectRejected(ledger: TestLedger, row: Row): Promise<void> {
  const [, code, field, actor, kind, build] = row;
  const payload = build() as Record<string, unknown>;
  const before = await snapshotAll(ledger);
  const prepared = await prepareFact(ledger.ledger, actor().actor, kind, payload, freshKey('check'));
  expect(prepared).toMatchObject({ ok: false, code });
  if (!prepared.ok) expect(prepared.field).toBe(field);
  const recorded = await record(ledger, actor(), kind, payload);
  expect(recorded).toMatchObject({ ok: false, code });
  expect(await snapshotAll(ledger)).toBe(before);
}
