import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPlatformRegistrationId } from '../../scripts/runtime.js';
import { adminApiKeyShown, pendingAdminApiKey } from '../../services/parties/pending-admin-key.js';
import {
  authenticateApiKey,
  newApiKeySecret,
  revokeApiKey,
} from '../../services/registry/api-key.service.js';
import { ensureAdminApiKey, ensurePlatform } from '../../services/registry/platform.js';
import { useTestDatabase } from '../support/database.js';
import { freshKey } from '../support/fixtures.js';

const database = useTestDatabase();
const custody = { key: randomBytes(32) };
const options = { legalName: 'operator', registrationId: defaultPlatformRegistrationId, adminApiKey: null };

describe('the platform operator', () => {
  it('is created once, even by concurrent first starts, and its first API key is shown once', async () => {
    const [a, b] = await Promise.all([
      ensurePlatform(database.app.db, custody, options),
      ensurePlatform(database.app.db, custody, options),
    ]);
    expect(a.ledger.platformPartyId).toBe(b.ledger.platformPartyId);
    expect([a.adminApiKey, b.adminApiKey].filter((key) => key !== null)).toHaveLength(1);
    const again = await ensurePlatform(database.app.db, custody, options);
    expect(again.ledger.platformPartyId).toBe(a.ledger.platformPartyId);
    expect(again.adminApiKey).toBeNull();
    const firstKey = a.adminApiKey ?? b.adminApiKey ?? '';
    expect((await authenticateApiKey(database.app.db, firstKey))?.party.roles).toEqual(['platform_admin']);
  });

  it('keeps a generated first key sealed until it was shown, and never keeps one from ADMIN_API_KEY', async () => {
    const fresh = await import('../support/database.js').then((module) => module.createTestDatabase());
    try {
      const created = await ensurePlatform(fresh.app.db, custody, options);
      const sealed = await fresh.owner.db.selectFrom('pending_admin_api_key').selectAll().execute();
      expect(sealed).toHaveLength(1);
      expect(sealed[0]?.sealed_secret.includes(Buffer.from(created.adminApiKey ?? ''))).toBe(false);
      // A start that stopped before printing it: the next one finds it, as often as it takes.
      expect(await pendingAdminApiKey(fresh.app.db, custody)).toBe(created.adminApiKey);
      expect(await pendingAdminApiKey(fresh.app.db, custody)).toBe(created.adminApiKey);
      await expect(pendingAdminApiKey(fresh.app.db, { key: randomBytes(32) })).rejects.toThrow(
        /opens only with the CUSTODY_KEY of that start/,
      );
      await adminApiKeyShown(fresh.app.db);
      expect(await pendingAdminApiKey(fresh.app.db, custody)).toBeNull();
      expect(await fresh.owner.db.selectFrom('pending_admin_api_key').selectAll().execute()).toEqual([]);
      expect((await authenticateApiKey(fresh.app.db, created.adminApiKey ?? ''))?.party.roles).toEqual([
        'platform_admin',
      ]);
    } finally {
      await fresh.drop();
    }
    const given = await import('../support/database.js').then((module) => module.createTestDatabase());
    try {
      const secret = newApiKeySecret();
      const created = await ensurePlatform(given.app.db, custody, { ...options, adminApiKey: secret });
      expect(created.adminApiKey).toBe(secret);
      expect(await pendingAdminApiKey(given.app.db, custody)).toBeNull();
    } finally {
      await given.drop();
    }
  });

  it('drops a waiting first key that was revoked before anyone saw it', async () => {
    const fresh = await import('../support/database.js').then((module) => module.createTestDatabase());
    try {
      const { ledger, adminApiKey } = await ensurePlatform(fresh.app.db, custody, options);
      const found = await authenticateApiKey(fresh.app.db, adminApiKey ?? '');
      const actor = { partyId: ledger.platformPartyId, roles: ['platform_admin' as const] };
      const revoked = await revokeApiKey(ledger, actor, {
        apiKeyId: found?.apiKeyId ?? '',
        idempotencyKey: freshKey(),
      });
      expect(revoked.ok).toBe(true);
      expect(await pendingAdminApiKey(fresh.app.db, custody)).toBeNull();
      expect(await fresh.owner.db.selectFrom('pending_admin_api_key').selectAll().execute()).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses to start without a custody key, since it signs registry events', async () => {
    const fresh = await import('../support/database.js').then((module) => module.createTestDatabase());
    try {
      await expect(ensurePlatform(fresh.app.db, { key: null }, options)).rejects.toThrow(/custody key/);
    } finally {
      await fresh.drop();
    }
  });

  it('registers ADMIN_API_KEY on a ledger that exists, once, and keeps a revoked one revoked', async () => {
    const { ledger } = await ensurePlatform(database.app.db, custody, options);
    const secret = newApiKeySecret();
    expect(await ensureAdminApiKey(ledger, secret)).toBe('registered');
    expect(await ensureAdminApiKey(ledger, secret)).toBe('existed');
    const found = await authenticateApiKey(database.app.db, secret);
    expect(found?.party.id).toBe(ledger.platformPartyId);
    const actor = { partyId: ledger.platformPartyId, roles: ['platform_admin' as const] };
    const revoked = await revokeApiKey(ledger, actor, {
      apiKeyId: found?.apiKeyId ?? '',
      idempotencyKey: freshKey(),
    });
    expect(revoked.ok).toBe(true);
    await expect(ensureAdminApiKey(ledger, secret)).rejects.toThrow(/revoked/);
    expect(await authenticateApiKey(database.app.db, secret)).toBeUndefined();
  });
});
