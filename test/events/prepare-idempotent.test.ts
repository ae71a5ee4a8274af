/**
 * Preparing is idempotent: the same input under the same key gets the same statement back while it
 * would still be accepted, so a client that re-prepares after a timeout and submits either statement
 * gets one event. A statement's occurredAt must lie in a window around the server's time.
 */
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultPolicy, type Ledger } from '../../services/context.js';
import { canonicalJson } from '../../services/crypto/index.js';
import type { Envelope } from '../../services/events/envelope.js';
import { type PreparedFact, prepareFact, submitFact } from '../../services/events/fact.service.js';
import type { Result } from '../../services/result.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { confirm, creditNote, issueInvoice, recorded } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';
import { purchaseOrderPayload } from '../trade/trade-fixtures.js';

const t = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
const hourMs = 3_600_000;

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier'], { custodial: true });
});

afterEach(() => {
  vi.useRealTimers();
});

const order = () => purchaseOrderPayload(buyer, seller, [{ itemCode: 'A', quantity: '10', unitPrice: '25' }]);

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

const preparedOrder = async (payload: Record<string, unknown>, key: string, ledger: Ledger = t.ledger) =>
  value(await prepareFact(ledger, seller.actor, purchaseOrderKind, payload, key));

/** Moves Date (only Date: timers and the database stay real) by `ms`. */
function clockAhead(ms: number): void {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now + ms);
}

