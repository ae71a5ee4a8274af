/**
 * Administrator recovery: the one way to install a key without the previous self-held key's
 * signature. Requested by one administrator API key, approved by another; the key is marked.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import type { Actor } from '../../services/parties/party.js';
import { findActiveKey, findKey } from '../../services/parties/party-key.repository.js';
import { createApiKey } from '../../services/registry/api-key.service.js';
import {
  approveKeyRecovery,
  type RequestKeyRecoveryInput,
  requestKeyRecovery,
} from '../../services/registry/key-recovery.service.js';
import { revokePartyKey } from '../../services/registry/party-key.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { addSigned, statementHashFor } from './key-support.js';

const ledger = useTestLedger();
let firstAdmin: Actor;
let secondAdmin: Actor;

async function administrator(label: string): Promise<Actor> {
  const created = await createApiKey(ledger.ledger, ledger.admin, {
    partyId: ledger.ledger.platformPartyId,
    label,
    idempotencyKey: freshKey('admin-key'),
  });
  if (!created.ok) expect.fail(`test setup: ${created.code}`);
  return { ...ledger.admin, apiKeyId: created.value.apiKey.id };
}

beforeAll(async () => {
  firstAdmin = await administrator('first administrator');
  secondAdmin = await administrator('second administrator');
});

function ownKeyPair(party: TestParty): Ed25519KeyPair {
  return party.keyPair ?? expect.fail('test setup: a party with its own key pair expected');
}

/** A request for `next` (custodial when null), with its proof of possession. */
async function recoveryInput(
  party: TestParty,
  next: Ed25519KeyPair | null,
): Promise<RequestKeyRecoveryInput> {
  const choice = {
    partyId: party.party.id,
    publicKey: next && toHex(next.publicKey),
    custodial: next === null,
  };
  const hash = await statementHashFor(ledger.ledger, firstAdmin, choice);
  return {
    ...choice,
    proofOfPossession: next && toHex(sign(next.privateKey, hash)),
    reason: 'the supplier lost its signing key in a server failure; identity checked by video call',
    idempotencyKey: freshKey('recovery'),
  };
}

async function requested(party: TestParty, next: Ed25519KeyPair | null, actor = firstAdmin) {
  const result = await requestKeyRecovery(ledger.ledger, actor, await recoveryInput(party, next));
  if (!result.ok) expect.fail(`request: ${result.code}: ${result.message}`);
  return result.value.request;
}

async function revokedParty(): Promise<TestParty> {
  const party = await ledger.newParty(['supplier']);
  const revoked = await revokePartyKey(ledger.ledger, party.actor, {
    keyId: keyIdOf(ownKeyPair(party).publicKey),
    idempotencyKey: freshKey('revoke'),
  });
  if (!revoked.ok) expect.fail('test setup: revocation failed');
  return party;
}

async function expectRefusedWritingNothing(run: () => Promise<unknown>, code: string, field?: string) {
  const before = await ledger.snapshot();
  expect(await run()).toMatchObject({ ok: false, code, ...(field ? { field } : {}) });
  expect(await ledger.snapshot()).toBe(before);
}

describe('a recovery requested and approved by two administrator API keys', () => {
  it('installs the key after a revocation, marked administrator_recovery, and records both acts', async () => {
    const party = await revokedParty();
    const next = generateKeyPair();
    const request = await requested(party, next);
    expect(await findActiveKey(ledger.owner.db, party.party.id)).toBeUndefined();
    const approved = await approveKeyRecovery(ledger.ledger, secondAdmin, {
      requestId: request.id,
      idempotencyKey: freshKey('approve'),
    });
    expect(approved).toMatchObject({
      ok: true,
      value: {
        replayed: false,
        key: { keyId: keyIdOf(next.publicKey), authorization: 'administrator_recovery' },
      },
    });
    expect((await findKey(ledger.owner.db, keyIdOf(ownKeyPair(party).publicKey)))?.status).toBe('revoked');
    const added = await ledger.owner.db
      .selectFrom('event')
      .selectAll()
      .where('kind', '=', 'party_key.added')
      .where('counterparty_party_id', '=', party.party.id)
      .executeTakeFirstOrThrow();
    expect(added.payload).toMatchObject({
      authorization: 'administrator_recovery',
      previousKeyId: keyIdOf(ownKeyPair(party).publicKey),
      rotatedKeyId: null,
      statement: request.statement,
      currentKeySignature: null,
      proofOfPossession: request.proofOfPossession,
      recovery: {
        requestEventId: request.id,
        requestEventHash: toHex(request.eventHash),
        requestedByApiKeyId: firstAdmin.apiKeyId,
        approvedByApiKeyId: secondAdmin.apiKeyId,
      },
    });
    expect(JSON.parse(added.statement.toString('utf8')).refs).toEqual([toHex(request.eventHash)]);
  });

  it('replaces a self-held key that is still active (the party lost it), which becomes rotated', async () => {
    const party = await ledger.newParty(['supplier']);
    const request = await requested(party, null);
    const approved = await approveKeyRecovery(ledger.ledger, secondAdmin, {
      requestId: request.id,
      idempotencyKey: freshKey('approve'),
    });
    expect(approved).toMatchObject({
      ok: true,
      value: { key: { custodial: true, authorization: 'administrator_recovery' } },
    });
    expect((await findKey(ledger.owner.db, keyIdOf(ownKeyPair(party).publicKey)))?.status).toBe('rotated');
  });

  it('replays both acts idempotently, writing nothing the second time', async () => {
    const party = await revokedParty();
    const input = await recoveryInput(party, generateKeyPair());
    const first = await requestKeyRecovery(ledger.ledger, firstAdmin, input);
    let before = await ledger.snapshot();
    const again = await requestKeyRecovery(ledger.ledger, firstAdmin, input);
    expect(again).toEqual(first.ok ? { ok: true, value: { ...first.value, replayed: true } } : first);
    expect(await ledger.snapshot()).toBe(before);

    const approval = {
      requestId: first.ok ? first.value.request.id : '',
      idempotencyKey: freshKey('approve'),
    };
    const approved = await approveKeyRecovery(ledger.ledger, secondAdmin, approval);
    before = await ledger.snapshot();
    const replay = await approveKeyRecovery(ledger.ledger, secondAdmin, approval);
    expect(replay).toEqual(
      approved.ok ? { ok: true, value: { ...approved.value, replayed: true } } : approved,
    );
    expect(await ledger.snapshot()).toBe(before);
  });
});

