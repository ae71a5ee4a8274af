/**
 * A write burst as well-behaved clients send it, and the checks that follow a fault. Clients retry
 * an answer that says "retryable" (a DomainError with retryable: true, HTTP 503, a retryable error
 * code, or no answer at all when a process died) with the same idempotency key, against any of the
 * servers they know, as a client behind a load balancer would. What they were told succeeded is
 * "acknowledged", and must be in the ledger afterwards, exactly once.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import {
  TradeproofClient,
  TradeproofDomainError,
  TradeproofError,
} from '../../scripts/client/tradeproof-client.js';
import { type Db, inTransaction, type Trx } from '../../services/db/transaction.js';

const root = new URL('../../', import.meta.url).pathname;

export interface SeededChain {
  adminApiKey: string;
  /** A custodial supplier holding confirmed tier-0 receivables. */
  holderApiKey: string;
  /** Other suppliers it may pass parts to. */
  receiverPartyIds: string[];
  /** Receivables the holder may split. */
  receivableIds: string[];
}

const transferable = new Set(['OPEN', 'OVERDUE', 'PARTIALLY_SETTLED']);

/** Seeds the demo supply chain through the public API (`npm run demo`) and picks who writes what. */
export async function seedDemo(url: string, adminApiKey: string): Promise<SeededChain> {
  // The workload signs nothing itself: the demo's key files go to a folder removed at once.
  const keysDir = mkdtempSync(path.join(tmpdir(), 'tradeproof-workload-keys-'));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/demo.ts', '--url', url, '--keys-dir', keysDir],
    { cwd: root, env: { ...process.env, ADMIN_API_KEY: adminApiKey }, timeout: 120_000 },
  ).finally(() => rmSync(keysDir, { recursive: true, force: true }));
  const apiKeyOf = (name: string) => {
    const key = new RegExp(`^\\s+${name} .*?(tp_\\S+)$`, 'm').exec(stdout)?.[1];
    if (!key) throw new Error(`the demo printed no API key for ${name}:\n${stdout}`);
    return key;
  };
  const holder = new TradeproofClient({ url, apiKey: apiKeyOf('Suzhou Hydraulics') });
  const held = await holder.request<{
    receivables: {
      edges: { node: { id: string; tier: number; status: string; financing: { id: string } | null } }[];
    };
  }>('{ receivables(side: HOLDER, first: 100) { edges { node { id tier status financing { id } } } } }');
  // Not the one the demo leaves under an open financing request: it cannot be transferred.
  const receivableIds = held.receivables.edges
    .map((edge) => edge.node)
    .filter(
      (node) => node.tier === 0 && transferable.has(node.status.toUpperCase()) && node.financing === null,
    )
    .map((node) => node.id);
  const receiverPartyIds: string[] = [];
  for (const name of ['Wuxi Steel Forging', 'Changzhou Bearing Works', 'Jiangyin Special Steel']) {
    const client = new TradeproofClient({ url, apiKey: apiKeyOf(name) });
    receiverPartyIds.push((await client.request<{ me: { id: string } }>('{ me { id } }')).me.id);
  }
  if (receivableIds.length === 0) throw new Error('the demo holder holds no open tier-0 receivable');
  return { adminApiKey, holderApiKey: apiKeyOf('Suzhou Hydraulics'), receiverPartyIds, receivableIds };
}

export interface Acknowledged {
  kind: 'transfer' | 'api_key';
  idempotencyKey: string;
  /** The event id (transfers) or API key id the client was given. */
  id: string;
  /** The server that acknowledged it. */
  url: string;
}

export interface BurstReport {
  acknowledged: Acknowledged[];
  /** Answers that told the client to try again, by what they said. */
  retryable: Record<string, number>;
  /** Answers that were neither a success nor retryable: each one is a finding. */
  refused: string[];
}

export interface BurstOptions {
  urls: () => string[];
  chain: SeededChain;
  workers: number;
  writesPerWorker: number;
  /** How many times a client sends one write before it gives up. */
  attemptsMax?: number;
  /** After its writesPerWorker, a worker goes on writing until this says stop (or a write is refused). */
  stop?: (progress: BurstReport) => boolean;
}

