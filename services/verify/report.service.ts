/**
 * The lender's verification report on a receivable (docs: "Verification report and proof bundles"),
 * made from one snapshot of the ledger, stored under the SHA-256 of its canonical JSON, and
 * fetched again by that hash. Who may read it: the receivable's holder, a lender asked by a request
 * on it that is still open or that financed it, auditors and platform administrators. To anyone
 * else the receivable does not exist.
 */

import type { Ledger } from '../context.js';
import { toHex } from '../crypto/index.js';
import { inlineVerifier, type SignatureVerifier } from '../crypto/verify-pool.js';
import { inOneStatement, inSnapshot, type Trx } from '../db/transaction.js';
import { isUuid } from '../input-rules.js';
import { type Actor, seesEverything } from '../parties/party.js';
import type { Receivable } from '../receivables/receivable.js';
import { findReceivable } from '../receivables/receivable.repository.js';
import { fail, ok, type Result } from '../result.js';
import {
  type ReportBody,
  type ReportCheck,
  reportFormat,
  sealReport,
  type VerificationReport,
  verdictOf,
} from './report.js';
import { findReport, insertReport } from './report.repository.js';
import { documentChainCheck } from './report-document-chain.js';
import { duplicatesCheck } from './report-duplicates.js';
import { integrityCheck } from './report-integrity.js';
import { lineageCheck } from './report-lineage.js';
import { circularTradeCheck, relatedPartiesCheck } from './report-parties.js';
import { lendersOf } from './report-parties.repository.js';
import { postFundingCheck } from './report-post-funding.js';
import { loadSubject } from './report-subject.js';

const notFound = () => fail('receivable_not_found', 'no receivable with that id', 'receivableId');

/** The receivable if the actor may read its report, with the lenders it was put to. */
async function readable(
  trx: Trx,
  actor: Actor,
  receivableId: string,
  now: Date,
): Promise<{ receivable: Receivable; lenders: string[] } | null> {
  const receivable = await findReceivable(trx, receivableId);
  if (!receivable) return null;
  const { asked, financedBy } = await lendersOf(trx, receivableId, now);
  const lenders = [...new Set([...asked, ...financedBy])].sort();
  const allowed =
    seesEverything(actor) || receivable.holderPartyId === actor.partyId || lenders.includes(actor.partyId);
  return allowed ? { receivable, lenders } : null;
}

async function buildBody(
  trx: Trx,
  verifier: SignatureVerifier,
  receivable: Receivable,
  lenders: readonly string[],
  now: Date,
): Promise<ReportBody | null> {
  const subject = await loadSubject(trx, receivable);
  if (!subject) return null;
  const checks: ReportCheck[] = [
    await integrityCheck(trx, subject, verifier),
    await documentChainCheck(trx, subject),
    lineageCheck(subject),
    await duplicatesCheck(trx, subject),
    await circularTradeCheck(trx, subject),
    await relatedPartiesCheck(trx, subject, lenders),
    await postFundingCheck(trx, subject),
  ];
  const { checkpoint } = subject;
  return {
    format: reportFormat,
    receivableId: receivable.id,
    invoiceId: receivable.invoiceId,
    checkpoint: checkpoint ? { treeSize: checkpoint.treeSize, rootHash: toHex(checkpoint.rootHash) } : null,
    generatedAt: now.toISOString(),
    verdict: verdictOf(checks),
    checks,
  };
}

/**
 * Checks the receivable and stores the report (once per distinct body).
 *
 * Failure codes: invalid_input (not a UUID), receivable_not_found (absent, or not readable by the
 * actor).
 */
export async function verificationReport(
  ledger: Ledger,
  actor: Actor,
  receivableId: string,
  options: { now?: Date } = {},
): Promise<Result<VerificationReport>> {
  if (!isUuid(receivableId))
    return fail('invalid_input', 'receivableId must be a lowercase UUID', 'receivableId');
  const now = options.now ?? new Date();
  const body = await inSnapshot(ledger.db, async (trx) => {
    const found = await readable(trx, actor, receivableId, now);
    return found && buildBody(trx, ledger.verifier ?? inlineVerifier, found.receivable, found.lenders, now);
  });
  if (!body) return notFound();
  const report = sealReport(body);
  await inOneStatement(ledger.db, (db) => insertReport(db, report));
  return ok(report);
}

/**
 * A stored report by its hash, for whoever may read its receivable's report now.
 *
 * Failure codes: invalid_input (not 64 lowercase hex digits), verification_report_not_found (no such
 * report, or its receivable is not readable by the actor).
 */
export async function verificationReportByHash(
  ledger: Ledger,
  actor: Actor,
  hash: string,
  options: { now?: Date } = {},
): Promise<Result<VerificationReport>> {
  if (!/^[0-9a-f]{64}$/.test(hash))
    return fail('invalid_input', 'hash must be 64 lowercase hex digits', 'hash');
  const now = options.now ?? new Date();
  const stored = await inSnapshot(ledger.db, async (trx) => {
    const row = await findReport(trx, hash);
    return row && (await readable(trx, actor, row.receivableId, now)) ? row : null;
  });
  if (!stored) return fail('verification_report_not_found', `no verification report ${hash}`, 'hash');
  const body = JSON.parse(stored.json) as ReportBody;
  return ok({ hash, receivableId: stored.receivableId, body, json: stored.json });
}
