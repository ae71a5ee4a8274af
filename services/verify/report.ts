/**
 * The lender's verification report: types and pure rules. A report is a list of checks, each PASS,
 * WARN or FAIL with the evidence it rests on (event ids, hashes, amounts), and one verdict read from
 * them. It travels as RFC 8785 JSON and is named by the SHA-256 of those bytes, so that an offer can
 * record exactly which report it relied on and anyone can fetch that report again.
 *
 * Values are lowercase here and in the JSON, as everywhere below the API; GraphQL spells them
 * SCREAMING_SNAKE_CASE (graphql/enums.ts).
 */
import { canonicalJson, sha256, toHex } from '../crypto/index.js';

export const reportFormat = 'tradeproof-verification-report/v1';

export const checkStatuses = ['pass', 'warn', 'fail'] as const;
export type CheckStatus = (typeof checkStatuses)[number];

export const verdicts = ['genuine', 'suspicious', 'failed'] as const;
export type Verdict = (typeof verdicts)[number];

/** The checks, in the order a report lists them. */
export const checkNames = [
  'integrity',
  'document_chain',
  'lineage',
  'duplicates',
  'circular_trade',
  'related_parties',
  'post_funding',
] as const;
export type CheckName = (typeof checkNames)[number];

/** What an evidence item's values are, so that a reader knows where to look each one up. */
export const evidenceKinds = [
  'event',
  'hash',
  'document',
  'receivable',
  'financing',
  'party',
  'amount',
  'number',
  'date',
  'text',
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/** One fact a check rests on: a label, what kind of values, the values (amounts as decimal text). */
export interface Evidence {
  label: string;
  kind: EvidenceKind;
  values: string[];
}

export interface ReportCheck {
  name: CheckName;
  status: CheckStatus;
  /** One sentence for people: what was checked and what was found. */
  summary: string;
  evidence: Evidence[];
}

export interface ReportBody {
  format: typeof reportFormat;
  receivableId: string;
  invoiceId: string;
  /** The checkpoint every inclusion was verified against: null while the log has none. */
  checkpoint: { treeSize: number; rootHash: string } | null;
  /** When the report was made (ISO 8601, milliseconds): the one field two reports of one state differ in. */
  generatedAt: string;
  verdict: Verdict;
  checks: ReportCheck[];
}

export interface VerificationReport {
  /** SHA-256 of `json`, lowercase hex. */
  hash: string;
  receivableId: string;
  body: ReportBody;
  /** The canonical JSON text, byte for byte what was hashed and stored. */
  json: string;
}

const severity: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

/** The worse of the statuses; PASS for none. */
export function worst(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((a, b) => (severity[b] > severity[a] ? b : a), 'pass');
}

/** FAILED if any check fails, SUSPICIOUS if any warns, GENUINE otherwise. */
export function verdictOf(checks: readonly Pick<ReportCheck, 'status'>[]): Verdict {
  const status = worst(checks.map((check) => check.status));
  return status === 'fail' ? 'failed' : status === 'warn' ? 'suspicious' : 'genuine';
}

/** An evidence item; values are sorted where the caller says their order carries no meaning. */
export function evidence(label: string, kind: EvidenceKind, values: readonly (string | number)[]): Evidence {
  return { label, kind, values: values.map(String) };
}

/** A finding of a check: its status, a sentence, and the evidence for it. */
export interface Finding {
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
}

/**
 * A check from its findings: the worst status, the problems' sentences (or the passing sentence when
 * nothing is wrong), and all the evidence.
 */
export function checkOf(name: CheckName, passed: string, findings: readonly Finding[]): ReportCheck {
  const status = worst(findings.map((finding) => finding.status));
  const problems = findings.filter((finding) => finding.status !== 'pass');
  return {
    name,
    status,
    summary: problems.length === 0 ? passed : problems.map((finding) => finding.summary).join('; '),
    evidence: findings.flatMap((finding) => finding.evidence),
  };
}

/** The report as canonical JSON and its hash. */
export function sealReport(body: ReportBody): VerificationReport {
  const json = canonicalJson(body);
  return { hash: toHex(sha256(json)), receivableId: body.receivableId, body, json };
}
