/**
 * The verification report on a genuine tier-2 receivable: every check passes with its evidence, the
 * report is stored under its hash and fetched again, only those the rule names may read it, and an
 * edited row or a broken tree fails the check that owns it.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256, toHex } from '../../services/crypto/index.js';
import { verificationReport, verificationReportByHash } from '../../services/verify/report.service.js';
import { anchorAll } from '../support/anchor.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import {
  type Confirmed,
  check,
  confirmedInvoice,
  evidenceValues,
  financingRow,
  reportFor,
  statuses,
  transferred,
} from './report-world.js';

const ledger = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let tier1: TestParty;
let tier2: TestParty;
let trade: Confirmed;
let tier1Id: string;
let tier2Id: string;

beforeAll(async () => {
  buyer = await ledger.newParty(['core_enterprise']);
  seller = await ledger.newParty(['supplier']);
  tier1 = await ledger.newParty(['supplier']);
  tier2 = await ledger.newParty(['supplier'], { custodial: true });
  trade = await confirmedInvoice(ledger, buyer, seller);
  tier1Id = await transferred(ledger, seller, trade.rootId, tier1, '600.00');
  tier2Id = await transferred(ledger, tier1, tier1Id, tier2, '250.00');
  await anchorAll(ledger);
});

describe('the verification report of a genuine tier-2 receivable', () => {
  it('reads GENUINE with every check passing and its evidence named', async () => {
    const report = await reportFor(ledger, tier2, tier2Id);
    expect(report.body.verdict).toBe('genuine');
    expect(statuses(report)).toEqual({
      integrity: 'pass',
      document_chain: 'pass',
      lineage: 'pass',
      duplicates: 'pass',
      circular_trade: 'pass',
      related_parties: 'pass',
      post_funding: 'pass',
    });
    // Order, shipment, receipt, then the chain: invoice, confirmation, two transfers.
    expect(check(report, 'integrity').evidence[0]?.values).toHaveLength(7);
    expect(evidenceValues(report, 'lineage')).toEqual(
      expect.arrayContaining([trade.rootId, tier1Id, tier2Id, '1000.00', '600.00', '250.00']),
    );
    expect(evidenceValues(report, 'document_chain')).toContain(trade.invoiceId);
    // Nothing disbursed yet, nothing watched: the check still says what it found.
    expect(check(report, 'post_funding').evidence).toEqual([
      { label: 'alerts raised after disbursement', kind: 'number', values: ['0'] },
    ]);
    expect(report.body.checkpoint?.treeSize).toBeGreaterThan(0);
    expect(report.body).toMatchObject({ receivableId: tier2Id, invoiceId: trade.invoiceId });
  });

  it('is RFC 8785 JSON named by its SHA-256, stored, and fetched again by that hash', async () => {
    const report = await reportFor(ledger, tier2, tier2Id);
    expect(report.json).toBe(canonicalJson(JSON.parse(report.json)));
    expect(report.hash).toBe(toHex(sha256(report.json)));
    const stored = await ledger.owner.db
      .selectFrom('verification_report')
      .selectAll()
      .where('hash', '=', report.hash)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ receivable_id: tier2Id, body: report.json });
    const fetched = await verificationReportByHash(ledger.ledger, tier2.actor, report.hash);
    expect(fetched.ok && fetched.value.json).toBe(report.json);
  });

  it('differs between two runs on one state only in generatedAt; the same instant gives the same hash, stored once', async () => {
    const first = await reportFor(ledger, tier2, tier2Id);
    const second = await reportFor(ledger, tier2, tier2Id);
    const { generatedAt: _first, ...firstRest } = first.body;
    const { generatedAt: _second, ...secondRest } = second.body;
    expect(canonicalJson(secondRest)).toBe(canonicalJson(firstRest));
    const now = new Date('2026-01-02T03:04:05.678Z');
    const pinned = await verificationReport(ledger.ledger, tier2.actor, tier2Id, { now });
    const again = await verificationReport(ledger.ledger, tier2.actor, tier2Id, { now });
    expect(pinned.ok && again.ok && pinned.value.hash === again.value.hash).toBe(true);
    const rows = await ledger.owner.db
      .selectFrom('verification_report')
      .select('hash')
      .where('hash', '=', pinned.ok ? pinned.value.hash : '')
      .execute();
    expect(rows).toHaveLength(1);
  });
});

describe('who may read the report', () => {
  const code = async (party: TestParty | null, receivableId: string) => {
    const report = await verificationReport(ledger.ledger, party ? party.actor : ledger.admin, receivableId);
    return report.ok ? report.value.body.verdict : report.code;
  };

  it('lets the holder, auditors and platform administrators read it, and nobody else', async () => {
    const stranger = await ledger.newParty(['supplier']);
    const auditor = await ledger.newParty(['auditor']);
    expect(await code(tier2, tier2Id)).toBe('genuine');
    expect(await code(auditor, tier2Id)).toBe('genuine');
    expect(await code(null, tier2Id)).toBe('genuine');
    expect(await code(stranger, tier2Id)).toBe('receivable_not_found');
    // The obligor and the holders above see the lineage, but the report is the holder's and its lenders'.
    expect(await code(buyer, tier2Id)).toBe('receivable_not_found');
    expect(await code(tier1, tier2Id)).toBe('receivable_not_found');
    expect(await code(stranger, '00000000-0000-4000-8000-000000000000')).toBe('receivable_not_found');
    expect(await code(tier2, 'not-a-uuid')).toBe('invalid_input');
  });

  it('lets a lender asked by an open request read it, never a lender not asked', async () => {
    const asked = await ledger.newParty(['lender']);
    const notAsked = await ledger.newParty(['lender']);
    const before = await code(asked, tier1Id);
    await financingRow(ledger, tier1Id, { lenders: [asked], status: 'requested' });
    expect(before).toBe('receivable_not_found');
    expect(await code(asked, tier1Id)).toBe('genuine');
    expect(await code(notAsked, tier1Id)).toBe('receivable_not_found');
    const report = await reportFor(ledger, asked, tier1Id);
    const byHash = (party: TestParty) =>
      verificationReportByHash(ledger.ledger, party.actor, report.hash).then((found) =>
        found.ok ? 'found' : found.code,
      );
    expect(await byHash(asked)).toBe('found');
    expect(await byHash(notAsked)).toBe('verification_report_not_found');
    expect(await byHash(tier2)).toBe('verification_report_not_found');
    await sql`DELETE FROM financing_lender WHERE lender_party_id = ${asked.party.id}::UUID`.execute(
      ledger.owner.db,
    );
  });
});

describe('a tampered ledger', () => {
  it('fails integrity when an event body was edited in the database', async () => {
    const shipment = await ledger.owner.db
      .selectFrom('event')
      .select(['id', 'statement'])
      .where('kind', '=', 'shipment.recorded')
      .where('actor_party_id', '=', seller.party.id)
      .executeTakeFirstOrThrow();
    const edited = Buffer.from(shipment.statement.toString('utf8').replace('"10"', '"12"'), 'utf8');
    expect(edited.equals(shipment.statement)).toBe(false);
    await ledger.owner.db
      .updateTable('event')
      .set({ statement: edited })
      .where('id', '=', shipment.id)
      .execute();
    try {
      const report = await reportFor(ledger, tier2, tier2Id);
      expect(report.body.verdict).toBe('failed');
      expect(check(report, 'integrity')).toMatchObject({
        status: 'fail',
        evidence: expect.arrayContaining([
          expect.objectContaining({ label: expect.stringContaining('do not hash'), values: [shipment.id] }),
        ]),
      });
    } finally {
      await ledger.owner.db
        .updateTable('event')
        .set({ statement: shipment.statement })
        .where('id', '=', shipment.id)
        .execute();
    }
  });

  it('fails lineage when a part no longer adds up to its children', async () => {
    await sql`UPDATE receivable SET transferred_minor = transferred_minor - 100 WHERE id = ${tier1Id}::UUID`.execute(
      ledger.owner.db,
    );
    try {
      const report = await reportFor(ledger, tier2, tier2Id);
      expect(check(report, 'lineage').status).toBe('fail');
      expect(evidenceValues(report, 'lineage')).toContain(tier1Id);
    } finally {
      await sql`UPDATE receivable SET transferred_minor = transferred_minor + 100 WHERE id = ${tier1Id}::UUID`.execute(
        ledger.owner.db,
      );
    }
  });

  it('warns with their ids about events not yet anchored', async () => {
    const child = await transferred(ledger, tier1, tier1Id, tier2, '10.00');
    const report = await reportFor(ledger, tier2, child);
    expect(check(report, 'integrity').status).toBe('warn');
    const pending = check(report, 'integrity').evidence.find(
      (item) => item.label === 'events not yet anchored',
    );
    expect(pending?.values).toHaveLength(1);
    await anchorAll(ledger);
    expect(check(await reportFor(ledger, tier2, child), 'integrity').status).toBe('pass');
  });
});

describe('the report on GraphQL', () => {
  const reportQuery = `query ($id: UUID!) {
    verificationReport(receivableId: $id) {
      __typename
      ... on VerificationReport {
        hash verdict checkpointTreeSize json
        checks { name status summary evidence { label kind values } }
      }
      ... on DomainError { code }
    }
  }`;
  const byHashQuery = `query ($hash: HexBytes!) {
    verificationReportByHash(hash: $hash) {
      __typename
      ... on VerificationReport { hash verdict json }
      ... on DomainError { code }
    }
  }`;

  it('answers the holder with the verdict, each check in SCREAMING_SNAKE_CASE and the canonical JSON', async () => {
    const answer = await ledger.gql(reportQuery, { id: tier2Id }, tier2.apiKey);
    const report = answer.data?.verificationReport;
    expect(report).toMatchObject({ __typename: 'VerificationReport', verdict: 'GENUINE' });
    expect(report.checks.map((entry: { name: string }) => entry.name)).toEqual([
      'INTEGRITY',
      'DOCUMENT_CHAIN',
      'LINEAGE',
      'DUPLICATES',
      'CIRCULAR_TRADE',
      'RELATED_PARTIES',
      'POST_FUNDING',
    ]);
    expect(report.checks[0].evidence[0]).toMatchObject({ kind: 'EVENT' });
    expect(report.hash).toBe(toHex(sha256(report.json)));
    const again = await ledger.gql(byHashQuery, { hash: report.hash.toUpperCase() }, tier2.apiKey);
    expect(again.data?.verificationReportByHash).toMatchObject({ hash: report.hash, json: report.json });
  });

  it('answers anyone else RECEIVABLE_NOT_FOUND, and a hash it may not read VERIFICATION_REPORT_NOT_FOUND', async () => {
    const stranger = await ledger.newParty(['lender']);
    const answer = await ledger.gql(reportQuery, { id: tier2Id }, stranger.apiKey);
    expect(answer.data?.verificationReport).toEqual({
      __typename: 'DomainError',
      code: 'RECEIVABLE_NOT_FOUND',
    });
    const { hash } = await reportFor(ledger, tier2, tier2Id);
    const byHash = await ledger.gql(byHashQuery, { hash }, stranger.apiKey);
    expect(byHash.data?.verificationReportByHash).toEqual({
      __typename: 'DomainError',
      code: 'VERIFICATION_REPORT_NOT_FOUND',
    });
  });
});