/** What kind of "not now" an error is, or null when it is a real refusal. */
function retryableReason(error: unknown): string | null {
  if (error instanceof TradeproofDomainError) return error.retryable ? error.code : null;
  if (error instanceof TradeproofError) {
    const code = error.errors[0]?.extensions?.code;
    if (error.errors[0]?.extensions?.retryable === true) return String(code);
    if (error.status === 503 || error.status === 502) return `HTTP ${error.status}`;
    if (error.status === undefined && error.message.startsWith('cannot reach')) return 'no answer';
    return null;
  }
  return null;
}

const transferMutation = `mutation($input: ReceivableTransferInput!) { prepareReceivableTransfer(input: $input) {
  __typename ... on PreparedStatement { statement eventHash kind } ... on DomainError { code message field retryable } } }`;
const apiKeyMutation = `mutation($label: String!, $key: String!) { createApiKey(label: $label, idempotencyKey: $key) {
  __typename ... on ApiKeyPayload { apiKey { id } } ... on DomainError { code message field retryable } } }`;

interface Write {
  kind: Acknowledged['kind'];
  idempotencyKey: string;
  send(url: string): Promise<string>;
}

function transferWrite(chain: SeededChain, index: number): Write {
  const idempotencyKey = `fault-transfer-${randomUUID()}`;
  const input = {
    receivableId: chain.receivableIds[index % chain.receivableIds.length],
    toPartyId: chain.receiverPartyIds[index % chain.receiverPartyIds.length],
    amount: '0.01',
    childReceivableId: randomUUID(),
    idempotencyKey,
  };
  return {
    kind: 'transfer',
    idempotencyKey,
    send: async (url) => {
      const client = new TradeproofClient({ url, apiKey: chain.holderApiKey, requestTimeoutMs: 60_000 });
      return (await client.prepareAndSubmit(transferMutation, { input })).event.id;
    },
  };
}

function apiKeyWrite(chain: SeededChain): Write {
  const idempotencyKey = `fault-api-key-${randomUUID()}`;
  return {
    kind: 'api_key',
    idempotencyKey,
    send: async (url) => {
      const client = new TradeproofClient({ url, apiKey: chain.adminApiKey, requestTimeoutMs: 60_000 });
      const data = await client.request<{ createApiKey: Record<string, unknown> }>(apiKeyMutation, {
        label: 'fault burst',
        key: idempotencyKey,
      });
      const answer = data.createApiKey;
      if (answer.__typename === 'DomainError') {
        throw new TradeproofDomainError(
          'submit',
          String(answer.code),
          String(answer.message),
          null,
          answer.retryable === true,
        );
      }
      return String((answer.apiKey as { id: string }).id);
    },
  };
}

/** Runs the burst; resolves when every write was acknowledged, refused, or ran out of attempts. */
export async function burst(options: BurstOptions): Promise<BurstReport> {
  const report: BurstReport = { acknowledged: [], retryable: {}, refused: [] };
  const attemptsMax = options.attemptsMax ?? 60;
  const sendUntilAnswered = async (write: Write, worker: number) => {
    for (let attempt = 0; attempt < attemptsMax; attempt++) {
      const urls = options.urls();
      const url = urls[(worker + attempt) % urls.length] ?? '';
      try {
        report.acknowledged.push({
          kind: write.kind,
          idempotencyKey: write.idempotencyKey,
          id: await write.send(url),
          url,
        });
        return;
      } catch (error) {
        const reason = retryableReason(error);
        if (reason === null) {
          report.refused.push(`${write.kind} ${write.idempotencyKey}: ${(error as Error).message}`);
          return;
        }
        report.retryable[reason] = (report.retryable[reason] ?? 0) + 1;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
    report.refused.push(
      `${write.kind} ${write.idempotencyKey}: still retryable after ${attemptsMax} attempts`,
    );
  };
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      const stop = () => report.refused.length > 0 || (options.stop?.(report) ?? true);
      for (let index = 0; index < options.writesPerWorker || !stop(); index++) {
        const write =
          index % 3 === 2
            ? apiKeyWrite(options.chain)
            : transferWrite(options.chain, worker * options.writesPerWorker + index);
        await sendUntilAnswered(write, worker);
      }
    }),
  );
  return report;
}

export interface LedgerAudit {
  eventCount: number;
  leafCount: number;
  problems: string[];
}

/**
 * Reads the ledger back as its owner: every acknowledged write is there exactly once, leaf indexes
 * are 0..n-1 with no event twice, and every receivable conserves its face.
 */
