/**
 * A single signed submit checks its signature on the ledger's verifier threads, not on the event
 * loop, and the write relies on that verdict; when no thread could decide, the write checks inline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sign, toHex } from '../../services/crypto/index.js';
import type { SignatureVerifier, VerifyJob } from '../../services/crypto/verify-pool.js';
import { prepareFact, submitFact } from '../../services/events/fact.service.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { purchaseOrderPayload } from '../trade/trade-fixtures.js';

const t = useTestLedger();
let buyer: TestParty;
let seller: TestParty;

/** A verifier that records its jobs and answers what it is told. */
function scriptedVerifier(answer: (job: VerifyJob) => boolean | null) {
  const jobs: VerifyJob[] = [];
  const verifier: SignatureVerifier = {
    verifyMany: async (batch) => {
      jobs.push(...batch);
      return batch.map(answer);
    },
  };
  return { jobs, verifier };
}

async function signedOrder() {
  const payload = purchaseOrderPayload(buyer, seller, [{ itemCode: 'A', quantity: '1', unitPrice: '5' }]);
  const prepared = await prepareFact(t.ledger, seller.actor, purchaseOrderKind, payload, freshKey('po'));
  if (!prepared.ok || !seller.keyPair) throw new Error('prepared by a seller that holds its key');
  const signature = toHex(sign(seller.keyPair.privateKey, Buffer.from(prepared.value.eventHash, 'hex')));
  return { statement: prepared.value.statement, signature };
}

describe('a signed submit and the verifier threads', () => {
  beforeAll(async () => {
    buyer = await t.newParty(['core_enterprise'], { custodial: true });
    seller = await t.newParty(['supplier']);
  });

  it('checks the signature on the threads, once, and the write takes their verdict', async () => {
    const { statement, signature } = await signedOrder();
    const refusing = scriptedVerifier(() => false);
    const refused = await submitFact(
      { ...t.ledger, verifier: refusing.verifier },
      seller.actor,
      statement,
      signature,
    );
    expect(refusing.jobs).toHaveLength(1);
    expect(Buffer.from(refusing.jobs[0]?.signature ?? []).toString('hex')).toBe(signature);
    // A valid signature refused: the verdict of the threads is what the write used.
    expect(refused).toMatchObject({ ok: false, code: 'signature_invalid' });

    const accepting = scriptedVerifier(() => true);
    const accepted = await submitFact(
      { ...t.ledger, verifier: accepting.verifier },
      seller.actor,
      statement,
      signature,
    );
    expect(accepting.jobs).toHaveLength(1);
    expect(accepted).toMatchObject({ ok: true, value: { replayed: false } });
  });

  it('checks inline when no thread could decide', async () => {
    const { statement, signature } = await signedOrder();
    const undecided = scriptedVerifier(() => null);
    const answer = await submitFact(
      { ...t.ledger, verifier: undecided.verifier },
      seller.actor,
      statement,
      signature,
    );
    expect(undecided.jobs).toHaveLength(1);
    expect(answer).toMatchObject({ ok: true, value: { replayed: false } });
    const forged = `${signature.slice(0, -2)}${signature.endsWith('00') ? '01' : '00'}`;
    const { statement: other } = await signedOrder();
    const refused = await submitFact(
      { ...t.ledger, verifier: undecided.verifier },
      seller.actor,
      other,
      forged,
    );
    expect(refused).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('asks no thread for a custodial submit', async () => {
    const custodialSeller = await t.newParty(['supplier'], { custodial: true });
    const payload = purchaseOrderPayload(buyer, custodialSeller, [
      { itemCode: 'B', quantity: '1', unitPrice: '7' },
    ]);
    const prepared = await prepareFact(
      t.ledger,
      custodialSeller.actor,
      purchaseOrderKind,
      payload,
      freshKey('po'),
    );
    if (!prepared.ok) throw new Error(prepared.message);
    const watching = scriptedVerifier(() => true);
    const answer = await submitFact(
      { ...t.ledger, verifier: watching.verifier },
      custodialSeller.actor,
      prepared.value.statement,
      null,
    );
    expect(answer.ok).toBe(true);
    expect(watching.jobs).toHaveLength(0);
  });
});
