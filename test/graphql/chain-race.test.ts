/**
 * Concurrent facts about one invoice through the public API. Every fact names the chain's head, so
 * statements prepared at once all name the same one: the first submitted lands and every other is
 * CHAIN_HEAD_MOVED, retryable, with nothing written, signed or custodial (the ledger records only the
 * statement it was given). A client that prepares again on that answer, as prepareAndSubmit does,
 * lands them all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../graphql/http.js';
import { TradeproofClient } from '../../scripts/client/tradeproof-client.js';
import { sign } from '../../services/crypto/index.js';
import { confirm, issueInvoice, receivableById, transfer } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, testLimits, useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
let buyer: TestParty;
const receivers: TestParty[] = [];

const prepareTransfer = `mutation($input: ReceivableTransferInput!) { prepareReceivableTransfer(input: $input) {
  __typename ... on PreparedStatement { statement eventHash } ... on DomainError { code message } } }`;
const prepareTransferForClient = `mutation($input: ReceivableTransferInput!) { prepareReceivableTransfer(input: $input) {
  __typename ... on PreparedStatement { statement eventHash kind } ... on DomainError { code message field retryable } } }`;
const submitOne = `mutation($statement: String!, $signature: HexBytes) {
  submitStatement(statement: $statement, signature: $signature) {
    __typename ... on SubmittedStatement { replayed } ... on DomainError { code retryable } } }`;

async function prepared(holder: TestParty, receivableId: string, to: TestParty) {
  const answer = await t.gql(
    prepareTransfer,
    {
      input: {
        receivableId,
        toPartyId: to.party.id,
        amount: '100.00',
        idempotencyKey: freshKey('race'),
      },
    },
    holder.apiKey,
  );
  const result = answer.data?.prepareReceivableTransfer;
  if (result?.__typename !== 'PreparedStatement') throw new Error(JSON.stringify(answer));
  return result as { statement: string; eventHash: string };
}

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  for (let index = 0; index < 8; index++) receivers.push(await t.newParty(['supplier'], { custodial: true }));
});

describe('facts about one invoice prepared at once', () => {
  it('lands one of 8 custodial transfers prepared on one head and sent at once; the rest are CHAIN_HEAD_MOVED and write nothing', async () => {
    const holder = await t.newParty(['supplier'], { custodial: true });
    const rootId = await confirm(t, buyer, await issueInvoice(t, holder, buyer, { total: '800.00' }));
    const statements = await Promise.all(receivers.map((to) => prepared(holder, rootId, to)));
    const answers = await Promise.all(
      statements.map(({ statement }) => t.gql(submitOne, { statement }, holder.apiKey)),
    );
    const results = answers.map((answer) => answer.data?.submitStatement);
    expect(results.filter((result) => result?.__typename === 'SubmittedStatement')).toEqual([
      { __typename: 'SubmittedStatement', replayed: false },
    ]);
    expect(results.filter((result) => result?.__typename === 'DomainError')).toEqual(
      Array(7).fill({ __typename: 'DomainError', code: 'CHAIN_HEAD_MOVED', retryable: true }),
    );
    expect(await receivableById(t, rootId)).toMatchObject({ transferredMinor: 10_000n });
  });

  it('lands 8 concurrent custodial transfers of one receivable through the client, which prepares again', async () => {
    const holder = await t.newParty(['supplier'], { custodial: true });
    const rootId = await confirm(t, buyer, await issueInvoice(t, holder, buyer, { total: '800.00' }));
    const server = await startHttpServer({
      ledger: t.ledger,
      logSigner: t.logSigner,
      graphiql: false,
      host: '127.0.0.1',
      port: 0,
      requestBodyBytesMax: 1_000_000,
      ...testLimits,
    });
    try {
      const client = new TradeproofClient({ url: server.url, apiKey: holder.apiKey });
      const submitted = await Promise.all(
        receivers.map((to) =>
          client.prepareAndSubmit(prepareTransferForClient, {
            input: {
              receivableId: rootId,
              toPartyId: to.party.id,
              amount: '100.00',
              idempotencyKey: freshKey('race'),
            },
          }),
        ),
      );
      expect(submitted.map((answer) => answer.replayed)).toEqual(Array(8).fill(false));
    } finally {
      await server.close(1000);
    }
    expect(await receivableById(t, rootId)).toMatchObject({
      transferredMinor: 80_000n,
      outstandingMinor: 0n,
    });
  });

  it('answers a self-signed statement overtaken by another fact CHAIN_HEAD_MOVED, retryable', async () => {
    const seller = await t.newParty(['supplier'], { custodial: true });
    const holder = await t.newParty(['supplier']);
    const keyPair = holder.keyPair;
    if (!keyPair) throw new Error('a self-held party has a key pair');
    const rootId = await confirm(t, buyer, await issueInvoice(t, seller, buyer, { total: '200.00' }));
    const partId = await transfer(t, seller, rootId, holder, '200.00');
    const [first, second] = await Promise.all(
      receivers.slice(0, 2).map((to) => prepared(holder, partId, to)),
    );
    if (!first || !second) throw new Error('two statements prepared');
    const signed = ({ statement, eventHash }: { statement: string; eventHash: string }) => ({
      statement,
      signature: sign(keyPair.privateKey, Buffer.from(eventHash, 'hex')).toString('hex'),
    });
    const landed = await t.gql(submitOne, signed(first), holder.apiKey);
    expect(landed.data?.submitStatement).toEqual({ __typename: 'SubmittedStatement', replayed: false });
    const overtaken = await t.gql(submitOne, signed(second), holder.apiKey);
    expect(overtaken.data?.submitStatement).toEqual({
      __typename: 'DomainError',
      code: 'CHAIN_HEAD_MOVED',
      retryable: true,
    });
    expect(await receivableById(t, partId)).toMatchObject({ transferredMinor: 10_000n });
  });
});