export function auditLedger(db: Db, acknowledged: readonly Acknowledged[]): Promise<LedgerAudit> {
  return inTransaction(db, (trx) => audit(trx, acknowledged));
}

async function audit(db: Trx, acknowledged: readonly Acknowledged[]): Promise<LedgerAudit> {
  const problems: string[] = [];
  const transfers = acknowledged.filter((write) => write.kind === 'transfer');
  const apiKeys = acknowledged.filter((write) => write.kind === 'api_key');
  if (transfers.length > 0) {
    const rows = await db
      .selectFrom('event')
      .select(['id', 'idempotency_key'])
      .where(
        'idempotency_key',
        'in',
        transfers.map((write) => write.idempotencyKey),
      )
      .execute();
    const byKey = new Map(rows.map((row) => [row.idempotency_key, row.id]));
    if (rows.length !== byKey.size) problems.push('an idempotency key was recorded twice');
    for (const write of transfers) {
      const id = byKey.get(write.idempotencyKey);
      if (id === undefined) problems.push(`acknowledged transfer ${write.idempotencyKey} is missing`);
      else if (id !== write.id)
        problems.push(`transfer ${write.idempotencyKey} acknowledged as ${write.id}, recorded as ${id}`);
    }
  }
  if (apiKeys.length > 0) {
    const rows = await db
      .selectFrom('api_key')
      .select('id')
      .where(
        'id',
        'in',
        apiKeys.map((write) => write.id),
      )
      .execute();
    if (rows.length !== apiKeys.length)
      problems.push(`${apiKeys.length - rows.length} acknowledged API keys are missing`);
  }
  const { rows: leaves } = await sql<{ leaves: bigint; events: bigint; greatest: bigint | null }>`
    SELECT count(*)::INT8 AS leaves, count(DISTINCT event_id)::INT8 AS events, max(leaf_index)::INT8 AS greatest
    FROM leaf`.execute(db);
  const leaf = leaves[0];
  if (leaf && leaf.leaves !== leaf.events) problems.push('an event has two leaves');
  if (leaf && leaf.leaves > 0n && leaf.greatest !== leaf.leaves - 1n)
    problems.push('leaf indexes have a gap');
  const { rows: broken } = await sql<{ id: string }>`
    SELECT r.id FROM receivable r
    WHERE r.face_minor <> r.transferred_minor + r.settled_minor + r.credited_minor + r.outstanding_minor
       OR r.outstanding_minor < 0
       OR r.transferred_minor <> COALESCE(
            (SELECT sum(c.face_minor)::INT8 FROM receivable c WHERE c.parent_id = r.id), 0)`.execute(db);
  for (const row of broken) problems.push(`receivable ${row.id} does not conserve its face`);
  const { rows: counts } = await sql<{ events: bigint }>`SELECT count(*)::INT8 AS events FROM event`.execute(
    db,
  );
  return { eventCount: Number(counts[0]?.events ?? 0), leafCount: Number(leaf?.leaves ?? 0), problems };
}

/** Waits until every event has its leaf (the anchoring worker caught up), or throws after `timeoutMs`. */
export async function waitUntilAnchored(db: Db, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Through the retry helper: this read runs beside the anchoring worker's writes, SERIALIZABLE.
    const { rows } = await inTransaction(db, (trx) =>
      sql<{ pending: bigint }>`
      SELECT count(*)::INT8 AS pending FROM event e WHERE NOT EXISTS (SELECT 1 FROM leaf l WHERE l.event_id = e.id)`.execute(
        trx,
      ),
    );
    if (rows[0]?.pending === 0n) return;
    if (Date.now() > deadline)
      throw new Error(`${rows[0]?.pending} events still unanchored after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** verifyLog over GraphQL as the administrator: ok, or the problems it named. */
export async function verifyLogOverApi(
  url: string,
  adminApiKey: string,
): Promise<{ ok: boolean; detail: string }> {
  const client = new TradeproofClient({ url, apiKey: adminApiKey, requestTimeoutMs: 120_000 });
  const data = await client.request<{ verifyLog: { ok: boolean; treeSize: number; problems: unknown[] } }>(
    '{ verifyLog { ... on LogVerification { ok treeSize problems { check detail } } } }',
  );
  return { ok: data.verifyLog.ok, detail: JSON.stringify(data.verifyLog) };
}
