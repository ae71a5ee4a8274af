/**
 * Inclusion-proof latency: for random leaves of the latest checkpoint, the time to fetch the stored
 * nodes (one query) and fold them into the audit path. Each proof is then verified against the
 * checkpoint's root, outside the timed part: a wrong proof is a bug, and the bench fails on it.
 */
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../../services/db/transaction.js';
import { fetchNodes } from '../../services/ledger/node-store.js';
import { addressesOf, buildInclusionProof, inclusionProofNodes } from '../../services/ledger/proofs.js';
import { verifyInclusion } from '../../services/ledger/verify.js';
import { percentile } from './stats.js';

export interface ProofLatency {
  treeSize: number;
  proofs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Proofs run first and not counted: the pool's connections and the JIT warm up. */
const warmUpProofs = 20;

async function latestCheckpoint(db: Db): Promise<{ treeSize: number; rootHash: Buffer }> {
  const row = await db
    .selectFrom('checkpoint')
    .select(['tree_size', 'root_hash'])
    .orderBy('tree_size', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { treeSize: Number(row.tree_size), rootHash: row.root_hash };
}

async function leafHashes(db: Db, leafIndexes: readonly number[]): Promise<Map<number, Buffer>> {
  const { rows } = await sql<{ leaf_index: bigint; leaf_hash: Buffer }>`SELECT leaf_index, leaf_hash
    FROM leaf WHERE leaf_index = ANY(${leafIndexes.map(String)}::INT8[])`.execute(db);
  return new Map(rows.map((row) => [Number(row.leaf_index), row.leaf_hash]));
}

async function timedProof(
  db: Db,
  leafIndex: number,
  treeSize: number,
): Promise<{ ms: number; path: Buffer[] }> {
  const startedMs = performance.now();
  const fetched = await fetchNodes(db, addressesOf(inclusionProofNodes(leafIndex, treeSize)));
  const path = buildInclusionProof(leafIndex, treeSize, fetched);
  return { ms: performance.now() - startedMs, path };
}

export async function measureProofLatency(db: Db, proofs: number): Promise<ProofLatency> {
  const { treeSize, rootHash } = await latestCheckpoint(db);
  const leafIndexes = Array.from({ length: warmUpProofs + proofs }, () => randomInt(treeSize));
  const leaves = await leafHashes(db, leafIndexes);
  const timings: number[] = [];
  for (const [position, leafIndex] of leafIndexes.entries()) {
    const { ms, path } = await timedProof(db, leafIndex, treeSize);
    const leaf = leaves.get(leafIndex);
    if (leaf === undefined || !verifyInclusion(leaf, leafIndex, treeSize, path, rootHash)) {
      throw new Error(`the inclusion proof of leaf ${leafIndex} in tree size ${treeSize} does not verify`);
    }
    if (position >= warmUpProofs) timings.push(ms);
  }
  timings.sort((a, b) => a - b);
  return {
    treeSize,
    proofs,
    p50Ms: percentile(timings, 0.5),
    p99Ms: percentile(timings, 0.99),
    maxMs: timings.at(-1) ?? Number.NaN,
    meanMs: timings.reduce((sum, ms) => sum + ms, 0) / timings.length,
  };
}
