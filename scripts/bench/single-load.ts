/**
 * The client side of `bench single`: a keep-alive HTTP client as thin as node:http allows (so that
 * its cost stays small beside the server's), demo-like parties registered through the API, and the
 * request mixes it times: a bare /healthz, `{ me { id } }`, and prepare + submit of custodial
 * purchase orders.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { demoUscc } from '../demo-data.js';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary GraphQL answers
  body: any;
}

function send(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const outgoing = request(url, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: text.length > 0 ? JSON.parse(text) : null });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export function healthz(graphqlUrl: string): Promise<HttpAnswer> {
  return send(new URL('/healthz', graphqlUrl).toString(), 'GET', {});
}

export function graphql(
  url: string,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<HttpAnswer> {
  const body = JSON.stringify({ query, variables });
  return send(
    url,
    'POST',
    {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      authorization: `Bearer ${apiKey}`,
    },
    body,
  );
}

/** The field's value, or an error saying what came back instead. */
// biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary GraphQL answers
function field(answer: HttpAnswer, name: string): any {
  const value = answer.body?.data?.[name];
  if (answer.status !== 200 || !value) {
    throw new Error(`${name}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
  }
  return value;
}

export interface BenchParty {
  id: string;
  apiKey: string;
}

/** A custodial party with an API key, registered by the platform administrator. */
export async function registerParty(url: string, adminApiKey: string, roles: string[]): Promise<BenchParty> {
  const registered = field(
    await graphql(
      url,
      adminApiKey,
      `mutation($input: RegisterPartyInput!) { registerParty(input: $input) { __typename
        ... on PartyPayload { party { id } } ... on DomainError { code message } } }`,
      {
        input: {
          legalName: `Bench ${roles[0]} ${randomBytes(3).toString('hex')}`,
          registrationId: demoUscc(),
          roles,
          custodialKey: true,
          idempotencyKey: randomUUID(),
        },
      },
    ),
    'registerParty',
  );
  if (!registered.party) throw new Error(`registerParty: ${registered.code}: ${registered.message}`);
  const created = field(
    await graphql(
      url,
      adminApiKey,
      `mutation($partyId: UUID, $key: String!) { createApiKey(partyId: $partyId, label: "bench",
        idempotencyKey: $key) { __typename ... on ApiKeyPayload { secret } ... on DomainError { code message } } }`,
      { partyId: registered.party.id, key: randomUUID() },
    ),
    'createApiKey',
  );
  if (!created.secret) throw new Error(`createApiKey: ${created.code}: ${created.message}`);
  return { id: registered.party.id, apiKey: created.secret };
}

const prepareOrder = `mutation($input: PurchaseOrderInput!) { preparePurchaseOrder(input: $input) {
  __typename ... on PreparedStatement { statement } ... on DomainError { code message retryable } } }`;
const submit = `mutation($statement: String!) { submitStatement(statement: $statement) {
  __typename ... on SubmittedStatement { replayed } ... on DomainError { code message retryable } } }`;

/** What one prepare + submit ended with: ok, or the DomainError code that stopped it. */
export type OrderOutcome = 'ok' | string;

/** The seller states one fresh purchase order from the buyer, custodially: prepare, then submit. */
export async function placeOrder(url: string, seller: BenchParty, buyer: BenchParty): Promise<OrderOutcome> {
  const key = randomUUID();
  const prepared = field(
    await graphql(url, seller.apiKey, prepareOrder, {
      input: {
        buyerPartyId: buyer.id,
        sellerPartyId: seller.id,
        orderNumber: `PO-${key.slice(0, 8)}`,
        orderDate: '2025-03-03',
        requestedDeliveryDate: '2025-03-20',
        currency: 'CNY',
        lines: [
          {
            lineNumber: 1,
            itemCode: 'GEAR-M4-40T',
            description: 'Spur gear, module 4, 40 teeth',
            quantity: '1200',
            unit: 'pcs',
            unitPrice: '38.50',
          },
          {
            lineNumber: 2,
            itemCode: 'BRG-6312',
            description: 'Deep groove ball bearing 6312',
            quantity: '400',
            unit: 'pcs',
            unitPrice: '112.00',
          },
        ],
        idempotencyKey: key,
      },
    }),
    'preparePurchaseOrder',
  );
  if (prepared.__typename !== 'PreparedStatement') return prepared.code as string;
  const submitted = field(
    await graphql(url, seller.apiKey, submit, { statement: prepared.statement }),
    'submitStatement',
  );
  return submitted.__typename === 'SubmittedStatement' ? 'ok' : (submitted.code as string);
}

export interface Timed<T> {
  /** Each call's milliseconds, sorted ascending. */
  sortedMs: number[];
  seconds: number;
  outcomes: T[];
}

/** Runs `count` calls, `concurrency` at a time (worker w gets calls w, w + c, …), timing each. */
export async function timeCalls<T>(
  count: number,
  concurrency: number,
  call: (index: number, worker: number) => Promise<T>,
): Promise<Timed<T>> {
  const durationsMs: number[] = [];
  const outcomes: T[] = [];
  let next = 0;
  const startedMs = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let index = next++; index < count; index = next++) {
        const callStartedMs = performance.now();
        outcomes.push(await call(index, worker));
        durationsMs.push(performance.now() - callStartedMs);
      }
    }),
  );
  const seconds = (performance.now() - startedMs) / 1000;
  return { sortedMs: durationsMs.sort((a, b) => a - b), seconds, outcomes };
}

export function closeClient(): void {
  agent.destroy();
}
