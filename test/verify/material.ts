/**
 * Test material for the offline verifier, built for real and without a database: a log key, the
 * platform's and two parties' keys, signed canonical statements (the platform's self-registration and
 * the parties' registrations first, as a ledger starts), the RFC 9162 tree over them, signed
 * checkpoints, and the proof files, bundles and consistency files of services/ledger/proof-file.ts and
 * services/verify/bundle-file.ts. The receivable's events form an invoice's fact chain: the invoice,
 * its confirmation, a transfer of part of it and a payment, each naming the one before in refs[0].
 */
import { type Ed25519KeyPair, generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import { encodeVerifierKey } from '../../services/crypto/signed-note.js';
import { type Envelope, prepare } from '../../services/events/envelope.js';
import { signCheckpoint } from '../../services/ledger/checkpoint.js';
import { leafHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import type { ConsistencyFile, ProofFile } from '../../services/ledger/proof-file.js';
import {
  addressesOf,
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofNodes,
  inclusionProofNodes,
} from '../../services/ledger/proofs.js';
import { keyAdditionStatement, registrationStatement } from '../../services/parties/key-statement.js';
import { type BundleEvent, bundleFormat, type ProofBundle } from '../../services/verify/bundle-file.js';
import { signChainHead } from '../../services/verify/chain-head.js';
import { fetchNodes, storeAllNodes } from '../ledger/stored-tree.js';

export const origin = 'tradeproof.test/log';
export const treeSize = 13;
export const olderSize = 7;
/** The platform's self-registration, then the registrations of the two parties, stated by the platform. */
export const registryLeaves = [0, 1, 2] as const;
/** The leaves of the invoice's fact chain, in order; the other leaves belong to other invoices. */
export const tradeLeaves = [3, 6, 7, 12] as const;
/** What bundleOf holds: the registry events that bind the signing keys, and the invoice's chain. */
export const bundleLeaves: readonly number[] = [...registryLeaves, ...tradeLeaves];
export const invoiceId = '7d6c5b4a-3f2e-4d1c-9b0a-8f7e6d5c4b3a';
export const rootReceivableId = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
/** The receivable bundleOf is about: the part passed on at leaf 7. */
export const receivableId = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

export interface LoggedEvent {
  kind: string;
  statement: string;
  eventHash: Buffer;
  signature: Buffer;
  signerPublicKey: Buffer;
}

export interface Log {
  name: string;
  privateKey: Buffer;
  /** The C2SP vkey a lender is given. */
  vkey: string;
  events: LoggedEvent[];
}

export const platformPartyId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
export const partyIds = [
  '0b5e1c3a-7d2f-4e8a-9c41-6f0a2b3c4d5e',
  '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f',
] as const;
const keyPairs = new Map<string, Ed25519KeyPair>([
  [platformPartyId, generateKeyPair()],
  [partyIds[0], generateKeyPair()],
  [partyIds[1], generateKeyPair()],
]);

/** The key pair of the platform or one of the two parties: the one the registry events register. */
export function keyPairOf(partyId: string): Ed25519KeyPair {
  const pair = keyPairs.get(partyId);
  if (pair === undefined) throw new Error(`no key pair for ${partyId}`);
  return pair;
}

export function newLogKey(name = origin) {
  const pair = generateKeyPair();
  return { name, privateKey: pair.privateKey, vkey: encodeVerifierKey(name, pair.publicKey) };
}

function registryEnvelope(
  index: number,
  kind: string,
  counterparty: string,
  payload: Record<string, unknown>,
  actor = platformPartyId,
): Envelope {
  return {
    kind,
    actor,
    counterparty,
    refs: [],
    payload: { ...payload, requestedBy: platformPartyId },
    occurredAt: `2025-03-${String(10 + index).padStart(2, '0')}T08:00:00Z`,
    salt: toHex(Buffer.alloc(16, 0x80 + index)),
    idempotencyKey: `${platformPartyId}/registry-${index}`,
  };
}

/**
 * A `party.registered` of `partyId` with `keyPair`'s public key, at leaf `index`, stated by the
 * platform: custodial for the platform, else self-held with its proof of possession.
 */
export function registeredEnvelope(index: number, partyId: string, keyPair: Ed25519KeyPair): Envelope {
  const platform = partyId === platformPartyId;
  const registrationId = `91310000MA1K${String(index).padStart(6, '0')}`;
  const publicKey = toHex(keyPair.publicKey);
  const { statement, statementHash } = registrationStatement(registrationId, publicKey);
  return registryEnvelope(index, 'party.registered', partyId, {
    partyId,
    legalName: platform ? 'Test platform operator' : `Test party ${index}`,
    registrationScheme: 'uscc',
    registrationId,
    roles: platform ? ['platform_admin'] : ['supplier'],
    parentPartyId: null,
    key: {
      keyId: keyIdOf(keyPair.publicKey),
      publicKey,
      custodial: platform,
      statement: platform ? null : statement,
      proofOfPossession: platform ? null : toHex(sign(keyPair.privateKey, statementHash)),
    },
  });
}

export interface KeyAdditionOptions {
  /** The key replaced: the party's registered one unless given. */
  previous?: Ed25519KeyPair;
  /** Signs as the replaced key: that key unless given (null: no signature). */
  currentSigner?: Ed25519KeyPair | null;
  authorization?: 'rotated_by_previous_key' | 'api_key' | 'administrator_recovery';
}

/**
 * A `party_key.added` of `keyPair`'s public key to `partyId`, at leaf `index`; stated by the platform
 * unless `actor`. As the ledger writes it: the key addition statement naming the previous key, signed
 * by that key (unless it is the platform's custodial one) and by the new key.
 */
export function keyAddedEnvelope(
  index: number,
  partyId: string,
  keyPair: Ed25519KeyPair,
  actor?: string,
  options: KeyAdditionOptions = {},
): Envelope {
  const previous = options.previous ?? keyPairOf(partyId);
  const custodialPrevious = previous === keyPairOf(platformPartyId);
  const currentSigner =
    options.currentSigner === undefined ? (custodialPrevious ? null : previous) : options.currentSigner;
  const publicKey = toHex(keyPair.publicKey);
  const previousKeyId = keyIdOf(previous.publicKey);
  const { statement, statementHash } = keyAdditionStatement({
    partyId,
    publicKey,
    custodial: false,
    previousKeyId,
  });
  const payload = {
    partyId,
    keyId: keyIdOf(keyPair.publicKey),
    publicKey,
    custodial: false,
    rotatedKeyId: previousKeyId,
    previousKeyId,
    authorization: options.authorization ?? (custodialPrevious ? 'api_key' : 'rotated_by_previous_key'),
    statement,
    currentKeySignature: currentSigner && toHex(sign(currentSigner.privateKey, statementHash)),
    proofOfPossession: toHex(sign(keyPair.privateKey, statementHash)),
    recovery: null,
  };
  return registryEnvelope(index, 'party_key.added', partyId, payload, actor);
}

/** A `party_key.revoked` of `publicKey` of `partyId`, at leaf `index`, stated by the platform. */
export function keyRevokedEnvelope(index: number, partyId: string, publicKey: Buffer): Envelope {
  return registryEnvelope(index, 'party_key.revoked', partyId, { partyId, keyId: keyIdOf(publicKey) });
}

/**
 * The envelope of leaf `index`: the registry events at registryLeaves, the receivable's events at
 * tradeLeaves, filler elsewhere.
 */
export function envelopeAt(index: number, history = 'genuine'): Envelope {
  const registered = [platformPartyId, ...partyIds][index];
  if (registered !== undefined && (registryLeaves as readonly number[]).includes(index)) {
    return registeredEnvelope(index, registered, keyPairOf(registered));
  }
  const position = tradeLeaves.indexOf(index as (typeof tradeLeaves)[number]);
  if (position >= 0) return chainEnvelope(position, history);
  const party = index % 2;
  return {
    kind: 'document.attached',
    actor: partyIds[party] ?? '',
    counterparty: partyIds[1 - party] ?? null,
    refs: [],
    payload: { amountMinor: String(1000 + index), history, note: `leaf ${index}` },
    occurredAt: `2025-03-${String(10 + index).padStart(2, '0')}T09:00:00Z`,
    salt: toHex(Buffer.alloc(16, index)),
    idempotencyKey: `leaf-${index}`,
  };
}

/**
 * Link `position` of the invoice's chain: party B issues an invoice to party A for CNY 1000.00, A
 * confirms it, B passes 400.00 of it to A's account (the replay does not check roles), A pays 100.00.
 */
function chainEnvelope(position: number, history: string): Envelope {
  const [buyer = '', seller = ''] = partyIds;
  const links: Array<[string, string, string, Record<string, unknown>]> = [
    ['invoice.issued', seller, buyer, { documentId: invoiceId, currency: 'CNY', history }],
    [
      'invoice.confirmed',
      buyer,
      seller,
      {
        invoiceId,
        receivableId: rootReceivableId,
        amount: '1000.00',
        currency: 'CNY',
        dueDate: '2025-09-06',
      },
    ],
    [
      'receivable.transferred',
      seller,
      buyer,
      { receivableId: rootReceivableId, toPartyId: buyer, amount: '400.00', childReceivableId: receivableId },
    ],
    ['payment.recorded', buyer, seller, { invoiceId, amount: '100.00', paidOn: '2025-09-06' }],
  ];
  const [kind = '', actor = '', counterparty = '', payload = {}] = links[position] ?? [];
  const index = tradeLeaves[position] ?? 0;
  const previous = position === 0 ? [] : [toHex(prepare(chainEnvelope(position - 1, history)).eventHash)];
  return {
    kind,
    actor,
    counterparty,
    refs: previous,
    payload,
    occurredAt: `2025-03-${String(10 + index).padStart(2, '0')}T09:00:00Z`,
    salt: toHex(Buffer.alloc(16, index)),
    idempotencyKey: `leaf-${index}`,
  };
}

/** A signed event for an envelope, signed by the key of its actor, or by `signer` when given. */
export function signedEvent(envelope: Envelope, signer = keyPairOf(envelope.actor)): LoggedEvent {
  const { statement, eventHash } = prepare(envelope);
  return {
    kind: envelope.kind,
    statement: statement.toString('utf8'),
    eventHash,
    signature: sign(signer.privateKey, eventHash),
    signerPublicKey: signer.publicKey,
  };
}

/** The signature the actor of leaf `index` makes over `eventHash`. */
export function signAsPartyOf(index: number, eventHash: Uint8Array): Buffer {
  return sign(keyPairOf(envelopeAt(index).actor).privateKey, eventHash);
}

/**
 * A log of treeSize events under a fresh log key, or under `key`; `rewrite` replaces some leaves'
 * envelopes, as a platform rewriting history would, and `signer` signs some leaves with another key.
 */
export function newLog(
  options: {
    key?: ReturnType<typeof newLogKey>;
    rewrite?: (index: number) => Envelope | null;
    signer?: (index: number) => Ed25519KeyPair | null;
  } = {},
): Log {
  const key = options.key ?? newLogKey();
  const events = Array.from({ length: treeSize }, (_, index) => {
    const envelope = options.rewrite?.(index) ?? envelopeAt(index);
    return signedEvent(envelope, options.signer?.(index) ?? keyPairOf(envelope.actor));
  });
  return { ...key, events };
}

export function leafHashesOf(log: Log, size: number): Buffer[] {
  return log.events.slice(0, size).map((event) => leafHash(event.eventHash));
}

export function checkpointOf(log: Log, size: number, key: { name: string; privateKey: Buffer } = log) {
  const rootHash = rootFromLeafHashes(leafHashesOf(log, size));
  return signCheckpoint({ origin, treeSize: size, rootHash }, key.name, key.privateKey);
}

/** The audit path, assembled from stored nodes as the server does. */
export function inclusionPathOf(log: Log, leafIndex: number, size: number): string[] {
  const store = storeAllNodes(leafHashesOf(log, size));
  const fetched = fetchNodes(store, addressesOf(inclusionProofNodes(leafIndex, size)));
  return buildInclusionProof(leafIndex, size, fetched).map(toHex);
}

export function bundleEventOf(log: Log, leafIndex: number, size = treeSize): BundleEvent {
  const event = log.events[leafIndex];
  if (event === undefined) throw new Error(`no leaf ${leafIndex}`);
  return {
    eventId: `00000000-0000-4000-8000-${String(leafIndex).padStart(12, '0')}`,
    kind: event.kind,
    statement: event.statement,
    eventHash: toHex(event.eventHash),
    signature: toHex(event.signature),
    signerPublicKey: toHex(event.signerPublicKey),
    keyId: keyIdOf(event.signerPublicKey),
    custodial: event.signerPublicKey.equals(keyPairOf(platformPartyId).publicKey),
    leafIndex,
    inclusionPath: inclusionPathOf(log, leafIndex, size),
  };
}

/** The log's signed chain head of the invoice at `size`: the last chain leaf below it. */
export function chainHeadOf(log: Log, size = treeSize) {
  const chain = tradeLeaves.filter((leaf) => leaf < size);
  const head = log.events[chain[chain.length - 1] ?? 0];
  if (head === undefined) throw new Error('no chain leaf below the size');
  return signChainHead(
    {
      origin,
      treeSize: size,
      rootHash: toHex(rootFromLeafHashes(leafHashesOf(log, size))),
      chainId: invoiceId,
      length: chain.length,
      headEventHash: toHex(head.eventHash),
    },
    log.privateKey,
  );
}

export function bundleOf(log: Log, size = treeSize, leaves = bundleLeaves): ProofBundle {
  return {
    format: bundleFormat,
    receivableId,
    treeSize: size,
    checkpoint: checkpointOf(log, size),
    chainHead: chainHeadOf(log, size),
    events: leaves.filter((leaf) => leaf < size).map((leaf) => bundleEventOf(log, leaf, size)),
  };
}

export function proofFileOf(log: Log, leafIndex: number, withStatement = true, size = treeSize): ProofFile {
  const event = log.events[leafIndex];
  if (event === undefined) throw new Error(`no leaf ${leafIndex}`);
  const file: ProofFile = {
    eventHash: toHex(event.eventHash),
    leafIndex,
    treeSize: size,
    inclusionPath: inclusionPathOf(log, leafIndex, size),
    checkpoint: checkpointOf(log, size),
  };
  return withStatement ? { ...file, statement: event.statement } : file;
}

/** The older checkpoint of `older` at fromSize, with the proof to toSize from `newer`'s tree. */
export function consistencyFileOf(
  older: Log,
  fromSize: number,
  toSize = treeSize,
  newer = older,
): ConsistencyFile {
  const store = storeAllNodes(leafHashesOf(newer, toSize));
  const consistencyPath =
    fromSize === 0
      ? []
      : buildConsistencyProof(
          fromSize,
          toSize,
          fetchNodes(store, addressesOf(consistencyProofNodes(fromSize, toSize))),
        ).map(toHex);
  return { checkpoint: checkpointOf(older, fromSize), fromSize, toSize, consistencyPath };
}

/** The hex with one bit of its bytes flipped: still well-formed lowercase hex. */
export function flipHexBit(hex: string, bit: number): string {
  const bytes = Buffer.from(hex, 'hex');
  const index = Math.floor(bit / 8);
  bytes[index] = (bytes[index] ?? 0) ^ (1 << (bit % 8));
  return bytes.toString('hex');
}

/** The label the verifier gives the event at `position` of a bundle. */
export function eventLabel(event: BundleEvent, position: number): string {
  return `events[${position}] (${event.kind} ${event.eventHash.slice(0, 8)}…)`;
}

export function keyLabelOf(vkey: string): string {
  return vkey.split('+').slice(0, 2).join('+');
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
