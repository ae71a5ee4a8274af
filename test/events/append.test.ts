import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes, keyIdOf, sha256, sign, verify } from '../../services/crypto/index.js';
import { inTransactionResult } from '../../services/db/transaction-result.js';
import { type Envelope, newSalt, prepare } from '../../services/events/envelope.js';
import type { AppendedEvent } from '../../services/events/event.js';
import {
  appendCustodialEvent,
  appendSignedEvent,
  type SignedSubmission,
} from '../../services/events/event.service.js';
import { findKey } from '../../services/parties/party-key.repository.js';
import { registerParty } from '../../services/registry/party.service.js';
import type { Result } from '../../services/result.js';
import { freshKey, freshUscc } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let seller: TestParty;
let buyer: TestParty;
let custodian: TestParty;
let keyless: string;
let earlier: AppendedEvent;

function envelopeOf(party: TestParty, fields: Partial<Envelope> = {}): Envelope {
  return {
    kind: 'trade.test_fact',
    actor: party.party.id,
    counterparty: buyer.party.id,
    refs: [],
    payload: { invoiceNumber: 'INV-1', amountMinor: '125000', currency: 'CNY' },
    occurredAt: new Date().toISOString(),
    salt: newSalt(),
    idempotencyKey: freshKey('event'),
    ...fields,
  };
}

function privateKeyOf(party: TestParty): Buffer {
  if (!party.keyPair) throw new Error('test setup: the party has no key pair of its own');
  return party.keyPair.privateKey;
}

function signed(envelope: Envelope, signer: TestParty = seller): SignedSubmission {
  return { envelope, signature: sign(privateKeyOf(signer), prepare(envelope).eventHash) };
}

function append(submission: SignedSubmission): Promise<Result<AppendedEvent>> {
  return inTransactionResult(ledger.ledger.db, (trx) => appendSignedEvent(trx, submission));
}

async function appended(submission: SignedSubmission): Promise<AppendedEvent> {
  const result = await append(submission);
  if (!result.ok) throw new Error(`expected the event to be appended, got ${result.code}: ${result.message}`);
  return result.value;
}

async function storedRow(id: string) {
  return ledger.owner.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  seller = await ledger.newParty(['supplier']);
  buyer = await ledger.newParty(['core_enterprise']);
  custodian = await ledger.newParty(['supplier'], { custodial: true });
  const registered = await registerParty(ledger.ledger, ledger.admin, {
    legalName: 'Keyless Trading Co',
    registrationId: freshUscc(),
    roles: ['supplier'],
    parentPartyId: null,
    publicKey: null,
    proofOfPossession: null,
    custodialKey: false,
    idempotencyKey: freshKey('register'),
  });
  if (!registered.ok) throw new Error(`test setup: ${registered.code}`);
  keyless = registered.value.party.id;
  earlier = await appended(signed(envelopeOf(seller)));
});

