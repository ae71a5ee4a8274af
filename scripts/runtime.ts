/**
 * Wires the ledger for a process: the database (embedded by default, or DATABASE_URL), migrations,
 * the application role, the custody key and the platform operator.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../services/config.js';
import { startVerifyPool } from '../services/crypto/verify-pool.js';
import { appRoleUrl, enableAppRoleLogin } from '../services/db/app-role.js';
import { type DatabaseHandle, openDatabase } from '../services/db/connect.js';
import { placeCluster, rememberClusterPlace } from '../services/db/embedded-place.js';
import { superviseEmbeddedPostgres } from '../services/db/embedded-supervisor.js';
import { postgresRunner } from '../services/db/embedded-user.js';
import { migrateToLatest } from '../services/db/migrator.js';
import { ensureDatabaseExists } from '../services/db/provision.js';
import { anchorLateness, startAnchorWorker } from '../services/ledger/anchor-worker.js';
import { fileSink, webhookSink } from '../services/ledger/checkpoint-sink.js';
import { ensureLogSigner, type LogSigner } from '../services/ledger/log-signer.js';
import { adminApiKeyShown, pendingAdminApiKey } from '../services/parties/pending-admin-key.js';
import { withLeiCheck } from '../services/parties/registration-id.js';
import { enqueueDueNotices } from '../services/receivables/index.js';
import { ensureAdminApiKey, ensurePlatform, type Platform } from '../services/registry/platform.js';
import { startWebhookDispatcher } from '../services/webhooks/dispatcher.js';
import { loadOrCreateSecrets } from './embedded-secrets.js';
import { loadOrCreateFingerprintKey } from './fingerprint-key-file.js';
import { refuseOwnerConnection } from './owner-connection.js';
import { reachDatabase } from './start-checks.js';

export interface Runtime extends Platform {
  /** adminApiKey was created by an earlier start that stopped before it printed it. */
  adminApiKeyFromEarlierStart: boolean;
  /** Records that adminApiKey was printed, so that no later start prints it again. */
  adminApiKeyShown(): Promise<void>;
  databaseLabel: string;
  logSigner: LogSigner;
  /** The file the custody key came from (embedded mode without CUSTODY_KEY), for the first start to name. */
  custodyKeyFile: string | null;
  /** Stops everything it started, in reverse order; resolves with what failed on the way. */
  close(): Promise<string[]>;
}

type Log = (line: string) => void;
type Closers = Array<() => Promise<void>>;

/** Time after SHUTDOWN_GRACE_MS for the worker, the pools and the database server to stop. */
export const shutdownMarginMs = 3_000;

export const defaultPlatformRegistrationId = withLeiCheck('TRADEPROOF00PLATFM');

export async function startRuntime(config: Config, log: Log): Promise<Runtime> {
  const closers: Closers = [];
  const close = async () => {
    const problems: string[] = [];
    for (const closer of closers.reverse()) {
      await closer().catch((error: unknown) => {
        problems.push(error instanceof Error ? error.message : String(error));
      });
    }
    return problems;
  };
  try {
    let ownerUrl = config.databaseUrl;
    let appUrl = config.appDatabaseUrl;
    let custodyKeyHex = config.custodyKeyHex;
    let databaseLabel = ownerUrl ? `database at ${new URL(ownerUrl).host}` : '';
    let custodyKeyFile: string | null = null;
    const embeddedMode = ownerUrl === null;
    if (ownerUrl === null) {
      const embedded = await startEmbedded(config, log, closers);
      ownerUrl = embedded.ownerUrl;
      appUrl ??= embedded.appUrl;
      if (custodyKeyHex === null) custodyKeyFile = embedded.secretsFile;
      custodyKeyHex ??= embedded.custodyKeyHex;
      databaseLabel = embedded.label;
    } else {
      // A server of someone else's: wait a while for it, then say which variable to check.
      await reachDatabase(ownerUrl, 'DATABASE_URL', config.dbReconnectWaitMs, config.migrateOnStart);
      if (config.migrateOnStart) {
        await ensureDatabaseExists(ownerUrl);
        const owner = await openDatabase(ownerUrl, { poolMax: 2 });
        await applyMigrations(owner, log).finally(() => owner.close());
      }
      if (appUrl !== null) await reachDatabase(appUrl, 'APP_DATABASE_URL', config.dbReconnectWaitMs, false);
    }
    if (appUrl === null)
      log('APP_DATABASE_URL is not set: the app uses DATABASE_URL, whose role may rewrite events');
    const app = await openDatabase(appUrl ?? ownerUrl, {
      poolMax: config.dbPoolMax,
      statementTimeoutMs: config.statementTimeoutMs,
      idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs,
      transactionAgeMaxMs: config.transactionAgeMaxMs,
      connectionRetryMs: config.dbReconnectWaitMs,
    });
    closers.push(() => app.close());
    await refuseOwnerConnection(app.db, config, log);
    log(`database: ${app.flavor === 'cockroach' ? 'CockroachDB' : 'PostgreSQL'} (${databaseLabel})`);
    const custody = { key: custodyKeyHex ? Buffer.from(custodyKeyHex, 'hex') : null };
    const platform = await ensurePlatform(
      app.db,
      custody,
      {
        legalName: config.platformLegalName,
        registrationId: config.platformRegistrationId ?? defaultPlatformRegistrationId,
        adminApiKey: config.adminApiKey,
      },
      config.policy,
    );
    // submitStatements checks its signatures on every core; the pool stops before the database closes.
    const verifier = startVerifyPool();
    closers.push(() => verifier.close());
    const fingerprintKey = await chooseFingerprintKey(config, embeddedMode, log);
    platform.ledger = { ...platform.ledger, verifier, ...(fingerprintKey ? { fingerprintKey } : {}) };
    if (platform.adminApiKey === null && config.adminApiKey !== null) {
      const outcome = await ensureAdminApiKey(platform.ledger, config.adminApiKey);
      if (outcome === 'registered') log('registered ADMIN_API_KEY for the platform administrator');
    }
    // A key an earlier start created but never printed: this start shows it.
    const pending = platform.adminApiKey === null ? await pendingAdminApiKey(app.db, custody) : null;
    const logSigner = await ensureLogSigner(app.db, custody, config.log.origin);
    if (config.log.anchoring) {
      const sinks = [fileSink(config.log.checkpointFile)];
      if (config.log.checkpointWebhookUrl) {
        sinks.push(
          webhookSink(config.log.checkpointWebhookUrl, path.join(config.dataDir, 'checkpoint-webhook.state')),
        );
      }
      const worker = startAnchorWorker(app.db, logSigner, {
        batchEventsMax: config.log.anchorBatchEventsMax,
        intervalMs: config.log.anchorIntervalMs,
        ...anchorLateness,
        sinks,
        log,
      });
      // Closers run last-in first-out: the worker stops before the pool it uses closes.
      closers.push(() => worker.stop());
      log(
        `anchoring events into the log ${config.log.origin}; checkpoints also go to ${sinks.map((sink) => sink.name).join(', ')}`,
      );
    }
    if (config.webhooks.delivery) {
      const dispatcher = startWebhookDispatcher(app.db, custody, {
        attemptsMax: config.webhooks.attemptsMax,
        baseMs: config.webhooks.backoffBaseMs,
        capMs: config.webhooks.backoffCapMs,
        timeoutMs: config.webhooks.timeoutMs,
        concurrency: config.webhooks.concurrency,
        pollIntervalMs: config.webhooks.pollIntervalMs,
        scanIntervalMs: config.webhooks.scanIntervalMs,
        privateAddressesAllowed: config.policy.webhookPrivateAddressesAllowed,
        scans: [(retry) => enqueueDueNotices(platform.ledger, new Date(), retry)],
        log,
      });
      // Stops (abandoning in-flight sends to be claimed again) before the pool it uses closes.
      closers.push(() => dispatcher.stop());
    }
    return {
      ...platform,
      adminApiKey: platform.adminApiKey ?? pending,
      adminApiKeyFromEarlierStart: pending !== null,
      adminApiKeyShown: () => adminApiKeyShown(app.db),
      databaseLabel,
      logSigner,
      custodyKeyFile,
      close,
    };
  } catch (error) {
    for (const problem of await close()) log(`while giving up: ${problem}`);
    throw error;
  }
}

