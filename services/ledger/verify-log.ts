/**
 * The checks behind verifyLog, pure: each stored event against what was signed and hashed into the
 * log, and the tree grown leaf by leaf (keeping only the RFC 9162 frontier, O(log n) hashes) so its
 * root can be compared with every checkpoint as the scan passes the checkpoint's size.
 */
import { assert } from '../assert.js';
import { sha256, verify } from '../crypto/index.js';
import { emptyRoot, leafHash } from './merkle.js';
import { completedNodes, foldHashes, nodeKey, rootNodes } from './nodes.js';
import type { LeafEvidence } from './verify-log.repository.js';

/** The checks verifyLog runs, each named in the problems it reports. */
export const logChecks = [
  'statement_hash',
  'event_row',
  'signer_key',
  'signature',
  'leaf_hash',
  'leaf_missing',
  'checkpoint_signature',
  'checkpoint_row',
  'checkpoint_root',
] as const;
export type LogCheck = (typeof logChecks)[number];

export interface LogProblem {
  check: LogCheck;
  eventId?: string;
  leafIndex?: number;
  treeSize?: number;
  detail: string;
}

export interface LogVerification {
  ok: boolean;
  /** The size of the latest checkpoint when the scan began: leaves [0, treeSize) were checked. */
  treeSize: number;
  eventsChecked: number;
  checkpointsChecked: number;
  /** The first problems found, at most problemsMax; ok is false whenever there is one. */
  problems: LogProblem[];
}

export const problemsMax = 100;

/** Where the signed statement and the event row's own columns disagree, or null. */
function rowMismatch(row: LeafEvidence): string | null {
  let statement: { kind?: unknown; actor?: unknown; counterparty?: unknown };
  try {
    statement = JSON.parse(row.statement.toString('utf8')) as typeof statement;
  } catch {
    return 'the statement is not JSON';
  }
  if (statement.kind !== row.kind) return `kind is ${row.kind}, the statement says ${String(statement.kind)}`;
  if (statement.actor !== row.actorPartyId) return `actor is ${row.actorPartyId}, not the signed actor`;
  if ((statement.counterparty ?? null) !== row.counterpartyPartyId) {
    return `counterparty is ${row.counterpartyPartyId}, not the signed counterparty`;
  }
  return null;
}

/** Every way one anchored event differs from what was signed and logged, each naming the event. */
export function eventProblems(row: LeafEvidence): LogProblem[] {
  const at = { eventId: row.eventId, leafIndex: row.leafIndex };
  const problems: LogProblem[] = [];
  if (!sha256(row.statement).equals(row.eventHash)) {
    problems.push({
      check: 'statement_hash',
      ...at,
      detail: 'statement no longer hashes to the recorded event hash',
    });
  } else {
    const mismatch = rowMismatch(row);
    if (mismatch) problems.push({ check: 'event_row', ...at, detail: mismatch });
  }
  if (row.keyPartyId !== row.actorPartyId) {
    problems.push({
      check: 'signer_key',
      ...at,
      detail: `key ${row.keyId} belongs to party ${row.keyPartyId}, not to the actor ${row.actorPartyId}`,
    });
  }
  if (!verify(row.publicKey, row.eventHash, row.signature)) {
    problems.push({
      check: 'signature',
      ...at,
      detail: `the signature does not verify over the event hash with key ${row.keyId}`,
    });
  }
  if (!leafHash(row.eventHash).equals(row.leafHash)) {
    problems.push({
      check: 'leaf_hash',
      ...at,
      detail: 'the leaf hash is not SHA-256(0x00 || event hash): the event differs from what was logged',
    });
  }
  return problems;
}

/** An RFC 9162 tree that keeps only the perfect subtrees its root is folded from. */
export class FrontierTree {
  private frontier = new Map<string, Buffer>();
  size = 0;

  append(leafHashes: readonly Buffer[]): void {
    if (leafHashes.length === 0) return;
    const known = new Map(this.frontier);
    for (const node of completedNodes(this.size, leafHashes, this.frontier))
      known.set(nodeKey(node), node.hash);
    this.size += leafHashes.length;
    this.frontier = new Map(
      rootNodes(this.size).map((address) => {
        const hash = known.get(nodeKey(address));
        assert(hash !== undefined, `frontier node ${nodeKey(address)} was computed`);
        return [nodeKey(address), hash];
      }),
    );
  }

  root(): Buffer {
    if (this.size === 0) return emptyRoot();
    return foldHashes(
      rootNodes(this.size).map((address) => {
        const hash = this.frontier.get(nodeKey(address));
        assert(hash !== undefined, `frontier node ${nodeKey(address)} is kept`);
        return hash;
      }),
    );
  }
}

/** Collects problems, keeping the first problemsMax. */
export class ProblemList {
  readonly kept: LogProblem[] = [];
  found = 0;

  add(...problems: LogProblem[]): void {
    for (const problem of problems) {
      this.found += 1;
      if (this.kept.length < problemsMax) this.kept.push(problem);
    }
  }
}
