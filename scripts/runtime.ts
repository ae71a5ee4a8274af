/**
 * Wires the ledger for a process: the database (embedded by default, or DATABASE_URL), migrations,
 * the application role, the custody key and the platform operator.
 */
import path from 'node:path';
import type { Config } from '../services/config.js';
import { appRoleUrl, enableAppRoleLogin } from '../services/db/app-role.js';
import { type DatabaseHandle, openDatabase } from '../services/db/connect.js';
import { startEmbeddedPostgres } from '../services/db/embedded.js';
import { migrateToLatest } from '../services/db/migrator.js';
import { ensureDatabaseExists } from '../services/db/provision.js';
import { anchorLateness, startAnchorWorker } from '../services/ledger/anchor-worker.js';
import { fileSink, webhookSink } from '../services/ledger/checkpoint-sink.js';
import { ensureLogSigner, type LogSigner } from '../services/ledger/log-signer.js';
import { ensureAdminApiKey, ensurePlatform, type Platform } from '../services/parties/platform.js';
import { withLeiCheck } from '../services/parties/registration-id.js';
import { loadOrCreateSecrets } from './embedded-secrets.js';
import { refuseOwnerConnection } from './owner-connection.js';

export interface Runtime extends Platform {
  databaseLabel: string;
  logSigner: LogSigner;
  close(): Promise<void>;
}

type Log = (line: string) => void;

export const defaultPlatformRegistrationId = withLeiCheck('TRADEPROOF00PLATFM');

export async function startRuntime(config: Config, log: Log): Promise<Runtime> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse())
      await closer().catch((error) => log(`shutdown: ${String(error)}`));
  };
  try {
    let ownerUrl = config.databaseUrl;
    let appUrl = config.appDatabaseUrl;
    let custodyKeyHex = config.custodyKeyHex;
    let databaseLabel = ownerUrl ? `database at ${new URL(ownerUrl).host}` : '';
    if (ownerUrl === null) {
      const secrets = await loadOrCreateSecrets(config.dataDir);
      const dataDir = path.join(config.dataDir, 'postgres');
      log(`starting embedded PostgreSQL (data in ${dataDir}, port ${config.embeddedPostgresPort})`);
      const embedded = await startEmbeddedPostgres({
        dataDir,
        port: config.embeddedPostgresPort,
        password: secrets.postgresPassword,
      });
      closers.push(() => embedded.stop());
      const url = new URL(embedded.url);
      url.pathname = '/tradeproof';
      ownerUrl = url.toString();
      appUrl ??= appRoleUrl(ownerUrl, secrets.appRolePassword);
      custodyKeyHex ??= secrets.custodyKey;
      databaseLabel = `embedded PostgreSQL, data in ${dataDir}`;
      await ensureDatabaseExists(ownerUrl);
      const owner = await openDatabase(ownerUrl, { poolMax: 2 });
      try {
        if (config.migrateOnStart) await applyMigrations(owner, log);
        await enableAppRoleLogin(owner.db, owner.flavor, secrets.appRolePassword);
      } finally {
        await owner.close();
      }
    } else if (config.migrateOnStart) {
      await ensureDatabaseExists(ownerUrl);
      const owner = await openDatabase(ownerUrl, { poolMax: 2 });
      await applyMigrations(owner, log).finally(() => owner.close());
    }
    if (appUrl === null)
      log('APP_DATABASE_URL is not set: the app uses DATABASE_URL, whose role may rewrite events');
    const app = await openDatabase(appUrl ?? ownerUrl, {
      poolMax: config.dbPoolMax,
      statementTimeoutMs: config.statementTimeoutMs,
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
    if (platform.adminApiKey === null && config.adminApiKey !== null) {
      const outcome = await ensureAdminApiKey(platform.ledger, config.adminApiKey);
      if (outcome === 'registered') log('registered ADMIN_API_KEY for the platform administrator');
    }
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
    return { ...platform, databaseLabel, logSigner, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function applyMigrations(owner: DatabaseHandle, log: Log): Promise<void> {
  const applied = await migrateToLatest(owner.db);
  log(
    applied.length > 0
      ? `applied ${applied.length} migration(s), up to ${applied.at(-1)}`
      : 'schema up to date',
  );
}
