/** prepareAndSubmit against a fake GraphQL server that checks what a real ledger would check. */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeKeyFile } from '../../scripts/client/key-file.js';
import {
  chainRacesMax,
  submitStatementMutation,
  TradeproofClient,
  TradeproofDomainError,
  TradeproofError,
} from '../../scripts/client/tradeproof-client.js';
import { generateKeyPair, parseHex, sha256, verify } from '../../services/crypto/index.js';
import { preparedStatement } from './statements.js';

const apiKey = 'tp_test_key';
const pair = generateKeyPair();
const prepareInvoice = `mutation Prepare($input: PrepareInvoiceInput!) {
  prepareInvoice(input: $input) {
    __typename
    ... on PreparedStatement { statement eventHash kind }
    ... on DomainError { code message field }
  }
}`;

interface Received {
  query: string;
  variables: Record<string, unknown>;
  authorization: string | undefined;
}

/** What the fake server answers to the prepare mutation, set per test. */
let prepareAnswer: Record<string, unknown>;
let received: Received[];
let server: Server;
let url: string;
let directory: string;

async function bodyOf(request: IncomingMessage): Promise<Received> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return { query, variables: variables ?? {}, authorization: request.headers.authorization };
}

/** How many submits the fake server still answers CHAIN_HEAD_MOVED, as if other facts landed first. */
let headMoves: number;