describe('appendSignedEvent', () => {
  it('stores a valid event with the exact canonical statement, its hash and a verifying signature', async () => {
    const envelope = envelopeOf(seller, {
      payload: { quantity: 12, note: '发票 ✓', nested: { b: 2, a: 1 } },
    });
    const submission = signed(envelope);
    const { event, replayed } = await appended(submission);
    expect(replayed).toBe(false);
    const row = await storedRow(event.id);
    expect(row.statement.equals(canonicalBytes(envelope))).toBe(true);
    expect(row.event_hash.equals(sha256(row.statement))).toBe(true);
    expect(row.signature.equals(submission.signature)).toBe(true);
    expect(row.custodial).toBe(false);
    expect(row.kind).toBe('trade.test_fact');
    expect(row.actor_party_id).toBe(seller.party.id);
    expect(row.counterparty_party_id).toBe(buyer.party.id);
    expect(row.occurred_at.toISOString()).toBe(envelope.occurredAt);
    expect(row.payload).toEqual(envelope.payload);
    expect(row.key_id).toBe(keyIdOf(seller.keyPair?.publicKey ?? Buffer.alloc(32)));
    const key = await findKey(ledger.owner.db, row.key_id);
    expect(key?.partyId).toBe(seller.party.id);
    expect(verify(key?.publicKey ?? Buffer.alloc(32), row.event_hash, row.signature)).toBe(true);
  });

  it('stores a statement that does not depend on the key order of the submitted objects', async () => {
    const envelope = envelopeOf(seller, {
      counterparty: null,
      payload: { zeta: 1, alpha: { y: true, x: null } },
    });
    const reordered: Envelope = {
      idempotencyKey: envelope.idempotencyKey,
      salt: envelope.salt,
      occurredAt: envelope.occurredAt,
      payload: { alpha: { x: null, y: true }, zeta: 1 },
      refs: [],
      counterparty: null,
      actor: envelope.actor,
      kind: envelope.kind,
    };
    expect(prepare(reordered).eventHash.equals(prepare(envelope).eventHash)).toBe(true);
    const { event } = await appended(signed(reordered));
    const text = (await storedRow(event.id)).statement.toString('utf8');
    expect(text.startsWith('{"actor":')).toBe(true);
    expect(text).toContain('"payload":{"alpha":{"x":null,"y":true},"zeta":1}');
    expect(text).toBe(canonicalBytes(envelope).toString('utf8'));
  });

  it('accepts occurredAt on a leap day with an offset and stores that instant', async () => {
    const occurredAt = '2024-02-29T23:59:59.250+08:00';
    const { event } = await appended(signed(envelopeOf(seller, { occurredAt })));
    expect((await storedRow(event.id)).occurred_at.toISOString()).toBe('2024-02-29T15:59:59.250Z');
  });

  it('accepts refs that name the hash of an earlier event', async () => {
    const ref = earlier.event.eventHash.toString('hex');
    const { event } = await appended(signed(envelopeOf(seller, { refs: [ref] })));
    expect((await storedRow(event.id)).statement.toString('utf8')).toContain(`"refs":["${ref}"]`);
  });

  it('returns the first event for a replay of the same request, however prepared, and writes nothing', async () => {
    const envelope = envelopeOf(seller);
    const first = await appended(signed(envelope));
    const before = await ledger.snapshot();
    const later = new Date(Date.parse(envelope.occurredAt) + 60_000).toISOString();
    const preparedAgain = [
      envelope,
      { ...envelope, salt: newSalt() },
      { ...envelope, salt: newSalt(), occurredAt: later },
      { ...envelope, salt: newSalt(), refs: [earlier.event.eventHash.toString('hex')] },
    ];
    for (const again of preparedAgain) {
      const replay = await appended(signed(again));
      expect(replay.replayed).toBe(true);
      expect(replay.event.id).toBe(first.event.id);
      expect(replay.event.eventHash.equals(first.event.eventHash)).toBe(true);
    }
    expect(await ledger.snapshot()).toBe(before);
  });

  it.each([
    ['a different payload', { payload: { invoiceNumber: 'INV-2' } }],
    ['a different kind', { kind: 'trade.other_fact' }],
    ['a different counterparty', { counterparty: null }],
  ])('rejects the same idempotency key with %s as idempotency_key_reused', async (_name, fields) => {
    const envelope = envelopeOf(seller);
    await appended(signed(envelope));
    const before = await ledger.snapshot();
    const result = await append(signed({ ...envelope, ...fields }));
    expect(result).toMatchObject({ ok: false, code: 'idempotency_key_reused', field: 'idempotencyKey' });
    expect(await ledger.snapshot()).toBe(before);
  });

  it('scopes an idempotency key to its actor', async () => {
    const key = freshKey('shared');
    const mine = await appended(signed(envelopeOf(seller, { idempotencyKey: key })));
    const theirs = await appended(signed(envelopeOf(buyer, { idempotencyKey: key }), buyer));
    expect(theirs.replayed).toBe(false);
    expect(theirs.event.id).not.toBe(mine.event.id);
  });
});

