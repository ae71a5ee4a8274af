/**
 * The witness a lender runs on its own side: it trusts nothing the server says until checked. Each
 * round fetches the latest checkpoint, verifies the log's signature with the PINNED verifier key,
 * proves the new tree extends the last one this witness cosigned (RFC 9162 consistency), and only
 * then cosigns (c2sp.org/tlog-cosignature) and submits. The caller persists the returned state; a
 * witness that loses its state must start again from a checkpoint it verified some other way.
 */
import { parseHex, toHex } from '../../services/crypto/index.js';
import { parseVerifierKey } from '../../services/crypto/signed-note.js';
import { cosignCheckpoint, verifyCheckpoint } from '../../services/ledger/checkpoint.js';
import { verifyConsistency } from '../../services/ledger/verify.js';
import type { TradeproofClient } from './tradeproof-client.js';

/** What the witness remembers between rounds: the last tree it cosigned. */
export interface WitnessState {
  size: number;
  /** The root hash of that tree, lowercase hex. */
  rootHash: string;
}

export interface WitnessOnceOptions {
  client: Pick<TradeproofClient, 'request'>;
  /** The log's C2SP verifier key, pinned out of band: never the one the server reports. */
  logVerifierKey: string;
  /** The origin line the checkpoint must carry; the verifier key's name when absent. */
  origin?: string;
  witnessId: string;
  witnessName: string;
  /** The witness's 32-byte Ed25519 seed. */
  witnessPrivateKey: Uint8Array;
  /** Null on the first round: the first checkpoint is taken on its signature alone. */
  state: WitnessState | null;
  now?: () => Date;
}

export type WitnessOnceResult =
  | {
      ok: true;
      /** False when the log has not grown since the state: nothing to cosign. */
      cosigned: boolean;
      treeSize: number;
      /** The state to persist for the next round. */
      state: WitnessState;
      /** The cosignature line sent, when one was. */
      cosignature: string | null;
      /** The latest checkpoint note, verified with the pinned key: evidence worth keeping. */
      checkpoint: string;
    }
  | { ok: false; reason: string };

export const latestCheckpointQuery =
  '{ checkpoint { __typename ... on Checkpoint { treeSize note } ... on DomainError { code message } } }';
export const consistencyProofQuery =
  'query Consistency($fromSize: Int!, $toSize: Int!) { consistencyProof(fromSize: $fromSize, toSize: $toSize) { __typename ... on ConsistencyProof { consistencyPath } ... on DomainError { code message } } }';
export const cosignCheckpointMutation =
  'mutation Cosign($witnessId: UUID!, $treeSize: Int!, $cosignature: String!) { cosignCheckpoint(witnessId: $witnessId, treeSize: $treeSize, cosignature: $cosignature) { __typename ... on CosignaturePayload { replayed } ... on DomainError { code message } } }';

interface DomainErrorShape {
  __typename: 'DomainError';
  code: string;
  message: string;
}

type Answer<T> = T | DomainErrorShape;

const refuse = (reason: string): WitnessOnceResult => ({ ok: false, reason });

function isDomainError<T extends object>(value: Answer<T>): value is DomainErrorShape {
  return '__typename' in value && value.__typename === 'DomainError';
}

/** Checks the consistency of the new tree with the remembered one; null when it holds. */
async function consistencyProblem(
  client: WitnessOnceOptions['client'],
  state: WitnessState,
  treeSize: number,
  rootHash: Buffer,
): Promise<string | null> {
  const oldRoot = parseHex(state.rootHash, 32);
  if (oldRoot === null) return 'the stored witness state has no valid root hash';
  if (treeSize < state.size) {
    return `the log shrank from ${state.size} to ${treeSize} leaves: it is not append-only`;
  }
  if (treeSize === state.size) {
    return oldRoot.equals(rootHash)
      ? null
      : `the log presents two different trees of size ${treeSize}: a fork`;
  }
  const answer = await client.request<{ consistencyProof: Answer<{ consistencyPath: string[] }> }>(
    consistencyProofQuery,
    { fromSize: state.size, toSize: treeSize },
  );
  const proof = answer.consistencyProof;
  if (isDomainError(proof)) return `no consistency proof from ${state.size}: ${proof.code}: ${proof.message}`;
  const path: Buffer[] = [];
  for (const hex of proof.consistencyPath) {
    const hash = parseHex(hex, 32);
    if (hash === null) return 'the consistency proof holds a malformed hash';
    path.push(hash);
  }
  if (!verifyConsistency(state.size, treeSize, oldRoot, rootHash, path)) {
    return `the checkpoint of size ${treeSize} is not consistent with the tree of size ${state.size} this witness cosigned: history was rewritten`;
  }
  return null;
}

/** The signature line the witness added: the last line of the cosigned note. */
function lastSignatureLine(cosignedNote: string): string {
  const lines = cosignedNote.slice(0, -1).split('\n');
  return lines[lines.length - 1] ?? '';
}

/**
 * One witnessing round. Refuses, with the reason, when the pinned key does not verify the checkpoint,
 * when the log is not a consistent extension of the stored state, or when the server rejects the
 * cosignature; transport failures throw (TradeproofError), and the state stays as it was.
 */
export async function witnessOnce(options: WitnessOnceOptions): Promise<WitnessOnceResult> {
  const { client, state } = options;
  const logKey = parseVerifierKey(options.logVerifierKey);
  if (!logKey) return refuse('the pinned log verifier key does not parse');
  const answer = await client.request<{ checkpoint: Answer<{ treeSize: number; note: string }> }>(
    latestCheckpointQuery,
  );
  const latest = answer.checkpoint;
  if (isDomainError(latest)) return refuse(`no checkpoint: ${latest.code}: ${latest.message}`);
  const verified = verifyCheckpoint(latest.note, logKey, options.origin ?? logKey.name);
  if (!verified.ok)
    return refuse(`the checkpoint does not verify with the pinned log key: ${verified.reason}`);
  const { treeSize: signedSize, rootHash } = verified.checkpoint;
  if (signedSize > BigInt(Number.MAX_SAFE_INTEGER) || Number(signedSize) !== latest.treeSize) {
    return refuse(`the server says size ${latest.treeSize}, the signed note says ${signedSize}`);
  }
  const treeSize = Number(signedSize);
  if (state !== null) {
    const problem = await consistencyProblem(client, state, treeSize, rootHash);
    if (problem) return refuse(problem);
    if (treeSize === state.size) {
      return { ok: true, cosigned: false, treeSize, state, cosignature: null, checkpoint: latest.note };
    }
  }
  const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  let cosignature: string;
  try {
    cosignature = lastSignatureLine(
      cosignCheckpoint(latest.note, options.witnessName, options.witnessPrivateKey, timestamp),
    );
  } catch (error) {
    return refuse(`cannot cosign: ${(error as Error).message}`);
  }
  const submitted = await client.request<{ cosignCheckpoint: Answer<{ replayed: boolean }> }>(
    cosignCheckpointMutation,
    { witnessId: options.witnessId, treeSize, cosignature },
  );
  const result = submitted.cosignCheckpoint;
  if (isDomainError(result))
    return refuse(`the log refused the cosignature: ${result.code}: ${result.message}`);
  return {
    ok: true,
    cosigned: true,
    treeSize,
    state: { size: treeSize, rootHash: toHex(rootHash) },
    cosignature,
    checkpoint: latest.note,
  };
}
