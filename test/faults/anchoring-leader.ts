/**
 * Which API process is anchoring, seen from PostgreSQL alone: each process connects with an
 * application_name of its own (set in its APP_DATABASE_URL), and only the lease holder's batch gets
 * past the lease into writing leaves, tiles and a checkpoint. So a backend in a transaction whose
 * statement writes one of those tables names the leader, with no hook in the server. PostgreSQL only
 * (pg_stat_activity, pg_xact_status).
 */
import { sql } from 'kysely';
import { TradeproofClient } from '../../scripts/client/tradeproof-client.js';
import { type Db, inTransaction } from '../../services/db/transaction.js';
import { anchorLeaseName } from '../../services/ledger/anchor.js';
import { verifyConsistency } from '../../services/ledger/verify.js';
import type { ServerProcess } from '../support/server-process.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The only statements that write the log; an API request never runs them. */
const logWrite = String.raw`^\s*insert\s+into\s+"?(leaf|tile|checkpoint)"?`;

export interface Backend {
  pid: number;
  applicationName: string;
  state: string;
  /** The transaction id, once the transaction wrote something. */
  xid: string | null;
  query: string;
}

async function backends(db: Db, where: ReturnType<typeof sql>): Promise<Backend[]> {
  const { rows } = await sql<Backend>`
    SELECT pid, application_name AS "applicationName", state, backend_xid::TEXT AS xid, query
    FROM pg_stat_activity WHERE datname = current_database() AND ${where}`.execute(db);
  return rows;
}

export interface FrozenBatch {
  server: ServerProcess;
  backend: Backend;
}

/**
 * Waits for an anchoring batch in flight, stops its process (SIGSTOP) and confirms the batch is still
 * open: the backend idles in the same transaction, waiting for a COMMIT that will never come. A batch
 * that committed in between is let go (SIGCONT) and the next one is caught. The caller kills the
 * process, so the kill lands mid-batch by construction, not by timing.
 */
export async function freezeLeaderMidBatch(
  db: Db,
  servers: ReadonlyMap<string, ServerProcess>,
  timeoutMs = 60_000,
): Promise<FrozenBatch> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [seen] = await backends(
      db,
      sql`state IN ('active', 'idle in transaction') AND backend_xid IS NOT NULL AND query ~* ${logWrite}`,
    );
    const server = seen ? servers.get(seen.applicationName) : undefined;
    if (!seen || !server) {
      await pause(2);
      continue;
    }
    server.child.kill('SIGSTOP');
    // Long enough for a statement already sent to finish and the backend to go idle.
    await pause(150);
    const [still] = await backends(db, sql`pid = ${seen.pid}`);
    if (still?.state === 'idle in transaction' && still.xid === seen.xid) return { server, backend: still };
    server.child.kill('SIGCONT');
  }
  const visible = await backends(db, sql`query = '<insufficient privilege>'`);
  throw new Error(
    visible.length > 0
      ? 'the test role cannot see other sessions in pg_stat_activity (grant it pg_read_all_stats)'
      : `no anchoring batch seen in flight within ${timeoutMs} ms`,
  );
}

/** committed, aborted or in progress: what became of a transaction (by its 32-bit id, this epoch). */
export async function transactionStatus(db: Db, xid: string): Promise<string | null> {
  const { rows } = await sql<{ status: string | null }>`
    SELECT pg_xact_status((((pg_snapshot_xmax(pg_current_snapshot())::TEXT::INT8 >> 32) << 32)
      + ${xid}::INT8)::TEXT::xid8) AS status`.execute(db);
  return rows[0]?.status ?? null;
}

export interface Lease {
  holder: string;
  expiresAt: Date;
  /** The database's clock when read, so times compare on one clock. */
  now: Date;
}

/** Read through the retry helper: it runs beside the workers' SERIALIZABLE lease writes. */
export async function readLease(db: Db): Promise<Lease | null> {
  const { rows } = await inTransaction(db, (trx) =>
    sql<Lease>`SELECT holder, expires_at AS "expiresAt", now() AS now FROM lease
      WHERE name = ${anchorLeaseName}`.execute(trx),
  );
  return rows[0] ?? null;
}

/** Polls the lease until a holder other than `formerHolder` has it; throws after `timeoutMs`. */
export async function waitForNewHolder(db: Db, formerHolder: string, timeoutMs: number): Promise<Lease> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lease = await readLease(db);
    if (lease && lease.holder !== formerHolder) return lease;
    if (Date.now() > deadline) throw new Error(`nobody took the anchoring lease within ${timeoutMs} ms`);
    await pause(50);
  }
}

/**
 * Every checkpoint extends the one before it: for each successive pair, the consistency proof the
 * API serves verifies against the two stored roots. Returns the problems found.
 */
export async function checkCheckpointChain(db: Db, url: string, adminApiKey: string): Promise<string[]> {
  const { rows } = await inTransaction(db, (trx) =>
    sql<{ treeSize: bigint; rootHash: Buffer }>`
      SELECT tree_size AS "treeSize", root_hash AS "rootHash" FROM checkpoint ORDER BY tree_size`.execute(
      trx,
    ),
  );
  const client = new TradeproofClient({ url, apiKey: adminApiKey, requestTimeoutMs: 60_000 });
  const problems: string[] = [];
  for (let at = 1; at < rows.length; at++) {
    const from = rows[at - 1];
    const to = rows[at];
    if (!from || !to) continue;
    const [fromSize, toSize] = [Number(from.treeSize), Number(to.treeSize)];
    const data = await client.request<{ consistencyProof: { consistencyPath?: string[]; code?: string } }>(
      `query($from: Int!, $to: Int!) { consistencyProof(fromSize: $from, toSize: $to) {
        ... on ConsistencyProof { consistencyPath } ... on DomainError { code } } }`,
      { from: fromSize, to: toSize },
    );
    const path = data.consistencyProof.consistencyPath;
    if (!path) problems.push(`${fromSize} -> ${toSize}: ${data.consistencyProof.code}`);
    else if (!verifyConsistency(fromSize, toSize, from.rootHash, to.rootHash, path.map(fromHex)))
      problems.push(`${fromSize} -> ${toSize}: the consistency proof does not verify`);
  }
  return problems;
}

function fromHex(hex: string): Buffer {
  return Buffer.from(hex.replace(/^0x/, ''), 'hex');
}
