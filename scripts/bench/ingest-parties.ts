/**
 * The ingest bench's trade: buyers with custodial keys, sellers holding their own keys (so the bench
 * signs as a seller's own system would), and signed purchase orders from every seller to buyers in
 * turn. A statement is prepared exactly as prepareFact prepares a purchase order (which has no fact
 * chain and no refs): the payload in the fact's normal form, the buyer as counterparty, the time now
 * and a fresh salt; then the seller signs its eventHash.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Ledger } from '../../services/context.js';
import { generateKeyPair, sign, toHex } from '../../services/crypto/index.js';
import { prepare } from '../../services/events/envelope.js';
import type { Actor, PartyRole } from '../../services/parties/party.js';
import { withLeiCheck } from '../../services/parties/registration-id.js';
import { createApiKey } from '../../services/registry/api-key.service.js';
import { registerParty } from '../../services/registry/party.service.js';
import { purchaseOrderFact, purchaseOrderKind } from '../../services/trade/index.js';
import { registrationProof } from '../client/key-proofs.js';

export interface BenchParty {
  partyId: string;
  apiKey: string;
  privateKey: Buffer | null;
}

export interface SignedStatement {
  statement: string;
  signature: string;
}

function benchLei(): string {
  return withLeiCheck(`BENCH${randomBytes(7).toString('hex').toUpperCase().slice(0, 13)}`);
}

export async function registerBenchParty(
  ledger: Ledger,
  admin: Actor,
  roles: PartyRole[],
  selfHeld: boolean,
) {
  const registrationId = benchLei();
  const pair = selfHeld ? generateKeyPair() : null;
  const proof = pair && registrationProof(pair.privateKey, registrationId);
  const registered = await registerParty(ledger, admin, {
    legalName: `Bench ${roles[0]} ${registrationId}`,
    registrationId,
    roles,
    parentPartyId: null,
    publicKey: proof?.publicKey ?? null,
    proofOfPossession: proof?.proofOfPossession ?? null,
    custodialKey: !selfHeld,
    idempotencyKey: `bench-${registrationId}`,
  });
  if (!registered.ok) throw new Error(`registering a bench party: ${registered.code}: ${registered.message}`);
  const partyId = registered.value.party.id;
  const created = await createApiKey(ledger, admin, {
    partyId,
    label: 'bench',
    idempotencyKey: `bench-key-${partyId}`,
  });
  if (!created.ok || created.value.secret === null) throw new Error('creating a bench API key failed');
  return { partyId, apiKey: created.value.secret, privateKey: pair?.privateKey ?? null };
}

export async function registerBenchParties(ledger: Ledger, counts: { buyers: number; sellers: number }) {
  const admin: Actor = { partyId: ledger.platformPartyId, roles: ['platform_admin'] };
  const buyers: BenchParty[] = [];
  const sellers: BenchParty[] = [];
  for (let index = 0; index < counts.buyers; index++)
    buyers.push(await registerBenchParty(ledger, admin, ['core_enterprise'], false));
  for (let index = 0; index < counts.sellers; index++)
    sellers.push(await registerBenchParty(ledger, admin, ['supplier'], true));
  return { buyers, sellers };
}

const lines = [
  {
    itemCode: 'GEAR-M4-40T',
    description: 'Spur gear, module 4, 40 teeth',
    quantity: '120',
    unit: 'pcs',
    unitPrice: '386.50',
  },
  {
    itemCode: 'BRG-6312',
    description: 'Deep-groove ball bearing 6312',
    quantity: '300',
    unit: 'pcs',
    unitPrice: '92.8',
  },
];

/** One signed purchase order of `seller` to `buyer`, numbered `number` within the run. */
export function signedOrder(
  seller: BenchParty,
  buyer: BenchParty,
  number: number,
  run: string,
): SignedStatement {
  if (seller.privateKey === null) throw new Error('a bench seller holds its own key');
  const payload = purchaseOrderFact.parse({
    documentId: randomUUID(),
    buyerPartyId: buyer.partyId,
    sellerPartyId: seller.partyId,
    orderNumber: `PO-${run}-${number}`,
    orderDate: '2025-03-01',
    requestedDeliveryDate: '2025-03-20',
    currency: 'CNY',
    lines: lines.map((line, index) => ({ lineNumber: index + 1, ...line })),
  });
  if (!payload.ok) throw new Error(`bench purchase order: ${payload.code}: ${payload.message}`);
  const prepared = prepare({
    kind: purchaseOrderKind,
    actor: seller.partyId,
    counterparty: buyer.partyId,
    refs: [],
    payload: payload.value,
    occurredAt: new Date().toISOString(),
    salt: randomBytes(16).toString('hex'),
    idempotencyKey: `bench-${run}-${number}`,
  });
  return {
    statement: prepared.statement.toString('utf8'),
    signature: toHex(sign(seller.privateKey, prepared.eventHash)),
  };
}
