/** Test helpers for witnesses: a client over the in-process API, and a log that rewrote its history. */

import type { WitnessOnceOptions } from '../../scripts/client/witness.js';
import { toHex } from '../../services/crypto/index.js';
import { signCheckpoint } from '../../services/ledger/checkpoint.js';
import type { LogSigner } from '../../services/ledger/log-signer.js';
import { rootFromLeafHashes } from '../../services/ledger/merkle.js';
import { addressesOf, buildConsistencyProof, consistencyProofNodes } from '../../services/ledger/proofs.js';
import type { TestLedger } from '../support/ledger.js';
import { fetchNodes, storeAllNodes } from './stored-tree.js';

export type WitnessClient = WitnessOnceOptions['client'];

/** TradeproofClient.request over the test ledger's yoga handler: GraphQL errors throw. */
export function apiClient(ledger: TestLedger, apiKey: string): WitnessClient {
  return {
    request: async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const answer = await ledger.gql(query, variables, apiKey);
      if (answer.errors?.length) throw new Error(JSON.stringify(answer.errors));
      return answer.data as T;
    },
  };
}

export interface RewrittenLog {
  treeSize: number;
  rootHash: Buffer;
  /** A checkpoint note for the rewritten tree, validly signed by the real log key. */
  note: string;
  consistencyPath(fromSize: number): Buffer[];
}

/** What a platform that rebuilt its tree over altered leaves and signed it would publish. */
export function rewrittenLog(signer: LogSigner, leafHashes: readonly Buffer[]): RewrittenLog {
  const treeSize = leafHashes.length;
  const rootHash = rootFromLeafHashes(leafHashes);
  const note = signCheckpoint(
    { origin: signer.origin, treeSize, rootHash },
    signer.origin,
    signer.privateKey,
  );
  const store = storeAllNodes(leafHashes);
  return {
    treeSize,
    rootHash,
    note,
    consistencyPath: (fromSize) =>
      buildConsistencyProof(
        fromSize,
        treeSize,
        fetchNodes(store, addressesOf(consistencyProofNodes(fromSize, treeSize))),
      ),
  };
}

/**
 * A server that presents `checkpoint` as its latest and, when given the rewritten log, consistency
 * proofs from it; anything else (the cosign mutation) goes to the real API.
 */
export function presentingClient(
  real: WitnessClient,
  checkpoint: { treeSize: number; note: string },
  rewritten?: RewrittenLog,
): WitnessClient & { submitted: number } {
  const client = {
    submitted: 0,
    request: async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      if (query.includes('checkpoint {'))
        return { checkpoint: { __typename: 'Checkpoint', ...checkpoint } } as T;
      if (query.includes('consistencyProof(') && rewritten) {
        const path = rewritten.consistencyPath(Number(variables.fromSize)).map(toHex);
        return { consistencyProof: { __typename: 'ConsistencyProof', consistencyPath: path } } as T;
      }
      if (query.includes('cosignCheckpoint(')) client.submitted += 1;
      return real.request<T>(query, variables);
    },
  };
  return client;
}
