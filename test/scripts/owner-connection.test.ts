/**
 * In production the app refuses to run on a connection that may rewrite events, unless the operator
 * says ALLOW_OWNER_CONNECTION=true; the restricted role always passes.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { refuseOwnerConnection } from '../../scripts/owner-connection.js';
import { startRuntime } from '../../scripts/runtime.js';
import { ConfigError, loadConfig } from '../../services/config.js';
import { mayRewriteEvents } from '../../services/db/app-role.js';
import { useTestDatabase } from '../support/database.js';

const database = useTestDatabase();

function collect() {
  const lines: string[] = [];
  return { lines, log: (line: string) => void lines.push(line) };
}

describe('mayRewriteEvents', () => {
  it('is true for the schema owner and false for the application role', async () => {
    expect(await mayRewriteEvents(database.owner.db)).toBe(true);
    expect(await mayRewriteEvents(database.app.db)).toBe(false);
  });
});

describe('refuseOwnerConnection', () => {
  it('refuses the owner in production, naming APP_DATABASE_URL and ALLOW_OWNER_CONNECTION', async () => {
    const refusal = refuseOwnerConnection(
      database.owner.db,
      { production: true, allowOwnerConnection: false },
      () => {},
    );
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(/APP_DATABASE_URL.*ALLOW_OWNER_CONNECTION=true/);
  });

  it('accepts the owner in production with ALLOW_OWNER_CONNECTION=true, and says so', async () => {
    const { lines, log } = collect();
    await refuseOwnerConnection(database.owner.db, { production: true, allowOwnerConnection: true }, log);
    expect(lines).toEqual([expect.stringMatching(/^ALLOW_OWNER_CONNECTION=true: .*UPDATE events/)]);
  });

  it.each([
    ['the application role in production', () => database.app.db, true],
    ['the owner outside production', () => database.owner.db, false],
  ])('accepts %s without a word', async (_name, db, production) => {
    const { lines, log } = collect();
    await refuseOwnerConnection(db(), { production, allowOwnerConnection: false }, log);
    expect(lines).toEqual([]);
  });
});

describe('startRuntime in production', () => {
  const environment = () => ({
    NODE_ENV: 'production',
    DATABASE_URL: database.ownerUrl,
    MIGRATE_ON_START: 'false',
    ANCHORING: 'false',
    CUSTODY_KEY: randomBytes(32).toString('hex'),
  });

  it('stops with a ConfigError when the app would connect as the owner', async () => {
    const config = loadConfig(environment());
    await expect(startRuntime(config, () => {})).rejects.toThrow(/ALLOW_OWNER_CONNECTION/);
  });

  it('starts when the app connects as tradeproof_app', async () => {
    const config = loadConfig({ ...environment(), APP_DATABASE_URL: database.appUrl });
    const runtime = await startRuntime(config, () => {});
    await runtime.close();
  });
});
