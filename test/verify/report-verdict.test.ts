/**
 * The pure core of the lender's verification report (services/verify/report.ts): how a check's
 * status and sentence follow from its findings, how the verdict follows from the checks, and the exact
 * bytes and hash a lender's offer records. No database: run by mutation testing too.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type CheckStatus,
  checkNames,
  checkOf,
  checkStatuses,
  evidence,
  evidenceKinds,
  type Finding,
  type ReportBody,
  reportFormat,
  sealReport,
  verdictOf,
  verdicts,
  worst,
} from '../../services/verify/report.js';

const finding = (status: CheckStatus, summary: string, ...values: string[]): Finding => ({
  status,
  summary,
  evidence: [evidence(`${status} evidence`, 'event', values)],
});

describe('the report vocabulary', () => {
  it('names the format, statuses, verdicts, evidence kinds and the checks in the order a report lists them', () => {
    expect(reportFormat).toBe('tradeproof-verification-report/v1');
    expect(checkStatuses).toEqual(['pass', 'warn', 'fail']);
    expect(verdicts).toEqual(['genuine', 'suspicious', 'failed']);
    expect(checkNames).toEqual([
      'integrity',
      'document_chain',
      'lineage',
      'duplicates',
      'circular_trade',
      'related_parties',
      'post_funding',
    ]);
    expect(evidenceKinds).toEqual([
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
    ]);
  });
});

describe('the worst status and the verdict', () => {
  it.each<[CheckStatus[], CheckStatus]>([
    [[], 'pass'],
    [['pass', 'pass'], 'pass'],
    [['pass', 'warn', 'pass'], 'warn'],
    [['warn', 'pass'], 'warn'],
    [['fail', 'warn', 'pass'], 'fail'],
    [['pass', 'warn', 'fail', 'warn'], 'fail'],
  ])('of %j is %s', (statuses, expected) => {
    expect(worst(statuses)).toBe(expected);
  });

  it.each<[CheckStatus[], string]>([
    [[], 'genuine'],
    [['pass', 'pass', 'pass'], 'genuine'],
    [['pass', 'warn', 'pass'], 'suspicious'],
    [['warn', 'fail', 'pass'], 'failed'],
    [['fail'], 'failed'],
  ])('checks %j give the verdict %s', (statuses, expected) => {
    expect(verdictOf(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe('a check from its findings', () => {
  it('passes with the passing sentence and keeps the evidence of its passing findings', () => {
    const check = checkOf('lineage', 'all parts conserve their amounts', [
      finding('pass', 'not shown', 'event-1'),
      { status: 'pass', summary: '', evidence: [evidence('parts', 'number', [2])] },
    ]);
    expect(check).toEqual({
      name: 'lineage',
      status: 'pass',
      summary: 'all parts conserve their amounts',
      evidence: [
        { label: 'pass evidence', kind: 'event', values: ['event-1'] },
        { label: 'parts', kind: 'number', values: ['2'] },
      ],
    });
  });

  it('with no findings passes with the passing sentence and no evidence', () => {
    expect(checkOf('duplicates', 'no other receivable', [])).toEqual({
      name: 'duplicates',
      status: 'pass',
      summary: 'no other receivable',
      evidence: [],
    });
  });

  it('warns with only the warning sentence when one finding warns', () => {
    const check = checkOf('document_chain', 'the chain holds', [
      finding('pass', 'the quantities hold', 'event-1'),
      finding('warn', 'a custodial key signed it', 'event-2'),
    ]);
    expect(check.status).toBe('warn');
    expect(check.summary).toBe('a custodial key signed it');
    expect(check.evidence.map((item) => item.values)).toEqual([['event-1'], ['event-2']]);
  });

  it('fails and names every problem, in order, separated by "; "', () => {
    const check = checkOf('document_chain', 'the chain holds', [
      finding('warn', 'a custodial key signed it', 'event-1'),
      finding('pass', 'the quantities hold', 'event-2'),
      finding('fail', 'the invoice is dated before the order', 'event-3', 'event-4'),
    ]);
    expect(check).toEqual({
      name: 'document_chain',
      status: 'fail',
      summary: 'a custodial key signed it; the invoice is dated before the order',
      evidence: [
        { label: 'warn evidence', kind: 'event', values: ['event-1'] },
        { label: 'pass evidence', kind: 'event', values: ['event-2'] },
        { label: 'fail evidence', kind: 'event', values: ['event-3', 'event-4'] },
      ],
    });
  });

  it('writes numeric evidence as decimal text, in the order given', () => {
    expect(evidence('parts in the tree', 'number', [12, '3', 0])).toEqual({
      label: 'parts in the tree',
      kind: 'number',
      values: ['12', '3', '0'],
    });
  });
});

describe('the sealed report', () => {
  // Built inside each test: evidence() is code under mutation, and a fixture that throws while the
  // file is collected hides the failure from mutation testing.
  const bodyOf = (): ReportBody => ({
    format: reportFormat,
    receivableId: 'receivable-1',
    invoiceId: 'invoice-1',
    checkpoint: { treeSize: 7, rootHash: 'ab'.repeat(32) },
    generatedAt: '2025-03-10T12:00:00.000Z',
    verdict: 'suspicious',
    checks: [
      {
        name: 'integrity',
        status: 'warn',
        summary: 'one event was signed with a custodial key',
        evidence: [evidence('custodial', 'event', ['event-2'])],
      },
    ],
  });
  const expectedJson =
    '{"checkpoint":{"rootHash":"' +
    'ab'.repeat(32) +
    '","treeSize":7},"checks":[{"evidence":[{"kind":"event","label":"custodial","values":["event-2"]}],' +
    '"name":"integrity","status":"warn","summary":"one event was signed with a custodial key"}],' +
    '"format":"tradeproof-verification-report/v1","generatedAt":"2025-03-10T12:00:00.000Z",' +
    '"invoiceId":"invoice-1","receivableId":"receivable-1","verdict":"suspicious"}';

  it('is the canonical JSON of its body (keys sorted, no spaces), named by the SHA-256 of those bytes', () => {
    const body = bodyOf();
    const report = sealReport(body);
    expect(report.json).toBe(expectedJson);
    expect(report.hash).toBe(createHash('sha256').update(expectedJson, 'utf8').digest('hex'));
    expect(report.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.receivableId).toBe('receivable-1');
    expect(report.body).toBe(body);
  });

  it('is named by another hash when its verdict differs', () => {
    const other = sealReport({ ...bodyOf(), verdict: 'failed' });
    expect(other.hash).not.toBe(sealReport(bodyOf()).hash);
    expect(other.json).toContain('"verdict":"failed"');
  });
});
