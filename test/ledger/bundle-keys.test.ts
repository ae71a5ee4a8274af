/**
 * Bundles from a ledger whose seller replaced its self-held key: the bundle carries the registration
 * of the replaced key too, and the verifier says who authorized the replacement.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import type { Actor } from '../../services/parties/party.js';
import { invoiceConfirmedKind } from '../../services/receivables/index.js';
import { createApiKey } from '../../services/registry/api-key.service.js';
import { approveKeyRecovery, requestKeyRecovery } from '../../services/registry/key-recovery.service.js';
import { revokePartyKey } from '../../services/registry/party-key.service.js';
import { invoiceKind } from '../../services/trade/index.js';
import { proofBundle } from '../../services/verify/bundle.service.js';
import { eventLabel } from '../../services/verify/key-binding.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import { addSigned, statementHashFor } from '../parties/key-support.js';
import { anchorAll } from '../support/anchor.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, testLogOrigin, useTestLedger } from '../support/ledger.js';
import { invoicePayload, recordChain, recorded, stated } from '../trade/trade-fixtures.js';

const ledger = useTestLedger();
const short = (publicKey: Buffer) => `${keyIdOf(publicKey).slice(0, 8)}…`;

/** A confirmed receivable whose seller facts `sellerKey` signs; the buyer is custodial. The bundle. */
async function bundleSignedBy(seller: TestParty, sellerKey: Ed25519KeyPair) {
  const buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
  const lines = [{ itemCode: 'A', quantity: '10', unitPrice: '100' }];
  const chain = await recordChain(ledger, buyer, seller, lines, { sellerKey });
  const invoice = invoicePayload(chain, lines, '1000.00');
  await stated(ledger, seller, invoiceKind, invoice, sellerKey);
  const receivableId = randomUUID();
  await recorded(ledger, buyer, invoiceConfirmedKind, { invoiceId: invoice.documentId, receivableId });
  await anchorAll(ledger);
  const bundle = await proofBundle(ledger.ledger, ledger.logSigner, seller.actor, receivableId);
  if (!bundle.ok) expect.fail(bundle.message);
  const bundled = JSON.parse(JSON.stringify(bundle.value));
  return {
    bundle: bundled,
    result: verifyBundle(bundled, { logKey: ledger.logSigner.verifierKey, origin: testLogOrigin }),
  };
}

function labelOf(bundle: { events: { kind: string; eventHash: string }[] }, kind: string): string {
  const position = bundle.events.findIndex((event) => event.kind === kind);
  return eventLabel((bundle.events[position] ?? expect.fail(`no ${kind}`)) as never, position);
}

async function administrator(): Promise<Actor> {
  const created = await createApiKey(ledger.ledger, ledger.admin, {
    partyId: ledger.ledger.platformPartyId,
    label: 'administrator',
    idempotencyKey: freshKey('admin'),
  });
  if (!created.ok) expect.fail(created.code);
  return { ...ledger.admin, apiKeyId: created.value.apiKey.id };
}

describe('a bundle behind a seller that replaced its self-held key', () => {
  it('holds the replaced key registration and shows the old key signed the rotation', async () => {
    const seller = await ledger.newParty(['supplier']);
    const first = seller.keyPair ?? expect.fail('a self-held key');
    const next = generateKeyPair();
    const rotated = await addSigned(ledger.ledger, seller.actor, seller.party.id, { current: first, next });
    expect(rotated.ok).toBe(true);
    const { bundle, result } = await bundleSignedBy(seller, next);
    expect(result).toMatchObject({ valid: true });
    expect(bundle.events.map((event: { kind: string }) => event.kind)).toContain('party_key.added');
    const registration = bundle.events.findIndex(
      (event: { kind: string; statement: string }) =>
        event.kind === 'party.registered' && JSON.parse(event.statement).payload.partyId === seller.party.id,
    );
    expect(result.checks).toContain(
      `${labelOf(bundle, 'party_key.added')}: signed by the self-held key ${short(first.publicKey)} of party ${seller.party.id} it replaces (bound by events[${registration}])`,
    );
  });

  it('says a key installed by administrator recovery signed, and that it replaced a key without its signature', async () => {
    const seller = await ledger.newParty(['supplier']);
    const first = seller.keyPair ?? expect.fail('a self-held key');
    const revoked = await revokePartyKey(ledger.ledger, seller.actor, {
      keyId: keyIdOf(first.publicKey),
      idempotencyKey: freshKey(),
    });
    expect(revoked.ok).toBe(true);
    const next = generateKeyPair();
    const [requester, approver] = [await administrator(), await administrator()];
    const choice = { partyId: seller.party.id, publicKey: toHex(next.publicKey), custodial: false };
    const hash = await statementHashFor(ledger.ledger, requester, choice);
    const requested = await requestKeyRecovery(ledger.ledger, requester, {
      ...choice,
      proofOfPossession: toHex(sign(next.privateKey, hash)),
      reason: 'key lost',
      idempotencyKey: freshKey(),
    });
    if (!requested.ok) expect.fail(requested.code);
    const approved = await approveKeyRecovery(ledger.ledger, approver, {
      requestId: requested.value.request.id,
      idempotencyKey: freshKey(),
    });
    expect(approved.ok).toBe(true);
    const { bundle, result } = await bundleSignedBy(seller, next);
    expect(result).toMatchObject({ valid: true });
    const added = labelOf(bundle, 'party_key.added');
    expect(result.checks).toContain(
      `${added}: replaces the self-held key ${short(first.publicKey)} of party ${seller.party.id} by administrator recovery, without that key's signature`,
    );
    const invoiceLine = result.checks.find((check) =>
      check.startsWith(`${labelOf(bundle, 'invoice.issued')}: signer key`),
    );
    expect(invoiceLine).toMatch(/ is bound to actor .*, a key installed by administrator recovery$/);
  });
});
