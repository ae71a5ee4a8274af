/**
 * Configuration from the environment, parsed once and validated, so that a typo fails at start with a
 * sentence that names the variable rather than as a strange error later. Every variable is listed in
 * README.md ("Configuration").
 */
import path from 'node:path';
import { defaultPolicy, type LedgerPolicy } from './context.js';
import { parseFingerprintKey } from './crypto/fingerprint-key.js';
import { textCharacterProblem } from './input-rules.js';

export interface Config {
  /** Owner connection (migrations); unset means the embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  /** Restricted application-role connection; unset means databaseUrl (or the embedded app role). */
  appDatabaseUrl: string | null;
  migrateOnStart: boolean;
  host: string;
  port: number;
  production: boolean;
  /** The first start loads the demo supply chain (DEMO; off in production and under NODE_ENV=test). */
  demoOnFirstStart: boolean;
  adminApiKey: string | null;
  dataDir: string;
  embeddedPostgresPort: number;
  dbPoolMax: number;
  statementTimeoutMs: number;
  /** The server ends a session idle this long inside a transaction. */
  idleInTransactionTimeoutMs: number;
  /** How long one transaction attempt may run before it is refused its next statement and commit. */
  transactionAgeMaxMs: number;
  /** How long a transaction keeps retrying while the database cannot be reached. */
  dbReconnectWaitMs: number;
  requestBodyBytesMax: number;
  queryDepthMax: number;
  queryCostMax: number;
  queryAliasesMax: number;
  queryTokensMax: number;
  queryOperationsMax: number;
  queryFragmentsMax: number;
  /** Origins allowed cross-origin; unset means none in production, any origin elsewhere. */
  corsOrigins: readonly string[] | 'any';
  /** Production only: accept an app connection that may UPDATE events (the schema owner). */
  allowOwnerConnection: boolean;
  /** 32-byte key (hex) sealing custodial private keys; the embedded default keeps one in dataDir. */
  custodyKeyHex: string | null;
  /**
   * FINGERPRINT_KEY, the key registries share for blinded invoice fingerprints (hex or base64, at
   * least 32 bytes). Unset: the embedded default keeps a per-installation key in dataDir; with
   * DATABASE_URL, no fingerprints.
   */
  fingerprintKey: Buffer | null;
  shutdownGraceMs: number;
  policy: LedgerPolicy;
  log: LogConfig;
  webhooks: WebhookConfig;
  platformLegalName: string;
  /** Registration id of the platform operator; null means a fixed placeholder LEI. */
  platformRegistrationId: string | null;
}

export interface LogConfig {
  origin: string;
  /** Run the anchoring worker in this process. */
  anchoring: boolean;
  anchorBatchEventsMax: number;
  anchorIntervalMs: number;
  checkpointFile: string;
  checkpointWebhookUrl: string | null;
}

/** Party webhook delivery (services/webhooks/dispatcher.ts). */
export interface WebhookConfig {
  /** Run the delivery loop in this process. */
  delivery: boolean;
  /** Attempts per delivery before it is DEAD. */
  attemptsMax: number;
  /** The wait after the first failed attempt; it doubles with each one, jittered. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** One request's limit. */
  timeoutMs: number;
  /** Requests in flight at once (at most one per webhook). */
  concurrency: number;
  pollIntervalMs: number;
  /** How often receivables are scanned for RECEIVABLE_DUE_SOON and RECEIVABLE_OVERDUE. */
  scanIntervalMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with postgresql://, got ${parsed.protocol}//`);
  }
  return raw;
}

function corsOrigins(env: Env, production: boolean): readonly string[] | 'any' {
  const raw = env.CORS_ORIGINS?.trim();
  if (raw === undefined || raw === '') return production ? [] : 'any';
  if (raw === '*') return 'any';
  const origins = raw.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {}
    if (parsed?.origin !== origin) {
      throw new ConfigError(
        `CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com (no path, no trailing slash), got "${origin}"`,
      );
    }
  }
  return origins;
}

function logConfig(env: Env, dataDir: string): LogConfig {
  const webhook = env.CHECKPOINT_WEBHOOK_URL || null;
  if (webhook !== null && !/^https?:\/\//.test(webhook)) {
    throw new ConfigError('CHECKPOINT_WEBHOOK_URL must be an http(s) URL');
  }
  return {
    origin: env.LOG_ORIGIN || 'tradeproof.local/log',
    anchoring: flag(env, 'ANCHORING', true),
    anchorBatchEventsMax: integer(env, 'ANCHOR_BATCH_EVENTS_MAX', 10_000, 1, 100_000),
    anchorIntervalMs: integer(env, 'ANCHOR_INTERVAL_MS', 200, 10, 60_000),
    checkpointFile: path.resolve(env.CHECKPOINT_FILE || path.join(dataDir, 'checkpoints.log')),
    checkpointWebhookUrl: webhook,
  };
}

/** HOST and PORT, as the server listens on them; clients on this machine find it by the same rule. */
export function listenAddress(env: Env = process.env): { host: string; port: number } {
  return { host: env.HOST || '127.0.0.1', port: integer(env, 'PORT', 4000, 0, 65535) };
}

