/** Witnesses: registration, cosigning after a consistency check, and every refusal. */
import { beforeAll, describe, expect, it } from 'vitest';
import { type WitnessState, witnessOnce } from '../../scripts/client/witness.js';
import { type Ed25519KeyPair, generateKeyPair, sha256 } from '../../services/crypto/index.js';
import { parseVerifierKey } from '../../services/crypto/signed-note.js';
import {
  cosignCheckpoint as cosignNote,
  signCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
} from '../../services/ledger/checkpoint.js';
import { findCheckpoint } from '../../services/ledger/proof.repository.js';
import { witnessVerifierKey } from '../../services/ledger/witness.js';
import { cosignCheckpoint, registerWitness } from '../../services/ledger/witness.service.js';
import { anchorAll } from '../support/anchor.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, testLogOrigin, useTestLedger } from '../support/ledger.js';
import { apiClient, presentingClient, rewrittenLog } from './witness-support.js';

const ledger = useTestLedger();

const registerMutation = `mutation ($name: String!, $publicKey: HexBytes!, $idempotencyKey: String!) {
  registerWitness(name: $name, publicKey: $publicKey, idempotencyKey: $idempotencyKey) {
    __typename
    ... on DomainError { code field message }
    ... on WitnessPayload { replayed witness { id name publicKey verifierKey } }
  }
}`;

const witnessName = 'witness.lender.test';
let lender: TestParty;
let witnessKeys: Ed25519KeyPair;
let witnessId: string;
/** The witness's state after each round, as its side would persist it. */
const states: WitnessState[] = [];

/** A fresh cosignature line over the stored checkpoint of `treeSize`. */
async function lineFor(treeSize: number, name: string, privateKey: Buffer): Promise<string> {
  const checkpoint = await findCheckpoint(ledger.app.db, treeSize);
  if (!checkpoint) throw new Error(`no checkpoint of size ${treeSize}`);
  const cosigned = cosignNote(checkpoint.note, name, privateKey, Math.floor(Date.now() / 1000));
  return cosigned.slice(checkpoint.note.length, -1);
}

function witnessRound(state: WitnessState | null, client = apiClient(ledger, lender.apiKey)) {
  return witnessOnce({
    client,
    logVerifierKey: ledger.logSigner.verifierKey,
    witnessId,
    witnessName,
    witnessPrivateKey: witnessKeys.privateKey,
    state,
  });
}