describe('preparing twice', () => {
  it('returns the identical statement for the same input under the same key', async () => {
    const payload = order();
    const key = freshKey('po');
    const first = await preparedOrder(payload, key);
    const second = await preparedOrder(payload, key);
    expect(second.statement).toBe(first.statement);
    expect(second.eventHash).toBe(first.eventHash);
  });

  it('returns the same statement to two concurrent prepares', async () => {
    const payload = order();
    const key = freshKey('po');
    const [one, two] = await Promise.all([preparedOrder(payload, key), preparedOrder(payload, key)]);
    expect(two.statement).toBe(one.statement);
  });

  it('returns the same statement over GraphQL, where a left-out documentId derives from the key', async () => {
    const { documentId: _documentId, ...input } = order();
    const lines = (input.lines as Array<Record<string, unknown>>).map((line) => ({ ...line }));
    const variables = { input: { ...input, lines, idempotencyKey: freshKey('po') } };
    const query = `mutation($input: PurchaseOrderInput!) { preparePurchaseOrder(input: $input) {
      ... on PreparedStatement { statement eventHash } ... on DomainError { code message } } }`;
    const first = await t.gql(query, variables, seller.apiKey);
    const second = await t.gql(query, variables, seller.apiKey);
    expect(first.data.preparePurchaseOrder.statement).toMatch(/^\{"actor"/);
    expect(second.data.preparePurchaseOrder).toEqual(first.data.preparePurchaseOrder);
  });

  it('refuses another input under a key already prepared, before it is ever submitted', async () => {
    const key = freshKey('po');
    const first = await preparedOrder(order(), key);
    const other = await prepareFact(t.ledger, seller.actor, purchaseOrderKind, order(), key);
    expect(other).toMatchObject({ ok: false, code: 'idempotency_key_reused', field: 'idempotencyKey' });
    const payload = first.envelope.payload;
    expect((await preparedOrder(payload, key)).statement).toBe(first.statement);
  });

  it('prepares a fresh statement once the stored one has left the occurredAt window', async () => {
    const payload = order();
    const key = freshKey('po');
    const first = await preparedOrder(payload, key);
    clockAhead(t.ledger.policy.occurredAtPastHoursMax * hourMs + 60_000);
    const second = await preparedOrder(payload, key);
    expect(second.statement).not.toBe(first.statement);
    expect(Date.parse(second.envelope.occurredAt)).toBeGreaterThan(Date.parse(first.envelope.occurredAt));
    expect(await preparedOrder(payload, key)).toEqual(second);
  });
});

/**
 * A hold resolution names the document on hold in its refs: prepared while a cancellation is
 * pending, its refs move when that is resolved under another key and a credit note goes on hold.
 */
async function resolutionWhoseRefsMove() {
  const invoiceId = await issueInvoice(t, seller, buyer);
  await confirm(t, buyer, invoiceId);
  await recorded(t, seller, 'invoice.cancelled', { invoiceId, reason: 'goods returned' });
  const payload = { invoiceId, outcome: 'rejected' };
  const key = freshKey('resolve');
  const prepare = async () =>
    value(await prepareFact(t.ledger, buyer.actor, 'invoice.hold_resolved', payload, key));
  const before = await prepare();
  await recorded(t, buyer, 'invoice.hold_resolved', payload);
  await recorded(t, seller, 'credit_note.issued', creditNote(invoiceId, '10.00'));
  return { before, prepare };
}

describe('preparing after the ledger moved', () => {
  it('returns a fresh statement with the refs the ledger now computes', async () => {
    const { before, prepare } = await resolutionWhoseRefsMove();
    const after = await prepare();
    expect(after.statement).not.toBe(before.statement);
    expect(after.envelope.refs).not.toEqual(before.envelope.refs);
    expect((await prepare()).statement).toBe(after.statement);
  });

  it('answers the older statement with envelope_invalid before, and as a replay after, the newer is recorded', async () => {
    const { before, prepare } = await resolutionWhoseRefsMove();
    const after = await prepare();
    const early = await submitFact(t.ledger, buyer.actor, before.statement, null);
    expect(early).toMatchObject({ ok: false, code: 'envelope_invalid', field: 'statement' });
    const appended = value(await submitFact(t.ledger, buyer.actor, after.statement, null));
    expect(appended.replayed).toBe(false);
    const snapshot = await t.snapshot();
    const replay = value(await submitFact(t.ledger, buyer.actor, before.statement, null));
    expect(replay).toMatchObject({ replayed: true, event: { id: appended.event.id } });
    expect(replay.event.eventHash.equals(appended.event.eventHash)).toBe(true);
    expect(await t.snapshot()).toBe(snapshot);
    expect((await prepare()).statement).toBe(after.statement);
  });
});

describe('submitting an older preparation', () => {
  it('is a replay of the one recorded, even once the older one is out of the window', async () => {
    const payload = order();
    const key = freshKey('po');
    const first = await preparedOrder(payload, key);
    clockAhead(t.ledger.policy.occurredAtPastHoursMax * hourMs + 60_000);
    const second = await preparedOrder(payload, key);
    const appended = value(await submitFact(t.ledger, seller.actor, second.statement, null));
    const replay = value(await submitFact(t.ledger, seller.actor, first.statement, null));
    expect(replay).toMatchObject({ replayed: true, event: { id: appended.event.id } });
  });
});

/** The prepared statement with occurredAt moved by `ms`, canonical again: as a client could build it. */
function shifted(prepared: PreparedFact, ms: number): string {
  const occurredAt = new Date(Date.parse(prepared.envelope.occurredAt) + ms).toISOString();
  return canonicalJson({ ...prepared.envelope, occurredAt } satisfies Envelope);
}

describe('occurredAt on submit', () => {
  // The test ledger runs with the default policy.
  const { occurredAtPastHoursMax: pastHours, occurredAtFutureSecondsMax: futureSeconds } = defaultPolicy;

  it.each([
    ['too long ago', -(pastHours * hourMs + 60_000)],
    ['too far ahead', futureSeconds * 1000 + 60_000],
  ])('refuses one %s as occurred_at_out_of_window, writing nothing', async (_name, ms) => {
    const statement = shifted(await preparedOrder(order(), freshKey('po')), ms);
    const before = await t.snapshot();
    const result = await submitFact(t.ledger, seller.actor, statement, null);
    expect(result).toMatchObject({ ok: false, code: 'occurred_at_out_of_window', field: 'occurredAt' });
    expect(await t.snapshot()).toBe(before);
  });

  it.each([
    ['a person took a while to sign', -(pastHours * hourMs - 60_000)],
    ["the client's clock is a little ahead", futureSeconds * 1000 - 60_000],
  ])('accepts one inside the window: %s', async (_name, ms) => {
    const statement = shifted(await preparedOrder(order(), freshKey('po')), ms);
    expect(await submitFact(t.ledger, seller.actor, statement, null)).toMatchObject({ ok: true });
  });

  it('follows the configured window', async () => {
    const strict: Ledger = { ...t.ledger, policy: { ...t.ledger.policy, occurredAtPastHoursMax: 1 } };
    const statement = shifted(await preparedOrder(order(), freshKey('po')), -2 * hourMs);
    expect(await submitFact(strict, seller.actor, statement, null)).toMatchObject({
      ok: false,
      code: 'occurred_at_out_of_window',
    });
    expect(await submitFact(t.ledger, seller.actor, statement, null)).toMatchObject({ ok: true });
  });

  it('is a DomainError over GraphQL', async () => {
    const statement = shifted(await preparedOrder(order(), freshKey('po')), -(pastHours + 1) * hourMs);
    const answer = await t.gql(
      `mutation($statement: String!) { submitStatement(statement: $statement) {
        __typename ... on DomainError { code field retryable } } }`,
      { statement },
      seller.apiKey,
    );
    expect(answer.data.submitStatement).toEqual({
      __typename: 'DomainError',
      code: 'OCCURRED_AT_OUT_OF_WINDOW',
      field: 'occurredAt',
      retryable: false,
    });
  });
});

describe('the prepared statement table', () => {
  it('holds the statement prepare handed out', async () => {
    const key = freshKey('po');
    const prepared = await preparedOrder(order(), key);
    const row = await t.owner.db
      .selectFrom('prepared_statement')
      .selectAll()
      .where('actor_party_id', '=', seller.party.id)
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row.statement.toString('utf8')).toBe(prepared.statement);
    expect(row.event_hash.toString('hex')).toBe(prepared.eventHash);
  });

  it.each([
    ['DELETE', 'DELETE FROM prepared_statement'],
    ['TRUNCATE', 'TRUNCATE prepared_statement'],
  ])('may not be emptied by the app role: %s', async (_name, statement) => {
    await preparedOrder(order(), freshKey('po'));
    const failure = await sql
      .raw(statement)
      .execute(t.app.db)
      .catch((error: { code?: string }) => error.code);
    expect(failure).toBe('42501');
  });
});