function webhookConfig(env: Env): WebhookConfig {
  const backoffBaseMs = integer(env, 'WEBHOOK_BACKOFF_BASE_MS', 10_000, 1, 3_600_000);
  const backoffCapMs = integer(env, 'WEBHOOK_BACKOFF_CAP_MS', 21_600_000, 1, 7 * 86_400_000);
  if (backoffCapMs < backoffBaseMs) {
    throw new ConfigError(
      `WEBHOOK_BACKOFF_CAP_MS (${backoffCapMs}) must be at least WEBHOOK_BACKOFF_BASE_MS (${backoffBaseMs})`,
    );
  }
  return {
    delivery: flag(env, 'WEBHOOK_DELIVERY', true),
    attemptsMax: integer(env, 'WEBHOOK_ATTEMPTS_MAX', 12, 1, 100),
    backoffBaseMs,
    backoffCapMs,
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    concurrency: integer(env, 'WEBHOOK_CONCURRENCY', 8, 1, 256),
    pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 500, 10, 60_000),
    scanIntervalMs: integer(env, 'WEBHOOK_SCAN_INTERVAL_MS', 60_000, 100, 86_400_000),
  };
}

function fingerprintKey(env: Env): Buffer | null {
  const raw = env.FINGERPRINT_KEY;
  if (raw === undefined || raw === '') return null;
  const parsed = parseFingerprintKey(raw);
  if (!parsed.ok) throw new ConfigError(`FINGERPRINT_KEY ${parsed.message}`);
  return parsed.key;
}

/** Reads and validates the configuration; throws ConfigError naming the variable at fault. */
export function loadConfig(env: Env = process.env): Config {
  const custodyKeyHex = env.CUSTODY_KEY || null;
  if (custodyKeyHex !== null && !/^[0-9a-fA-F]{64}$/.test(custodyKeyHex)) {
    throw new ConfigError('CUSTODY_KEY must be 64 hex characters (32 bytes)');
  }
  const platformLegalName = env.PLATFORM_LEGAL_NAME || 'tradeproof platform operator';
  const nameProblem = textCharacterProblem(platformLegalName, 'name');
  if (nameProblem) throw new ConfigError(`PLATFORM_LEGAL_NAME ${nameProblem}`);
  const adminApiKey = env.ADMIN_API_KEY || null;
  if (adminApiKey !== null && adminApiKey.length < 32) {
    throw new ConfigError('ADMIN_API_KEY must be at least 32 characters');
  }
  const production = env.NODE_ENV === 'production';
  return {
    databaseUrl: url(env, 'DATABASE_URL'),
    appDatabaseUrl: url(env, 'APP_DATABASE_URL'),
    migrateOnStart: flag(env, 'MIGRATE_ON_START', true),
    ...listenAddress(env),
    production,
    demoOnFirstStart: flag(env, 'DEMO', !production && env.NODE_ENV !== 'test'),
    adminApiKey,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    embeddedPostgresPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    dbPoolMax: integer(env, 'DB_POOL_MAX', 10, 1, 1000),
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    idleInTransactionTimeoutMs: integer(env, 'IDLE_IN_TRANSACTION_TIMEOUT_MS', 10_000, 100, 600_000),
    transactionAgeMaxMs: integer(env, 'TRANSACTION_AGE_MAX_MS', 20_000, 100, 600_000),
    dbReconnectWaitMs: integer(env, 'DB_RECONNECT_WAIT_MS', 15_000, 0, 600_000),
    // A submitStatements call of 1,000 purchase orders of a few lines each is about 1.5 MB.
    requestBodyBytesMax: integer(env, 'REQUEST_BODY_BYTES_MAX', 8 * 1_048_576, 1024, 100 * 1_048_576),
    queryDepthMax: integer(env, 'QUERY_DEPTH_MAX', 12, 2, 100),
    // A page of 100 receivables with every field, parties and invoice lines costs about 36,000.
    queryCostMax: integer(env, 'QUERY_COST_MAX', 50_000, 10, 1_000_000),
    queryAliasesMax: integer(env, 'QUERY_ALIASES_MAX', 15, 1, 1000),
    queryTokensMax: integer(env, 'QUERY_TOKENS_MAX', 2000, 100, 100_000),
    queryOperationsMax: integer(env, 'QUERY_OPERATIONS_MAX', 10, 1, 1000),
    queryFragmentsMax: integer(env, 'QUERY_FRAGMENTS_MAX', 50, 0, 1000),
    corsOrigins: corsOrigins(env, production),
    allowOwnerConnection: flag(env, 'ALLOW_OWNER_CONNECTION', false),
    custodyKeyHex,
    fingerprintKey: fingerprintKey(env),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    policy: {
      invoiceTenorDaysMax: integer(env, 'INVOICE_TENOR_DAYS_MAX', defaultPolicy.invoiceTenorDaysMax, 1, 3650),
      overdueGraceDays: integer(env, 'OVERDUE_GRACE_DAYS', defaultPolicy.overdueGraceDays, 0, 365),
      occurredAtPastHoursMax: integer(
        env,
        'OCCURRED_AT_PAST_HOURS_MAX',
        defaultPolicy.occurredAtPastHoursMax,
        1,
        24 * 366,
      ),
      occurredAtFutureSecondsMax: integer(
        env,
        'OCCURRED_AT_FUTURE_SECONDS_MAX',
        defaultPolicy.occurredAtFutureSecondsMax,
        0,
        86_400,
      ),
      // A receiver on a private network is normal in development and a risk (SSRF) in production.
      webhookPrivateAddressesAllowed: flag(env, 'WEBHOOK_PRIVATE_ADDRESSES', !production),
      financingRequestTtlHours: integer(
        env,
        'FINANCING_REQUEST_TTL_HOURS',
        defaultPolicy.financingRequestTtlHours,
        1,
        24 * 366,
      ),
    },
    log: logConfig(env, path.resolve(env.DATA_DIR || '.data')),
    webhooks: webhookConfig(env),
    platformLegalName,
    platformRegistrationId: env.PLATFORM_REGISTRATION_ID || null,
  };
}
