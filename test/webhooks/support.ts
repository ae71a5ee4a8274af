/**
 * Webhook test helpers: a receiver on loopback that records every request (and can answer with any
 * status, hang, or be killed and started again on the same port), a dispatcher with short delays,
 * webhooks registered through the service, and reads of the outbox as the schema owner.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Selectable } from 'kysely';
import type { WebhookDeliveryTable } from '../../schema/database.js';
import { inTransaction } from '../../services/db/transaction.js';
import {
  type DispatcherOptions,
  startWebhookDispatcher,
  type WebhookDispatcher,
} from '../../services/webhooks/dispatcher.js';
import { verifySignature } from '../../services/webhooks/signer.js';
import type { WebhookEventType } from '../../services/webhooks/webhook.js';
import { registerWebhook } from '../../services/webhooks/webhook.service.js';
import { freshKey } from '../support/fixtures.js';
import type { TestLedger, TestParty } from '../support/ledger.js';

export interface Received {
  path: string;
  deliveryId: string;
  eventType: string;
  attempt: number;
  body: string;
  signature: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary payload shapes
  payload: any;
}

type Reply = { status: number; headers?: Record<string, string> } | 'hang';
export type Answer = (request: Received) => Reply | Promise<Reply>;

/**
 * An HTTP server on 127.0.0.1 that records each request once its body has arrived, then answers as
 * `answer` says (200 by default). kill() closes it and destroys every open socket, as a crash would;
 * start() listens again on the same port.
 */
export class TestReceiver {
  readonly received: Received[] = [];
  answer: Answer = () => ({ status: 200 });
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // A request cut off by kill() while its body was arriving was never received: nothing to record.
    const server = createServer((request, response) => void this.handle(request, response).catch(() => {}));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async kill(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let payload: unknown = null;
    try {
      payload = JSON.parse(body);
    } catch {}
    const received: Received = {
      path: request.url ?? '',
      deliveryId: String(request.headers['tradeproof-delivery'] ?? ''),
      eventType: String(request.headers['tradeproof-event'] ?? ''),
      attempt: Number(request.headers['tradeproof-attempt']),
      body,
      signature: request.headers['tradeproof-signature'] as string | undefined,
      payload,
    };
    this.received.push(received);
    const answer = await this.answer(received);
    // Killed meanwhile: the sender sees its connection reset, with no answer.
    if (answer === 'hang' || response.destroyed || request.socket.destroyed) return;
    response.writeHead(answer.status, answer.headers ?? {});
    response.end('ok');
  }
}

/** Short delays, so that retries and dead letters happen within a test. */
export function fastDispatch(changes: Partial<DispatcherOptions> = {}): Omit<DispatcherOptions, 'log'> & {
  log: (line: string) => void;
} {
  return {
    attemptsMax: 50,
    baseMs: 20,
    capMs: 200,
    timeoutMs: 5_000,
    concurrency: 4,
    pollIntervalMs: 20,
    scanIntervalMs: 3_600_000,
    privateAddressesAllowed: true,
    scans: [],
    log: () => {},
    ...changes,
  };
}

export function startDispatcher(t: TestLedger, changes: Partial<DispatcherOptions> = {}): WebhookDispatcher {
  return startWebhookDispatcher(t.app.db, t.ledger.custody, fastDispatch(changes));
}

export interface RegisteredHook {
  id: string;
  secret: string;
}

export async function register(
  t: TestLedger,
  party: TestParty,
  url: string,
  eventTypes: WebhookEventType[],
  dueInDays: number | null = null,
): Promise<RegisteredHook> {
  const registered = await registerWebhook(t.ledger, party.actor, {
    idempotencyKey: freshKey('webhook'),
    url,
    eventTypes,
    dueInDays,
  });
  if (!registered.ok) throw new Error(`registerWebhook: ${registered.code}: ${registered.message}`);
  return { id: registered.value.webhook.id, secret: registered.value.secret };
}

/**
 * Every outbox row of a webhook, read as the owner. In a retried transaction: under SERIALIZABLE
 * even a lone SELECT may be chosen to fail while dispatchers write.
 */
export function outboxOf(t: TestLedger, webhookId: string): Promise<Selectable<WebhookDeliveryTable>[]> {
  return inTransaction(t.owner.db, (trx) =>
    trx
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  );
}

/**
 * Polls until `done` holds; fails naming `what` after a generous bound. A wait for a condition, not a
 * measure of speed: the bound only keeps a broken build from hanging.
 */
export async function waitFor(what: string, done: () => Promise<boolean> | boolean, boundMs = 60_000) {
  const deadline = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until every outbox row of the webhook is settled (delivered or dead). */
export function waitUntilSettled(t: TestLedger, webhookId: string, boundMs?: number) {
  return waitFor(
    `the deliveries of webhook ${webhookId} to settle`,
    async () => (await outboxOf(t, webhookId)).every((row) => row.status !== 'pending'),
    boundMs,
  );
}

/** True when the request carries a valid signature of its body with `secret`. */
export function signedBy(secret: string, received: Received): boolean {
  return verifySignature(secret, received.signature, received.body).ok;
}

export const uniquePath = () => `/hooks/${randomUUID()}`;