function submitAnswer(variables: Record<string, unknown>): Record<string, unknown> {
  if (headMoves > 0) {
    headMoves--;
    return {
      __typename: 'DomainError',
      code: 'CHAIN_HEAD_MOVED',
      message: 'prepare again',
      field: 'statement',
    };
  }
  const statement = String(variables.statement);
  const eventHash = sha256(Buffer.from(statement, 'utf8'));
  if (typeof variables.signature === 'string') {
    const signature = parseHex(variables.signature, 64);
    if (signature === null || !verify(pair.publicKey, eventHash, signature)) {
      return {
        __typename: 'DomainError',
        code: 'SIGNATURE_INVALID',
        message: 'does not verify',
        field: 'SIGNATURE',
      };
    }
  }
  const kind = JSON.parse(statement).kind;
  return {
    __typename: 'SubmittedStatement',
    replayed: false,
    event: { id: 'evt-1', kind, eventHash: eventHash.toString('hex') },
  };
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-client-'));
  server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    received.push(body);
    response.setHeader('content-type', 'application/json');
    if (body.authorization !== `Bearer ${apiKey}`) {
      response.statusCode = 401;
      response.end(JSON.stringify({ errors: [{ message: 'unauthenticated' }] }));
      return;
    }
    const data = body.query.includes('submitStatement(')
      ? { submitStatement: submitAnswer(body.variables) }
      : { prepareInvoice: prepareAnswer };
    response.end(JSON.stringify({ data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
  headMoves = 0;
  const { statement, eventHash } = preparedStatement();
  prepareAnswer = { __typename: 'PreparedStatement', statement, eventHash, kind: 'invoice.issued' };
});

const variables = { input: { number: 'INV-0042', idempotencyKey: 'inv-42' } };

describe('TradeproofClient.prepareAndSubmit', () => {
  it('signs the prepared statement locally and submits a signature that verifies', async () => {
    const client = new TradeproofClient({ url, apiKey, privateKey: pair.privateKey });
    const result = await client.prepareAndSubmit(prepareInvoice, variables);
    expect(result.__typename).toBe('SubmittedStatement');
    expect(result.event.eventHash).toBe(prepareAnswer.eventHash);
    expect(result.signature).not.toBeNull();
    const [prepare, submit] = received;
    expect(prepare?.variables).toEqual(variables);
    expect(submit?.query).toBe(submitStatementMutation);
    expect(submit?.variables).toEqual({ statement: prepareAnswer.statement, signature: result.signature });
  });

  it('signs with the key in a key file', async () => {
    const keyFile = path.join(directory, 'key.json');
    await writeKeyFile(keyFile, pair);
    const client = new TradeproofClient({ url, apiKey, keyFile });
    const result = await client.prepareAndSubmit(prepareInvoice, variables, { expectKind: 'invoice.issued' });
    expect(received[1]?.variables.signature).toBe(result.signature);
    expect(result.replayed).toBe(false);
  });

  it('sends no signature without a key, so that the platform signs with the custodial key', async () => {
    const client = new TradeproofClient({ url, apiKey });
    expect(client.signsLocally).toBe(false);
    const result = await client.prepareAndSubmit(prepareInvoice, variables);
    expect(result.signature).toBeNull();
    expect(received[1]?.variables).toEqual({ statement: prepareAnswer.statement });
    expect('SIGNATURE' in (received[1]?.variables ?? {})).toBe(false);
  });

  it('throws the DomainError of the prepare step with its code, submitting nothing', async () => {
    prepareAnswer = {
      __typename: 'DomainError',
      code: 'COUNTERPARTY_NOT_FOUND',
      message: 'no such party',
      field: 'buyer',
    };
    const client = new TradeproofClient({ url, apiKey, privateKey: pair.privateKey });
    const failure = await client.prepareAndSubmit(prepareInvoice, variables).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TradeproofDomainError);
    expect(failure).toMatchObject({ stage: 'prepare', code: 'COUNTERPARTY_NOT_FOUND', field: 'buyer' });
    expect(received).toHaveLength(1);
  });

  it('prepares and signs again when another fact of the invoice landed between prepare and submit', async () => {
    headMoves = 2;
    const client = new TradeproofClient({ url, apiKey, privateKey: pair.privateKey });
    const result = await client.prepareAndSubmit(prepareInvoice, variables);
    expect(result.__typename).toBe('SubmittedStatement');
    expect(
      received.map((request) => (request.query === submitStatementMutation ? 'submit' : 'prepare')),
    ).toEqual(['prepare', 'submit', 'prepare', 'submit', 'prepare', 'submit']);
    expect(
      received.filter((request) => request.query === prepareInvoice).map((request) => request.variables),
    ).toEqual(Array(3).fill(variables));
  });

  it('gives up with CHAIN_HEAD_MOVED after chainRacesMax preparations', async () => {
    headMoves = chainRacesMax;
    const client = new TradeproofClient({ url, apiKey, privateKey: pair.privateKey });
    await expect(client.prepareAndSubmit(prepareInvoice, variables)).rejects.toMatchObject({
      stage: 'submit',
      code: 'CHAIN_HEAD_MOVED',
    });
    expect(received).toHaveLength(2 * chainRacesMax);
  });

  it('throws the DomainError of the submit step', async () => {
    const client = new TradeproofClient({ url, apiKey, privateKey: generateKeyPair().privateKey });
    await expect(client.prepareAndSubmit(prepareInvoice, variables)).rejects.toMatchObject({
      stage: 'submit',
      code: 'SIGNATURE_INVALID',
    });
  });

  it('refuses to sign when the server sends a hash that is not the hash of its statement', async () => {
    prepareAnswer = { ...prepareAnswer, eventHash: preparedStatement().eventHash };
    const client = new TradeproofClient({ url, apiKey, privateKey: pair.privateKey });
    await expect(client.prepareAndSubmit(prepareInvoice, variables)).rejects.toThrow(
      /not SHA-256 of its statement/,
    );
    expect(received).toHaveLength(1);
  });

  it('refuses to sign a statement that is not canonical', async () => {
    const { envelope } = preparedStatement();
    const statement = JSON.stringify(envelope, null, 1);
    prepareAnswer = { ...prepareAnswer, statement, eventHash: sha256(statement).toString('hex') };
    const client = new TradeproofClient({ url, apiKey, privateKey: pair.privateKey });
    await expect(client.prepareAndSubmit(prepareInvoice, variables)).rejects.toMatchObject({
      code: 'statement_not_canonical',
    });
    expect(received).toHaveLength(1);
  });
});

describe('TradeproofClient.request', () => {
  it('throws a TradeproofError with the HTTP status and GraphQL errors', async () => {
    const client = new TradeproofClient({ url, apiKey: 'wrong' });
    const failure = await client.request('{ me { id } }').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TradeproofError);
    expect(failure).toMatchObject({ status: 401, errors: [{ message: 'unauthenticated' }] });
  });

  it('throws a TradeproofError when the server cannot be reached', async () => {
    const client = new TradeproofClient({ url: 'http://127.0.0.1:1/graphql', apiKey });
    await expect(client.request('{ me { id } }')).rejects.toThrow(/cannot reach/);
  });
});