/**
 * FINGERPRINT_KEY when set. Otherwise the zero-setup install keeps a key of its own in DATA_DIR, so
 * `npm start` fingerprints at once; a server on DATABASE_URL (perhaps one of several processes, each
 * with its own DATA_DIR) runs without, since processes with different keys would disagree.
 */
async function chooseFingerprintKey(config: Config, embedded: boolean, log: Log): Promise<Buffer | null> {
  if (config.fingerprintKey !== null) return config.fingerprintKey;
  if (!embedded) {
    log(
      'FINGERPRINT_KEY is not set: confirmed invoices get no fingerprint and checkFingerprint answers ' +
        'FINGERPRINT_NOT_CONFIGURED',
    );
    return null;
  }
  const { key, file, created } = await loadOrCreateFingerprintKey(config.dataDir);
  log(
    `${created ? 'generated' : 'using'} a per-installation FINGERPRINT_KEY in ${file}: its invoice ` +
      'fingerprints match no other platform; set FINGERPRINT_KEY to the key registries share to compare them',
  );
  return key;
}

/**
 * The embedded PostgreSQL with its secrets, migrated, its application role able to log in. Says once
 * where the cluster is when it cannot live in DATA_DIR.
 */
async function startEmbedded(config: Config, log: Log, closers: Closers) {
  const { secrets, file } = await loadOrCreateSecrets(config.dataDir);
  const runner = await postgresRunner();
  const place = await placeCluster(config.dataDir, runner);
  const { clusterDir, locationFile } = place;
  log(`starting embedded PostgreSQL (data in ${clusterDir}, port ${config.embeddedPostgresPort})`);
  const embedded = await superviseEmbeddedPostgres({
    clusterDir,
    port: config.embeddedPostgresPort,
    password: secrets.postgresPassword,
    runner,
    log,
  });
  closers.push(() => embedded.stop());
  if (locationFile !== null && !existsSync(locationFile)) {
    await rememberClusterPlace(place);
    log(
      `the postgres user cannot reach ${config.dataDir}, so the database lives in ${clusterDir} ` +
        `(recorded in ${locationFile}): back up both folders`,
    );
  }
  const url = new URL(embedded.url);
  url.pathname = '/tradeproof';
  const ownerUrl = url.toString();
  await ensureDatabaseExists(ownerUrl);
  const owner = await openDatabase(ownerUrl, { poolMax: 2 });
  try {
    if (config.migrateOnStart) await applyMigrations(owner, log);
    await enableAppRoleLogin(owner.db, owner.flavor, secrets.appRolePassword);
  } finally {
    await owner.close();
  }
  return {
    ownerUrl,
    appUrl: appRoleUrl(ownerUrl, secrets.appRolePassword),
    custodyKeyHex: secrets.custodyKey,
    secretsFile: file,
    label: `embedded PostgreSQL, data in ${clusterDir}`,
  };
}

async function applyMigrations(owner: DatabaseHandle, log: Log): Promise<void> {
  const applied = await migrateToLatest(owner.db);
  log(
    applied.length > 0
      ? `applied ${applied.length} migration(s), up to ${applied.at(-1)}`
      : 'schema up to date',
  );
}