describe('recovery rejections', () => {
  let party: TestParty;
  beforeAll(async () => {
    party = await revokedParty();
  });

  it('refuses approval with the API key that requested it', async () => {
    const request = await requested(party, generateKeyPair());
    await expectRefusedWritingNothing(
      () =>
        approveKeyRecovery(ledger.ledger, firstAdmin, { requestId: request.id, idempotencyKey: freshKey() }),
      'forbidden',
    );
  });

  it('refuses a non-administrator, and an administrator without an API key, at either step', async () => {
    const request = await requested(party, generateKeyPair());
    const partyActor = { ...party.actor, apiKeyId: firstAdmin.apiKeyId ?? '' };
    const approval = { requestId: request.id, idempotencyKey: freshKey() };
    for (const actor of [partyActor, ledger.admin]) {
      const input = await recoveryInput(party, generateKeyPair());
      await expectRefusedWritingNothing(() => requestKeyRecovery(ledger.ledger, actor, input), 'forbidden');
      await expectRefusedWritingNothing(
        () => approveKeyRecovery(ledger.ledger, actor, approval),
        'forbidden',
      );
    }
  });

  it('refuses a second approval of the same request, and a request the party has moved past', async () => {
    const target = await revokedParty();
    const stale = await requested(target, generateKeyPair());
    const request = await requested(target, generateKeyPair());
    const approved = await approveKeyRecovery(ledger.ledger, secondAdmin, {
      requestId: request.id,
      idempotencyKey: freshKey(),
    });
    expect(approved.ok).toBe(true);
    for (const requestId of [request.id, stale.id]) {
      await expectRefusedWritingNothing(
        () => approveKeyRecovery(ledger.ledger, secondAdmin, { requestId, idempotencyKey: freshKey() }),
        'key_recovery_not_pending',
        'requestId',
      );
    }
  });

  it('refuses a stale request after the party rotated with its own key', async () => {
    const target = await ledger.newParty(['supplier']);
    const request = await requested(target, generateKeyPair());
    const rotated = await addSigned(ledger.ledger, target.actor, target.party.id, {
      current: ownKeyPair(target),
      next: generateKeyPair(),
    });
    expect(rotated.ok).toBe(true);
    await expectRefusedWritingNothing(
      () =>
        approveKeyRecovery(ledger.ledger, secondAdmin, { requestId: request.id, idempotencyKey: freshKey() }),
      'key_recovery_not_pending',
    );
  });

  it('refuses an unknown request id, and the id of an event that is no recovery request', async () => {
    const [registered] = await ledger.owner.db
      .selectFrom('event')
      .select('id')
      .where('kind', '=', 'party.registered')
      .limit(1)
      .execute();
    for (const requestId of ['00000000-0000-4000-8000-000000000000', registered?.id ?? '']) {
      await expectRefusedWritingNothing(
        () => approveKeyRecovery(ledger.ledger, secondAdmin, { requestId, idempotencyKey: freshKey() }),
        'key_recovery_not_found',
        'requestId',
      );
    }
  });

  it.each([
    [
      'no proof of possession',
      { proofOfPossession: null },
      'proof_of_possession_required',
      'proofOfPossession',
    ],
    [
      'a proof that does not verify',
      { proofOfPossession: '11'.repeat(64) },
      'proof_of_possession_invalid',
      'proofOfPossession',
    ],
    ['an empty reason', { reason: '' }, 'invalid_input', 'reason'],
    ['a reason of 501 characters', { reason: 'r'.repeat(501) }, 'invalid_input', 'reason'],
    ['an unknown party', { partyId: '00000000-0000-4000-8000-000000000000' }, 'party_not_found', 'partyId'],
  ] as const)('refuses a request with %s, writing nothing', async (_label, overrides, code, field) => {
    const input = { ...(await recoveryInput(party, generateKeyPair())), ...overrides };
    await expectRefusedWritingNothing(
      () => requestKeyRecovery(ledger.ledger, firstAdmin, input),
      code,
      field,
    );
  });

  it("refuses a request for another party's registered key", async () => {
    const other = await ledger.newParty(['supplier']);
    const input = {
      ...(await recoveryInput(party, generateKeyPair())),
      publicKey: toHex(ownKeyPair(other).publicKey),
    };
    await expectRefusedWritingNothing(
      () => requestKeyRecovery(ledger.ledger, firstAdmin, input),
      'key_already_registered',
      'publicKey',
    );
  });
});
