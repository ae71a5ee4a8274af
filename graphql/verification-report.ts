/** The lender's verification report: made for a receivable, or fetched again by its hash. */
import {
  type CheckName,
  type CheckStatus,
  checkNames,
  checkStatuses,
  type Evidence,
  evidenceKinds,
  type ReportCheck,
  type VerificationReport,
  verdicts,
} from '../services/verify/report.js';
import { verificationReport, verificationReportByHash } from '../services/verify/report.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';

const VerdictEnum = builder.enumType('ReportVerdict', {
  description: 'FAILED if any check fails, SUSPICIOUS if any warns, GENUINE otherwise.',
  values: screamingValues(verdicts),
});

const CheckStatusEnum = builder.enumType('ReportCheckStatus', { values: screamingValues(checkStatuses) });

const CheckNameEnum = builder.enumType('ReportCheckName', {
  values: screamingValues(checkNames, {
    integrity:
      'Every event behind the receivable re-hashed, its signature and key checked, its inclusion proven.',
    document_chain:
      'Order, shipment, receipt, invoice and confirmation between one buyer and seller, adding up.',
    lineage: 'The part descends from the confirmed root and the amounts of the tree conserve.',
    duplicates:
      'The same tax invoice, goods receipt or blinded fingerprint financed elsewhere; the root over its face.',
    circular_trade: 'A cycle of confirmed invoices through this one within 90 days and 20%.',
    related_parties: 'Buyer and seller, or a lender and the holder, in one ownership group.',
    post_funding: 'Alerts raised on its financings after disbursement.',
  }),
});

const EvidenceKindEnum = builder.enumType('ReportEvidenceKind', {
  description:
    'What the values are: an event id, a hash, a document, a receivable, a financing, a party id, an amount (decimal), a number, a date or text.',
  values: screamingValues(evidenceKinds),
});

const EvidenceRef = builder.objectRef<Evidence>('ReportEvidence').implement({
  fields: (t) => ({
    label: t.exposeString('label'),
    kind: t.field({ type: EvidenceKindEnum, resolve: (item) => item.kind }),
    values: t.exposeStringList('values'),
  }),
});

const CheckRef = builder.objectRef<ReportCheck>('ReportCheck').implement({
  fields: (t) => ({
    name: t.field({ type: CheckNameEnum, resolve: (check): CheckName => check.name }),
    status: t.field({ type: CheckStatusEnum, resolve: (check): CheckStatus => check.status }),
    summary: t.exposeString('summary'),
    evidence: t.field({ type: [EvidenceRef], resolve: (check) => check.evidence }),
  }),
});

const ReportRef = builder.objectRef<VerificationReport>('VerificationReport').implement({
  description:
    'Whether the trade behind a receivable is genuine and financed nowhere else, check by check. `json` is its RFC 8785 text; `hash` its SHA-256, which an offer records.',
  fields: (t) => ({
    hash: t.field({ type: 'HexBytes', resolve: (report) => report.hash }),
    receivableId: t.expose('receivableId', { type: 'UUID' }),
    verdict: t.field({ type: VerdictEnum, resolve: (report) => report.body.verdict }),
    checkpointTreeSize: t.int({
      nullable: true,
      description: 'The checkpoint every inclusion was proven against.',
      resolve: (report) => report.body.checkpoint?.treeSize ?? null,
    }),
    generatedAt: t.field({ type: 'DateTime', resolve: (report) => new Date(report.body.generatedAt) }),
    checks: t.field({ type: [CheckRef], resolve: (report) => report.body.checks }),
    json: t.exposeString('json', { description: 'The canonical JSON, byte for byte what was hashed.' }),
  }),
});

builder.queryFields((t) => ({
  verificationReport: t.field({
    type: ReportRef,
    authScopes: { authenticated: true },
    errors: domainErrors('VerificationReportResult'),
    description:
      'Checks the receivable now and stores the report. For its holder, the lenders asked to finance it or that financed it, auditors and platform administrators.',
    args: { receivableId: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await verificationReport(context.ledger, actorOf(context), args.receivableId)),
  }),
  verificationReportByHash: t.field({
    type: ReportRef,
    authScopes: { authenticated: true },
    errors: domainErrors('VerificationReportByHashResult'),
    description: 'A stored report, for whoever may read its receivable’s report.',
    args: { hash: t.arg({ type: 'HexBytes', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await verificationReportByHash(context.ledger, actorOf(context), args.hash.toLowerCase())),
  }),
}));
