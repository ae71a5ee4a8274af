import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../services/config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('reads an empty environment as the zero-setup defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      migrateOnStart: true,
      databaseUrl: null,
      appDatabaseUrl: null,
      production: false,
      adminApiKey: null,
      custodyKeyHex: null,
      embeddedPostgresPort: 54329,
      dbPoolMax: 10,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 10_000,
      transactionAgeMaxMs: 20_000,
      requestBodyBytesMax: 8 * 1_048_576,
      queryDepthMax: 12,
      queryCostMax: 50_000,
      queryAliasesMax: 15,
      queryTokensMax: 2000,
      queryOperationsMax: 10,
      queryFragmentsMax: 50,
      corsOrigins: 'any',
      allowOwnerConnection: false,
      shutdownGraceMs: 10_000,
    });
    expect(config.policy).toEqual({
      invoiceTenorDaysMax: 365,
      overdueGraceDays: 0,
      occurredAtPastHoursMax: 24,
      occurredAtFutureSecondsMax: 300,
      webhookPrivateAddressesAllowed: true,
      financingRequestTtlHours: 168,
    });
    expect(config.webhooks).toEqual({
      delivery: true,
      attemptsMax: 12,
      backoffBaseMs: 10_000,
      backoffCapMs: 21_600_000,
      timeoutMs: 10_000,
      concurrency: 8,
      pollIntervalMs: 500,
      scanIntervalMs: 60_000,
    });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(path.basename(config.dataDir)).toBe('.data');
    expect(config.dataDir).toBe(path.resolve('.data'));
  });

  it('loads the demo on a first start in development only, unless DEMO says otherwise', () => {
    expect(loadConfig({}).demoOnFirstStart).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', CUSTODY_KEY: 'ab'.repeat(32) }).demoOnFirstStart).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).demoOnFirstStart).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', DEMO: 'true' }).demoOnFirstStart).toBe(true);
    expect(loadConfig({ DEMO: 'false' }).demoOnFirstStart).toBe(false);
    expect(() => loadConfig({ DEMO: 'maybe' })).toThrow('DEMO must be true or false, got "maybe"');
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({
      PORT: '',
      DATABASE_URL: '',
      MIGRATE_ON_START: '',
      ADMIN_API_KEY: '',
      HOST: '',
    });
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: null,
      migrateOnStart: true,
      adminApiKey: null,
      host: '127.0.0.1',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '4000.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['APP_DATABASE_URL', 'http://db.example/tradeproof'],
    ['MIGRATE_ON_START', 'maybe'],
    ['CUSTODY_KEY', 'short'],
    ['CUSTODY_KEY', 'g'.repeat(64)],
    ['ADMIN_API_KEY', 'short'],
    ['FINGERPRINT_KEY', 'ab'.repeat(31)],
    ['FINGERPRINT_KEY', 'not a key!'],
    ['ADMIN_API_KEY', 'a'.repeat(31)],
    ['QUERY_DEPTH_MAX', '1'],
    ['QUERY_DEPTH_MAX', '101'],
    ['QUERY_COST_MAX', '9'],
    ['DB_POOL_MAX', '0'],
    ['EMBEDDED_PG_PORT', '80'],
    ['STATEMENT_TIMEOUT_MS', '99'],
    ['QUERY_TOKENS_MAX', '99'],
    ['QUERY_OPERATIONS_MAX', '0'],
    ['QUERY_FRAGMENTS_MAX', '1001'],
    ['CORS_ORIGINS', 'https://app.example.com/'],
    ['CORS_ORIGINS', 'https://app.example.com/console'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['CORS_ORIGINS', 'https://a.example,*'],
    ['ALLOW_OWNER_CONNECTION', 'sure'],
    ['OCCURRED_AT_PAST_HOURS_MAX', '0'],
    ['OCCURRED_AT_PAST_HOURS_MAX', '24h'],
    ['OCCURRED_AT_FUTURE_SECONDS_MAX', '86401'],
    ['PLATFORM_LEGAL_NAME', 'Operator\u0000Co'],
    ['PLATFORM_LEGAL_NAME', 'Operator \u202eoC'],
    ['WEBHOOK_ATTEMPTS_MAX', '0'],
    ['WEBHOOK_ATTEMPTS_MAX', '101'],
    ['WEBHOOK_BACKOFF_BASE_MS', '1s'],
    ['WEBHOOK_BACKOFF_CAP_MS', '1'],
    ['WEBHOOK_TIMEOUT_MS', '99'],
    ['WEBHOOK_CONCURRENCY', '0'],
    ['WEBHOOK_POLL_INTERVAL_MS', '9'],
    ['WEBHOOK_SCAN_INTERVAL_MS', '99'],
    ['WEBHOOK_DELIVERY', 'sometimes'],
    ['WEBHOOK_PRIVATE_ADDRESSES', 'perhaps'],
  ])('rejects %s=%j with a ConfigError naming the variable', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message.startsWith(`${name} `)).toBe(true);
  });

  it('does not echo a rejected secret back in the error', () => {
    const secret = 'x'.repeat(20);
    expect(configError({ ADMIN_API_KEY: secret }).message).not.toContain(secret);
    expect(configError({ CUSTODY_KEY: secret }).message).not.toContain(secret);
    expect(configError({ FINGERPRINT_KEY: secret }).message).not.toContain(secret);
  });

  it('reads FINGERPRINT_KEY as hex or base64, and leaves it null when unset', () => {
    const key = Buffer.alloc(32, 9);
    expect(loadConfig({ FINGERPRINT_KEY: key.toString('hex') }).fingerprintKey).toEqual(key);
    expect(loadConfig({ FINGERPRINT_KEY: key.toString('base64') }).fingerprintKey).toEqual(key);
    expect(loadConfig({}).fingerprintKey).toBeNull();
  });

  it('reads valid overrides', () => {
    const custodyKey = 'Ab'.repeat(32);
    const adminApiKey = 'k'.repeat(32);
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://root@db.internal:26257/tradeproof?sslmode=verify-full',
      APP_DATABASE_URL: 'postgres://tradeproof_app@db.internal:26257/tradeproof',
      MIGRATE_ON_START: 'FALSE',
      NODE_ENV: 'production',
      ADMIN_API_KEY: adminApiKey,
      DATA_DIR: 'var/ledger',
      EMBEDDED_PG_PORT: '65535',
      DB_POOL_MAX: '50',
      STATEMENT_TIMEOUT_MS: '100',
      IDLE_IN_TRANSACTION_TIMEOUT_MS: '250',
      TRANSACTION_AGE_MAX_MS: '5000',
      REQUEST_BODY_BYTES_MAX: '2048',
      QUERY_DEPTH_MAX: '2',
      QUERY_COST_MAX: '1000000',
      QUERY_ALIASES_MAX: '3',
      QUERY_TOKENS_MAX: '100000',
      QUERY_OPERATIONS_MAX: '1',
      QUERY_FRAGMENTS_MAX: '0',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      ALLOW_OWNER_CONNECTION: 'true',
      CUSTODY_KEY: custodyKey,
      SHUTDOWN_GRACE_MS: '0',
      OCCURRED_AT_PAST_HOURS_MAX: '72',
      OCCURRED_AT_FUTURE_SECONDS_MAX: '0',
    });
    expect(config.policy).toMatchObject({ occurredAtPastHoursMax: 72, occurredAtFutureSecondsMax: 0 });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://root@db.internal:26257/tradeproof?sslmode=verify-full',
      appDatabaseUrl: 'postgres://tradeproof_app@db.internal:26257/tradeproof',
      migrateOnStart: false,
      production: true,
      adminApiKey,
      dataDir: path.resolve('var/ledger'),
      embeddedPostgresPort: 65535,
      dbPoolMax: 50,
      statementTimeoutMs: 100,
      idleInTransactionTimeoutMs: 250,
      transactionAgeMaxMs: 5000,
      requestBodyBytesMax: 2048,
      queryDepthMax: 2,
      queryCostMax: 1_000_000,
      queryAliasesMax: 3,
      queryTokensMax: 100_000,
      queryOperationsMax: 1,
      queryFragmentsMax: 0,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      allowOwnerConnection: true,
      custodyKeyHex: custodyKey,
      shutdownGraceMs: 0,
    });
  });

  it.each([
    ['1', true],
    ['yes', true],
    ['True', true],
    ['0', false],
    ['no', false],
  ])('reads MIGRATE_ON_START=%s as %s', (value, expected) => {
    expect(loadConfig({ MIGRATE_ON_START: value }).migrateOnStart).toBe(expected);
  });

  it.each([
    ['unset outside production: any origin', {}, 'any'],
    ['unset in production: none', { NODE_ENV: 'production' }, []],
    ['* in production: any origin', { NODE_ENV: 'production', CORS_ORIGINS: '*' }, 'any'],
    ['a list outside production: that list', { CORS_ORIGINS: 'https://a.example' }, ['https://a.example']],
  ])('reads CORS_ORIGINS %s', (_name, env, expected) => {
    expect(loadConfig(env).corsOrigins).toEqual(expected);
  });

  it.each([
    ['allowed outside production', {}, true],
    ['refused in production', { NODE_ENV: 'production' }, false],
    ['allowed in production when asked', { NODE_ENV: 'production', WEBHOOK_PRIVATE_ADDRESSES: 'true' }, true],
    ['refused outside production when asked', { WEBHOOK_PRIVATE_ADDRESSES: 'false' }, false],
  ])('webhook private addresses: %s', (_name, env, expected) => {
    expect(loadConfig(env).policy.webhookPrivateAddressesAllowed).toBe(expected);
  });

  it('reads webhook delivery overrides, and refuses a backoff cap below its base', () => {
    const config = loadConfig({
      WEBHOOK_DELIVERY: 'false',
      WEBHOOK_ATTEMPTS_MAX: '3',
      WEBHOOK_BACKOFF_BASE_MS: '50',
      WEBHOOK_BACKOFF_CAP_MS: '400',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_CONCURRENCY: '2',
      WEBHOOK_POLL_INTERVAL_MS: '20',
      WEBHOOK_SCAN_INTERVAL_MS: '1000',
    });
    expect(config.webhooks).toEqual({
      delivery: false,
      attemptsMax: 3,
      backoffBaseMs: 50,
      backoffCapMs: 400,
      timeoutMs: 2000,
      concurrency: 2,
      pollIntervalMs: 20,
      scanIntervalMs: 1000,
    });
    expect(configError({ WEBHOOK_BACKOFF_BASE_MS: '5000', WEBHOOK_BACKOFF_CAP_MS: '4000' }).message).toMatch(
      /^WEBHOOK_BACKOFF_CAP_MS .*at least WEBHOOK_BACKOFF_BASE_MS/,
    );
  });
});
