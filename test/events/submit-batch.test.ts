/**
 * submitStatements: many signed statements in one call, each answered on its own in input order,
 * signatures checked on the verifier threads, replays (also within one call) answered as such, and
 * concurrent overlapping batches ending with exactly one event per statement.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlLimits, startHttpServer } from '../../graphql/http.js';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import { loadConfig } from '../../services/config.js';
import { sign, toHex } from '../../services/crypto/index.js';
import { startVerifyPool, type VerifyPool } from '../../services/crypto/verify-pool.js';
import { prepareFact } from '../../services/events/fact.service.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { type GraphqlAnswer, type TestParty, testLimits, useTestLedger } from '../support/ledger.js';
import { purchaseOrderPayload } from '../trade/trade-fixtures.js';

const t = useTestLedger();
let buyer: TestParty;
let seller: TestParty;
let pool: VerifyPool;
/** A GraphQL handler whose ledger checks signatures on the pool, as the server's does. */
let gqlPooled: (query: string, variables: Record<string, unknown>, apiKey: string) => Promise<GraphqlAnswer>;

interface Item {
  statement: string;
  signature: string;
  idempotencyKey: string;
}

const submitStatements = `mutation($items: [SubmitStatementItem!]!) { submitStatements(items: $items) {
  __typename
  ... on SubmittedStatements { results { __typename
    ... on SubmittedStatement { replayed event { id eventHash } }
    ... on DomainError { code field retryable } } }
  ... on DomainError { code message field } } }`;

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier']);
  pool = startVerifyPool({ threads: 2 });
  const yoga = createGraphqlHandler({
    ledger: { ...t.ledger, verifier: pool },
    logSigner: t.logSigner,
    graphiql: false,
    ...testLimits,
  });
  gqlPooled = async (query, variables, apiKey) => {
    const response = await yoga.fetch('http://ledger.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
});

afterAll(async () => {
  await pool?.close();
});

const oneLine = [{ itemCode: 'A', quantity: '2', unitPrice: '10' }];

/** Purchase orders prepared by the seller and signed with its own key. */
async function signedOrders(
  count: number,
  lines = oneLine,
  fields: (index: number) => Record<string, unknown> = () => ({}),
): Promise<Item[]> {
  const items: Item[] = [];
  for (let index = 0; index < count; index++) {
    const payload = purchaseOrderPayload(buyer, seller, lines, fields(index));
    const idempotencyKey = freshKey('po');
    const prepared = await prepareFact(t.ledger, seller.actor, purchaseOrderKind, payload, idempotencyKey);
    if (!prepared.ok) throw new Error(`${prepared.code}: ${prepared.message}`);
    const keyPair = seller.keyPair;
    if (!keyPair) throw new Error('the seller holds its key');
    const signature = toHex(sign(keyPair.privateKey, Buffer.from(prepared.value.eventHash, 'hex')));
    items.push({ statement: prepared.value.statement, signature, idempotencyKey });
  }
  return items;
}

const wire = (items: Item[]) => items.map(({ statement, signature }) => ({ statement, signature }));

async function submit(items: Array<{ statement: string; signature?: string }>) {
  const answer = await gqlPooled(submitStatements, { items }, seller.apiKey);
  expect(answer.errors).toBeUndefined();
  return answer.data.submitStatements;
}

async function eventsUnder(keys: string[]): Promise<number> {
  const rows = await t.owner.db
    .selectFrom('event')
    .select('idempotency_key')
    .where('actor_party_id', '=', seller.party.id)
    .where('idempotency_key', 'in', keys)
    .execute();
  return rows.length;
}

function flipped(signature: string): string {
  const bytes = Buffer.from(signature, 'hex');
  bytes[40] = (bytes[40] ?? 0) ^ 0x01;
  return bytes.toString('hex');
}