/** A validly signed submission of `envelope` whose signature is then altered. */
function withSignature(mutate: (signature: Buffer) => Buffer): SignedSubmission {
  const submission = signed(envelopeOf(seller));
  return { ...submission, signature: mutate(Buffer.from(submission.signature)) };
}

const flipBit = (signature: Buffer) => {
  signature[40] = (signature[40] ?? 0) ^ 0x01;
  return signature;
};

const rejections: Array<[name: string, code: string, field: string, build: () => SignedSubmission]> = [
  [
    'a signature by another party key',
    'signature_invalid',
    'signature',
    () => signed(envelopeOf(seller), buyer),
  ],
  [
    'a signature over a different hash',
    'signature_invalid',
    'signature',
    () => ({ envelope: envelopeOf(seller), signature: signed(envelopeOf(seller)).signature }),
  ],
  ['a signature with one flipped bit', 'signature_invalid', 'signature', () => withSignature(flipBit)],
  [
    'a 63-byte signature',
    'signature_invalid',
    'signature',
    () => withSignature((sig) => sig.subarray(0, 63)),
  ],
  ['an unknown actor', 'actor_not_found', 'actor', () => signed(envelopeOf(seller, { actor: randomUUID() }))],
  [
    'an actor without an active key',
    'actor_has_no_active_key',
    'actor',
    () => signed(envelopeOf(seller, { actor: keyless })),
  ],
  [
    'an unknown counterparty',
    'counterparty_not_found',
    'counterparty',
    () => signed(envelopeOf(seller, { counterparty: randomUUID() })),
  ],
  [
    'a ref naming no recorded event',
    'ref_not_found',
    'refs',
    () => signed(envelopeOf(seller, { refs: [randomBytes(32).toString('hex')] })),
  ],
];

describe('appendSignedEvent rejections', () => {
  it.each(rejections)('rejects %s with %s on %s and writes nothing', async (_name, code, field, build) => {
    const submission = build();
    const before = await ledger.snapshot();
    const result = await append(submission);
    expect(result).toMatchObject({ ok: false, code, field });
    expect(await ledger.snapshot()).toBe(before);
  });
});

/** A malformed envelope, validly signed where it can be hashed at all, so only the shape is at fault. */
function malformed(fields: Record<string, unknown>): SignedSubmission {
  const envelope = { ...envelopeOf(seller), ...fields } as Envelope;
  let eventHash: Buffer;
  try {
    eventHash = prepare(envelope).eventHash;
  } catch {
    eventHash = randomBytes(32);
  }
  return { envelope, signature: sign(privateKeyOf(seller), eventHash) };
}

