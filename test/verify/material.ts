/**
 * Test material for the offline verifier, built for real and without a database: a log key, party
 * keys, signed canonical statements, the RFC 9162 tree over them, signed checkpoints, and the proof
 * files, bundles and consistency files in the formats of services/ledger/proof-file.ts.
 */
import { generateKeyPair, keyIdOf, sign, toHex } from '../../services/crypto/index.js';
import { encodeVerifierKey } from '../../services/crypto/signed-note.js';
import { type Envelope, prepare } from '../../services/events/envelope.js';
import { signCheckpoint } from '../../services/ledger/checkpoint.js';
import { leafHash, rootFromLeafHashes } from '../../services/ledger/merkle.js';
import {
  type BundleEvent,
  bundleFormat,
  type ConsistencyFile,
  type ProofBundle,
  type ProofFile,
} from '../../services/ledger/proof-file.js';
import {
  addressesOf,
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofNodes,
  inclusionProofNodes,
} from '../../services/ledger/proofs.js';
import { fetchNodes, storeAllNodes } from '../ledger/stored-tree.js';

export const origin = 'tradeproof.test/log';
export const treeSize = 13;
export const olderSize = 7;
/** The leaves of the receivable's events; the other leaves belong to other receivables. */
export const bundleLeaves = [0, 3, 7, 12] as const;
const kinds = ['invoice.issued', 'invoice.confirmed', 'receivable.transferred', 'receivable.financed'];

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

const parties = [generateKeyPair(), generateKeyPair()];
const partyIds = ['0b5e1c3a-7d2f-4e8a-9c41-6f0a2b3c4d5e', '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f'];

export function newLogKey(name = origin) {
  const pair = generateKeyPair();
  return { name, privateKey: pair.privateKey, vkey: encodeVerifierKey(name, pair.publicKey) };
}

/** The envelope of leaf `index`: the receivable's events at bundleLeaves, filler elsewhere. */
export function envelopeAt(index: number, history = 'genuine'): Envelope {
  const position = bundleLeaves.indexOf(index as (typeof bundleLeaves)[number]);
  const party = index % 2;
  return {
    kind: kinds[position] ?? 'document.attached',
    actor: partyIds[party] ?? '',
    counterparty: partyIds[1 - party] ?? null,
    refs: [],
    payload: { amountMinor: String(1000 + index), history, note: `leaf ${index}` },
    occurredAt: `2025-03-${String(10 + index).padStart(2, '0')}T09:00:00Z`,
    salt: toHex(Buffer.alloc(16, index)),
    idempotencyKey: `leaf-${index}`,
  };
}

/** A signed event for an envelope, signed by the key of its actor's party. */
export function signedEvent(envelope: Envelope, index: number): LoggedEvent {
  const party = parties[index % 2];
  if (party === undefined) throw new Error('two parties');
  const { statement, eventHash } = prepare(envelope);
  return {
    kind: envelope.kind,
    statement: statement.toString('utf8'),
    eventHash,
    signature: signAsPartyOf(index, eventHash),
    signerPublicKey: party.publicKey,
  };
}

/** The signature the party behind leaf `index` makes over `eventHash`. */
export function signAsPartyOf(index: number, eventHash: Uint8Array): Buffer {
  const party = parties[index % 2];
  if (party === undefined) throw new Error('two parties');
  return sign(party.privateKey, eventHash);
}

/**
 * A log of treeSize events under a fresh log key, or under `key`; `rewrite` replaces some leaves'
 * envelopes, as a platform rewriting history would.
 */
export function newLog(
  options: { key?: ReturnType<typeof newLogKey>; rewrite?: (index: number) => Envelope | null } = {},
): Log {
  const key = options.key ?? newLogKey();
  const events = Array.from({ length: treeSize }, (_, index) =>
    signedEvent(options.rewrite?.(index) ?? envelopeAt(index), index),
  );
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
    custodial: false,
    leafIndex,
    inclusionPath: inclusionPathOf(log, leafIndex, size),
  };
}

export function bundleOf(log: Log, size = treeSize): ProofBundle {
  return {
    format: bundleFormat,
    receivableId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    treeSize: size,
    checkpoint: checkpointOf(log, size),
    events: bundleLeaves.filter((leaf) => leaf < size).map((leaf) => bundleEventOf(log, leaf, size)),
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