describe('submitStatements', { timeout: 60_000 }, () => {
  it('answers each item in input order: written, refused, replayed', async () => {
    const [first, second, third, fourth] = await signedOrders(4);
    if (!first || !second || !third || !fourth) throw new Error('four orders');
    await submit(wire([first]));
    const results = (
      await submit([
        { statement: second.statement, signature: second.signature },
        { statement: first.statement, signature: first.signature },
        { statement: third.statement, signature: flipped(third.signature) },
        { statement: '{"not":"an envelope"}', signature: second.signature },
        { statement: fourth.statement, signature: fourth.signature },
        { statement: second.statement, signature: second.signature },
      ])
    ).results;
    expect(results.map((result: { __typename: string }) => result.__typename)).toEqual([
      'SubmittedStatement',
      'SubmittedStatement',
      'DomainError',
      'DomainError',
      'SubmittedStatement',
      'SubmittedStatement',
    ]);
    expect(results[0].replayed).toBe(false);
    expect(results[1].replayed).toBe(true);
    expect(results[2]).toMatchObject({ code: 'SIGNATURE_INVALID', field: 'signature', retryable: false });
    expect(results[3]).toMatchObject({ code: 'ENVELOPE_INVALID' });
    expect(results[4].replayed).toBe(false);
    // The same item twice in one call: one write, then a replay of it.
    expect(results[5]).toMatchObject({ replayed: true, event: results[0].event });
    expect(await eventsUnder([first, second, third, fourth].map((item) => item.idempotencyKey))).toBe(3);
  });

  it('rejects a bad signature in the middle of a large batch alone', async () => {
    const items = await signedOrders(120);
    const middle = items[60] as Item;
    middle.signature = flipped(middle.signature);
    const results = (await submit(wire(items))).results;
    results.forEach((result: { __typename: string; code?: string; replayed?: boolean }, index: number) => {
      if (index === 60)
        expect(result).toMatchObject({ __typename: 'DomainError', code: 'SIGNATURE_INVALID' });
      else expect(result).toMatchObject({ __typename: 'SubmittedStatement', replayed: false });
    });
    expect(await eventsUnder(items.map((item) => item.idempotencyKey))).toBe(119);
  });

  it('is idempotent: the same batch again answers every item replayed with the same event', async () => {
    const items = await signedOrders(30);
    const first = (await submit(wire(items))).results;
    const again = (await submit(wire(items))).results;
    expect(again.every((result: { replayed: boolean }) => result.replayed)).toBe(true);
    expect(again.map((result: { event: unknown }) => result.event)).toEqual(
      first.map((result: { event: unknown }) => result.event),
    );
    expect(await eventsUnder(items.map((item) => item.idempotencyKey))).toBe(30);
  });

  it('writes each statement of concurrent overlapping batches exactly once', async () => {
    const items = await signedOrders(60);
    const batches = [items.slice(0, 40), items.slice(20, 60), items.slice(10, 50), [...items].reverse()];
    const answers = await Promise.all(batches.map((batch) => submit(wire(batch))));
    const writtenBy = new Map<string, string>();
    let writes = 0;
    answers.forEach((answer, batch) => {
      answer.results.forEach(
        (result: { __typename: string; replayed: boolean; event: { id: string } }, index: number) => {
          expect(result.__typename).toBe('SubmittedStatement');
          const key = (batches[batch] as Item[])[index]?.idempotencyKey as string;
          expect(writtenBy.get(key) ?? result.event.id).toBe(result.event.id);
          writtenBy.set(key, result.event.id);
          if (!result.replayed) writes++;
        },
      );
    });
    expect(writes).toBe(60);
    expect(await eventsUnder(items.map((item) => item.idempotencyKey))).toBe(60);
  });

  it('answers the rows it wrote in bulk as they were stored, and sees each earlier write in the call', async () => {
    // Orders are written many to a statement (db/insert-buffer.ts): the answers must still be the
    // stored rows, and a second order with the same document id must still find the first.
    const shared = randomUUID();
    const items = await signedOrders(6, oneLine, (index) =>
      index === 1 || index === 4 ? { documentId: shared } : {},
    );
    const results = (
      await gqlPooled(
        `mutation($items: [SubmitStatementItem!]!) { submitStatements(items: $items) {
          ... on SubmittedStatements { results { __typename
            ... on SubmittedStatement { replayed event { id eventHash recordedAt } }
            ... on DomainError { code field } } } } }`,
        { items: wire(items) },
        seller.apiKey,
      )
    ).data.submitStatements.results;
    expect(results.map((result: { __typename: string }) => result.__typename)).toEqual([
      'SubmittedStatement',
      'SubmittedStatement',
      'SubmittedStatement',
      'SubmittedStatement',
      'DomainError',
      'SubmittedStatement',
    ]);
    expect(results[4]).toMatchObject({ code: 'DOCUMENT_ID_TAKEN', field: 'documentId' });
    const written = results.filter((result: { __typename: string }) => result.__typename !== 'DomainError');
    const rows = await t.owner.db
      .selectFrom('event')
      .leftJoin('trade_document', 'trade_document.event_id', 'event.id')
      .select(['event.id', 'event.event_hash', 'event.recorded_at', 'trade_document.created_at'])
      .where(
        'event.id',
        'in',
        written.map((result: { event: { id: string } }) => result.event.id),
      )
      .execute();
    expect(rows.length).toBe(5);
    for (const result of written) {
      const row = rows.find((candidate) => candidate.id === result.event.id);
      expect(row?.event_hash.toString('hex')).toBe(result.event.eventHash);
      expect(row?.recorded_at.toISOString()).toBe(result.event.recordedAt);
      expect(row?.created_at?.toISOString()).toBe(result.event.recordedAt);
    }
  });

  it('refuses more than 1,000 items as a whole, writing nothing', async () => {
    const [item] = await signedOrders(1);
    if (!item) throw new Error('one order');
    const before = await t.snapshot();
    const answer = await submit(
      Array.from({ length: 1001 }, () => ({ statement: item.statement, signature: item.signature })),
    );
    expect(answer).toMatchObject({ __typename: 'DomainError', code: 'INVALID_INPUT', field: 'items' });
    expect(answer.message).toContain('at most 1000 statements per call');
    expect(await t.snapshot()).toBe(before);
  });

  it('checks signatures on the calling thread when the ledger has no pool', async () => {
    const [good, bad] = await signedOrders(2);
    if (!good || !bad) throw new Error('two orders');
    const answer = await t.gql(
      submitStatements,
      { items: wire([good, { ...bad, signature: flipped(bad.signature) }]) },
      seller.apiKey,
    );
    const results = answer.data.submitStatements.results;
    expect(results[0]).toMatchObject({ __typename: 'SubmittedStatement', replayed: false });
    expect(results[1]).toMatchObject({ __typename: 'DomainError', code: 'SIGNATURE_INVALID' });
  });

  it('fits a call of 1,000 real statements in the default body size and cost limits', async () => {
    const lines = ['BOLT-M8', 'NUT-M8', 'WASHER-M8'].map((itemCode, index) => ({
      itemCode,
      quantity: String(1000 * (index + 1)),
      unitPrice: '0.125',
    }));
    const orders = await signedOrders(10, lines);
    const config = loadConfig({});
    const server = await startHttpServer({
      ledger: { ...t.ledger, verifier: pool },
      logSigner: t.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: config.requestBodyBytesMax,
      ...graphqlLimits(config),
    });
    try {
      const items = Array.from({ length: 1000 }, (_, index) => wire([orders[index % 10] as Item])[0]);
      const body = JSON.stringify({ query: submitStatements, variables: { items } });
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${seller.apiKey}` },
        body,
      });
      const answer = (await response.json()) as GraphqlAnswer;
      expect(answer.errors).toBeUndefined();
      const results = answer.data.submitStatements.results;
      expect(results.length).toBe(1000);
      expect(results.filter((result: { replayed: boolean }) => !result.replayed).length).toBe(10);
    } finally {
      await server.close(1000);
    }
  });
});