const ref = 'ab'.repeat(32);
const malformedFields: Array<[name: string, field: keyof Envelope, fields: Record<string, unknown>]> = [
  ['a kind that is not dotted lowercase', 'kind', { kind: 'Invoice' }],
  ['an actor that is not a UUID', 'actor', { actor: 'seller-1' }],
  ['an actor UUID in upper case', 'actor', { actor: randomUUID().toUpperCase() }],
  ['a counterparty that is not a UUID', 'counterparty', { counterparty: 'buyer' }],
  ['occurredAt without an offset', 'occurredAt', { occurredAt: '2025-03-01T10:00:00' }],
  ['occurredAt in month 13', 'occurredAt', { occurredAt: '2025-13-01T10:00:00Z' }],
  ['occurredAt on 30 February', 'occurredAt', { occurredAt: '2025-02-30T10:00:00Z' }],
  ['occurredAt that is not a date', 'occurredAt', { occurredAt: 'yesterday' }],
  ['occurredAt in the year 0', 'occurredAt', { occurredAt: '0000-01-01T00:00:00Z' }],
  ['occurredAt after 2200', 'occurredAt', { occurredAt: '2201-01-01T00:00:00Z' }],
  ['a salt of 15 bytes', 'salt', { salt: 'ab'.repeat(15) }],
  ['a salt of 17 bytes', 'salt', { salt: 'ab'.repeat(17) }],
  ['an empty idempotencyKey', 'idempotencyKey', { idempotencyKey: '' }],
  ['an idempotencyKey of 201 characters', 'idempotencyKey', { idempotencyKey: 'k'.repeat(201) }],
  ['an idempotencyKey with a lone surrogate', 'idempotencyKey', { idempotencyKey: 'key-\ud800' }],
  ['an idempotencyKey with NUL', 'idempotencyKey', { idempotencyKey: 'key-\u0000' }],
  ['an idempotencyKey with a bidi override', 'idempotencyKey', { idempotencyKey: 'key-\u202e1' }],
  ['a ref that is not hex', 'refs', { refs: ['z'.repeat(64)] }],
  ['a ref in upper-case hex', 'refs', { refs: [ref.toUpperCase()] }],
  ['the same ref twice', 'refs', { refs: [ref, ref] }],
  ['a payload that is an array', 'payload', { payload: [1, 2] }],
  ['a payload that is null', 'payload', { payload: null }],
  ['a payload holding a lone surrogate', 'payload', { payload: { note: 'bad \udc00 text' } }],
  [
    'a payload holding NUL, which JSONB cannot store',
    'payload',
    { payload: { lines: [{ note: 'a\u0000b' }] } },
  ],
  ['a payload key holding NUL', 'payload', { payload: { 'a\u0000': 1 } }],
  ['a payload holding a bidi override', 'payload', { payload: { note: 'INV-1\u202e9' } }],
  ['a payload holding NaN', 'payload', { payload: { amount: Number.NaN } }],
];

describe('appendSignedEvent envelope checks', () => {
  it.each(malformedFields)(
    'rejects %s as envelope_invalid on %s and writes nothing',
    async (_name, field, fields) => {
      const submission = malformed(fields);
      const before = await ledger.snapshot();
      const result = await append(submission);
      expect(result).toMatchObject({ ok: false, code: 'envelope_invalid', field });
      expect(await ledger.snapshot()).toBe(before);
    },
  );
});

describe('appendCustodialEvent', () => {
  function fields(actor: string) {
    return {
      kind: 'trade.test_fact',
      actor,
      counterparty: buyer.party.id,
      refs: [],
      payload: { deliveryNote: 'DN-7' },
      occurredAt: new Date().toISOString(),
      idempotencyKey: freshKey('custodial'),
    };
  }

  it('signs with the party custodial key and marks the event custodial', async () => {
    const result = await inTransactionResult(ledger.ledger.db, (trx) =>
      appendCustodialEvent(trx, ledger.ledger.custody, fields(custodian.party.id)),
    );
    if (!result.ok) throw new Error(result.code);
    const row = await storedRow(result.value.event.id);
    expect(row.custodial).toBe(true);
    expect(row.actor_party_id).toBe(custodian.party.id);
    const key = await findKey(ledger.owner.db, row.key_id);
    expect(key).toMatchObject({ partyId: custodian.party.id, status: 'active', custodial: true });
    expect(row.event_hash.equals(sha256(row.statement))).toBe(true);
    expect(verify(key?.publicKey ?? Buffer.alloc(32), row.event_hash, row.signature)).toBe(true);
  });

  it.each([
    ['a party that holds its own key', () => seller.party.id],
    ['a party without any key', () => keyless],
  ])('rejects %s with no_custodial_key and writes nothing', async (_name, actor) => {
    const before = await ledger.snapshot();
    const result = await inTransactionResult(ledger.ledger.db, (trx) =>
      appendCustodialEvent(trx, ledger.ledger.custody, fields(actor())),
    );
    expect(result).toMatchObject({ ok: false, code: 'no_custodial_key' });
    expect(await ledger.snapshot()).toBe(before);
  });
});
