/**
 * Check a (integrity): every event behind the receivable re-hashed from its stored statement, its
 * signature checked with the key that was its actor's and active when it was recorded, and its
 * inclusion in the latest checkpoint verified by the offline verifier's own code (ledger/verify.ts
 * verifyInclusion over ledger/merkle.ts leafHash), from paths the proof service builds. A stored row
 * is not trusted: the leaf hash is computed from the statement, not read.
 */
import { canonicalJson, keyIdOf, sha256, toHex, verify } from '../crypto/index.js';
import type { SignatureVerifier } from '../crypto/verify-pool.js';
import type { Trx } from '../db/transaction.js';
import { leafHash } from '../ledger/merkle.js';
import { inclusionPaths } from '../ledger/proof.service.js';
import { verifyInclusion } from '../ledger/verify.js';
import { checkOf, evidence, type Finding, type ReportCheck } from './report.js';
import type { ReportEvent } from './report-events.repository.js';
import type { ReportSubject } from './report-subject.js';

type Problem =
  | 'missing'
  | 'not_canonical'
  | 'hash_mismatch'
  | 'chain_link_mismatch'
  | 'key_unknown'
  | 'key_not_actors'
  | 'key_not_active'
  | 'signature_invalid'
  | 'inclusion_invalid';

const problemSentences: Record<Problem, string> = {
  missing: 'events named behind the receivable are missing from the log',
  not_canonical: 'statements are not canonical JSON (RFC 8785)',
  hash_mismatch: 'statements do not hash to their stored eventHash (edited after signing)',
  chain_link_mismatch: "the invoice's fact chain records another hash for these events",
  key_unknown: 'events were signed with a key the registry does not know',
  key_not_actors: "events were signed with a key that is not their actor's",
  key_not_active: 'events were signed with a key not active when they were recorded',
  signature_invalid: "signatures do not verify with the signer's public key",
  inclusion_invalid: 'inclusion paths do not lead to the checkpoint root',
};

function isCanonical(statement: Buffer): boolean {
  try {
    return canonicalJson(JSON.parse(statement.toString('utf8'))) === statement.toString('utf8');
  } catch {
    return false;
  }
}

// Keys are created at full clock precision, events recorded truncated to the millisecond, and a
// Date holds milliseconds: a key made earlier in the same millisecond compares equal, not later.
function keyProblem(event: ReportEvent): Problem | null {
  const { key } = event;
  if (key === null) return 'key_unknown';
  if (key.partyId !== event.actorPartyId || keyIdOf(key.publicKey) !== event.keyId) return 'key_not_actors';
  const recorded = event.recordedAt.getTime();
  if (key.createdAt.getTime() > recorded) return 'key_not_active';
  if (key.retiredAt !== null && key.retiredAt.getTime() < recorded) return 'key_not_active';
  return null;
}

/** What is wrong with one event's bytes, hash or key; its signature is checked apart, in a batch. */
function eventProblem(event: ReportEvent, linkHash: Buffer | undefined): Problem | null {
  if (!isCanonical(event.statement)) return 'not_canonical';
  if (!sha256(event.statement).equals(event.eventHash)) return 'hash_mismatch';
  if (linkHash !== undefined && !linkHash.equals(event.eventHash)) return 'chain_link_mismatch';
  return keyProblem(event);
}

/**
 * The events whose signature does not verify, checked on the ledger's verifier threads (every core)
 * when it has them; a job no thread decided is checked here.
 */
async function badSignatures(events: readonly ReportEvent[], verifier: SignatureVerifier): Promise<string[]> {
  const signed = events.flatMap((event) =>
    event.key === null ? [] : [{ event, publicKey: event.key.publicKey }],
  );
  const verdicts = await verifier.verifyMany(
    signed.map(({ event, publicKey }) => ({
      publicKey,
      message: event.eventHash,
      signature: event.signature,
    })),
  );
  return signed
    .filter(({ event, publicKey }, index) => {
      const verdict = verdicts[index] ?? null;
      return !(verdict ?? verify(publicKey, event.eventHash, event.signature));
    })
    .map(({ event }) => event.eventId);
}

export async function integrityCheck(
  trx: Trx,
  subject: ReportSubject,
  verifier: SignatureVerifier,
): Promise<ReportCheck> {
  const problems = new Map<Problem, string[]>();
  const note = (problem: Problem, eventId: string) =>
    problems.set(problem, [...(problems.get(problem) ?? []), eventId]);
  const linkHashes = new Map(subject.links.map((link) => [link.eventId, link.eventHash]));
  const treeSize = subject.checkpoint?.treeSize ?? 0;
  const anchored: ReportEvent[] = [];
  const pending: string[] = [];
  const sound: ReportEvent[] = [];
  for (const eventId of subject.behindEventIds) {
    const event = subject.events.get(eventId);
    if (!event) {
      note('missing', eventId);
      continue;
    }
    const problem = eventProblem(event, linkHashes.get(eventId));
    if (problem !== null) note(problem, eventId);
    else sound.push(event);
    if (event.leafIndex !== null && event.leafIndex < treeSize) anchored.push(event);
    else pending.push(eventId);
  }
  for (const eventId of await badSignatures(sound, verifier)) note('signature_invalid', eventId);
  const paths = await inclusionPaths(
    trx,
    anchored.map((event) => event.leafIndex ?? 0),
    treeSize,
  );
  const rootHash = subject.checkpoint?.rootHash;
  for (const [position, event] of anchored.entries()) {
    const leaf = leafHash(sha256(event.statement));
    const path = paths[position] ?? [];
    if (!rootHash || !verifyInclusion(leaf, event.leafIndex ?? 0, treeSize, path, rootHash))
      note('inclusion_invalid', event.eventId);
  }
  const findings: Finding[] = [...problems.entries()].map(([problem, ids]) => ({
    status: 'fail',
    summary: `${ids.length} ${problemSentences[problem]}`,
    evidence: [evidence(problemSentences[problem], 'event', ids)],
  }));
  if (pending.length > 0) {
    findings.push({
      status: 'warn',
      summary: `${pending.length} events are not in the latest checkpoint yet (anchoring takes about a second); ask again`,
      evidence: [evidence('events not yet anchored', 'event', pending)],
    });
  }
  const checked = subject.behindEventIds.filter((id) => subject.events.has(id));
  findings.push({
    status: 'pass',
    summary: '',
    evidence: [
      evidence('events checked, in order', 'event', checked),
      evidence(
        'their event hashes',
        'hash',
        checked.map((id) => toHex(subject.events.get(id)?.eventHash ?? Buffer.alloc(0))),
      ),
      evidence('events proven included in the checkpoint', 'number', [anchored.length]),
    ],
  });
  return checkOf(
    'integrity',
    `all ${checked.length} events behind the receivable hash to what was signed, carry valid signatures by their actors' keys active at the time, and are included in the checkpoint`,
    findings,
  );
}