describe('witnesses', () => {
  beforeAll(async () => {
    lender = await ledger.newParty(['lender']);
    witnessKeys = generateKeyPair();
  });

  it('lets a lender register a witness key, recorded as a registry event; a replay returns it', async () => {
    const variables = {
      name: witnessName,
      publicKey: witnessKeys.publicKey.toString('hex'),
      idempotencyKey: freshKey('witness'),
    };
    const first = await ledger.gql(registerMutation, variables, lender.apiKey);
    expect(first.data.registerWitness).toMatchObject({ __typename: 'WitnessPayload', replayed: false });
    const witness = first.data.registerWitness.witness;
    witnessId = witness.id;
    expect(witness.verifierKey).toBe(
      witnessVerifierKey({ name: witnessName, publicKey: witnessKeys.publicKey }),
    );
    const again = await ledger.gql(registerMutation, variables, lender.apiKey);
    expect(again.data.registerWitness).toEqual({ __typename: 'WitnessPayload', replayed: true, witness });
    const events = await ledger.owner.db
      .selectFrom('event')
      .select('payload')
      .where('kind', '=', 'witness.registered')
      .execute();
    expect(events.map((event) => (event.payload as { witnessId: string }).witnessId)).toEqual([witnessId]);
  });

  it.each<[string, { name?: string; publicKey?: string }, string]>([
    ['a taken name', { name: witnessName }, 'witness_already_registered'],
    ['a taken key', { publicKey: 'self' }, 'witness_already_registered'],
    ['a name with a space', { name: 'my witness' }, 'invalid_input'],
    ['a name with a plus', { name: 'witness+1' }, 'invalid_input'],
    ['a key that is not 32 bytes', { publicKey: 'abcd' }, 'public_key_invalid'],
  ])('refuses %s with %s, writing nothing', async (_label, override, code) => {
    const before = await ledger.snapshot();
    const publicKey =
      override.publicKey === 'self'
        ? witnessKeys.publicKey.toString('hex')
        : (override.publicKey ?? generateKeyPair().publicKey.toString('hex'));
    const result = await registerWitness(ledger.ledger, lender.actor, {
      name: override.name ?? freshKey('witness'),
      publicKey,
      idempotencyKey: freshKey(),
    });
    expect(result).toMatchObject({ ok: false, code });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('lets only lenders and auditors register witnesses', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const before = await ledger.snapshot();
    const input = {
      name: freshKey('witness'),
      publicKey: generateKeyPair().publicKey.toString('hex'),
      idempotencyKey: freshKey(),
    };
    expect(await registerWitness(ledger.ledger, supplier.actor, input)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await ledger.snapshot()).toBe(before);
    const auditor = await ledger.newParty(['auditor']);
    expect(await registerWitness(ledger.ledger, auditor.actor, input)).toMatchObject({ ok: true });
  });

  it('cosigns the first checkpoint, then a later one after checking it is consistent', async () => {
    const firstSize = await anchorAll(ledger);
    const first = await witnessRound(null);
    if (!first.ok) throw new Error(first.reason);
    expect(first).toMatchObject({ cosigned: true, treeSize: firstSize });
    states.push(first.state);

    await ledger.newParty(['supplier']);
    const secondSize = await anchorAll(ledger);
    expect(secondSize).toBeGreaterThan(firstSize);
    const second = await witnessRound(first.state);
    if (!second.ok) throw new Error(second.reason);
    expect(second).toMatchObject({ cosigned: true, treeSize: secondSize });
    states.push(second.state);

    const idle = await witnessRound(second.state);
    expect(idle).toMatchObject({ ok: true, cosigned: false, state: second.state });
  });

  it('shows the cosignatures on the checkpoint, and a cosigned note that verifies with both keys', async () => {
    const [, latest] = states;
    const answer = await ledger.gql(
      `{ checkpoint(treeSize: ${latest?.size}) { ... on Checkpoint {
           note cosignedNote cosignatures { witness witnessId cosignedAt signatureLine } } } }`,
    );
    const { note, cosignedNote, cosignatures } = answer.data.checkpoint;
    expect(cosignatures).toHaveLength(1);
    expect(cosignatures[0]).toMatchObject({ witness: witnessName, witnessId });
    expect(cosignedNote).toBe(`${note}${cosignatures[0].signatureLine}\n`);
    const logKey = parseVerifierKey(ledger.logSigner.verifierKey);
    const witnessKey = parseVerifierKey(
      witnessVerifierKey({ name: witnessName, publicKey: witnessKeys.publicKey }),
    );
    if (!logKey || !witnessKey) throw new Error('keys do not parse');
    expect(verifyCheckpoint(cosignedNote, logKey, testLogOrigin)).toMatchObject({ ok: true });
    const cosigned = verifyCosignature(cosignedNote, witnessKey);
    if (!cosigned.ok) throw new Error(cosigned.reason);
    expect(new Date(cosigned.timestamp * 1000).toISOString()).toBe(cosignatures[0].cosignedAt);
  });

  it('rejects a cosignature made with another key, writing nothing', async () => {
    const size = states[1]?.size ?? 0;
    const before = await ledger.snapshot();
    const forged = await lineFor(size, witnessName, generateKeyPair().privateKey);
    const answer = await ledger.gql(
      `mutation ($witnessId: UUID!, $treeSize: Int!, $cosignature: String!) {
         cosignCheckpoint(witnessId: $witnessId, treeSize: $treeSize, cosignature: $cosignature) {
           __typename ... on DomainError { code field } } }`,
      { witnessId, treeSize: size, cosignature: forged },
      lender.apiKey,
    );
    expect(answer.data.cosignCheckpoint).toEqual({
      __typename: 'DomainError',
      code: 'COSIGNATURE_INVALID',
      field: 'cosignature',
    });
    expect(await ledger.snapshot()).toBe(before);
  });

  it("reports another party's witness as not found", async () => {
    const other = await ledger.newParty(['lender']);
    const size = states[1]?.size ?? 0;
    const line = await lineFor(size, witnessName, witnessKeys.privateKey);
    const result = await cosignCheckpoint(ledger.ledger, other.actor, {
      witnessId,
      treeSize: size,
      cosignature: line,
    });
    expect(result).toMatchObject({ ok: false, code: 'witness_not_found' });
  });

  it('refuses to go back to a size older than the last cosigned, and takes the same size as a replay', async () => {
    const [older, latest] = states;
    if (!older || !latest) throw new Error('the earlier test cosigned two checkpoints');
    const before = await ledger.snapshot();
    const back = await cosignCheckpoint(ledger.ledger, lender.actor, {
      witnessId,
      treeSize: older.size,
      cosignature: await lineFor(older.size, witnessName, witnessKeys.privateKey),
    });
    expect(back).toMatchObject({ ok: false, code: 'invalid_input', field: 'treeSize' });
    const same = await cosignCheckpoint(ledger.ledger, lender.actor, {
      witnessId,
      treeSize: latest.size,
      cosignature: await lineFor(latest.size, witnessName, witnessKeys.privateKey),
    });
    expect(same).toMatchObject({ ok: true, value: { replayed: true } });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('refuses a checkpoint that the pinned log key did not sign', async () => {
    const latest = states[1];
    const impostor = generateKeyPair();
    const note = signCheckpoint(
      { origin: testLogOrigin, treeSize: (latest?.size ?? 0) + 1, rootHash: sha256('impostor') },
      testLogOrigin,
      impostor.privateKey,
    );
    const client = presentingClient(apiClient(ledger, lender.apiKey), {
      treeSize: (latest?.size ?? 0) + 1,
      note,
    });
    const result = await witnessRound(latest ?? null, client);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toMatch(/does not verify with the pinned log key/);
    expect(client.submitted).toBe(0);
  });

  it('refuses a checkpoint signed by the log key over a rewritten history', async () => {
    const latest = states[1];
    if (!latest) throw new Error('the earlier test cosigned a checkpoint');
    const leaves = await ledger.owner.db
      .selectFrom('leaf')
      .select('leaf_hash')
      .orderBy('leaf_index')
      .execute();
    const hashes = leaves.map((leaf) => leaf.leaf_hash).slice(0, latest.size);
    hashes[0] = sha256('a different first event');
    hashes.push(sha256('extra 1'), sha256('extra 2'));
    const rewritten = rewrittenLog(ledger.logSigner, hashes);
    const logKey = parseVerifierKey(ledger.logSigner.verifierKey);
    if (!logKey) throw new Error('log key does not parse');
    expect(verifyCheckpoint(rewritten.note, logKey)).toMatchObject({ ok: true });
    const client = presentingClient(apiClient(ledger, lender.apiKey), rewritten, rewritten);
    const result = await witnessRound(latest, client);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toMatch(/history was rewritten/);
    expect(client.submitted).toBe(0);
  });
});
