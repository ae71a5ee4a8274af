/**
 * The platform operator: a party with the platform_admin role whose custodial key signs registry
 * events. Created once, on the very first start, with the first administrator API key, which waits
 * sealed until a start has shown it (pending-admin-key.ts).
 */
import { randomUUID } from 'node:crypto';
import { type Custody, defaultPolicy, type Ledger, type LedgerPolicy } from '../context.js';
import { sha256 } from '../crypto/index.js';
import { type Db, inTransaction } from '../db/transaction.js';
import { insertApiKey } from '../parties/api-key.repository.js';
import { newCustodialKey } from '../parties/custody.js';
import type { Actor } from '../parties/party.js';
import { insertParty } from '../parties/party.repository.js';
import { insertActiveKey } from '../parties/party-key.repository.js';
import { holdAdminApiKey } from '../parties/pending-admin-key.js';
import { validateRegistrationId } from '../parties/registration-id.js';
import { FailureAbort } from '../result.js';
import { authenticateApiKey, createApiKey, newApiKeySecret } from './api-key.service.js';
import { appendRegistryEvent, partyRegistered } from './registry-event.js';

const platformSetting = 'platform_party_id';

export interface PlatformOptions {
  legalName: string;
  registrationId: string;
  /** The first administrator's API key; a random one when null. */
  adminApiKey: string | null;
}

export interface Platform {
  ledger: Ledger;
  /** The administrator API key, on the start that created the platform only. */
  adminApiKey: string | null;
}

/** Finds the platform operator, creating it (and its first API key) on the very first start. */
export async function ensurePlatform(
  db: Db,
  custody: Custody,
  options: PlatformOptions,
  policy: LedgerPolicy = defaultPolicy,
): Promise<Platform> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('ledger_setting')
      .select('value')
      .where('name', '=', platformSetting)
      .executeTakeFirst();
    if (existing)
      return { ledger: { db, custody, platformPartyId: existing.value, policy }, adminApiKey: null };

    const registration = validateRegistrationId(options.registrationId);
    if (!registration.ok) throw new Error(`PLATFORM_REGISTRATION_ID: ${registration.message}`);
    const partyId = randomUUID();
    const ledger: Ledger = { db, custody, platformPartyId: partyId, policy };
    const actor: Actor = { partyId, roles: ['platform_admin'] };
    const party = await insertParty(trx, {
      id: partyId,
      legalName: options.legalName,
      registrationScheme: registration.scheme,
      registrationId: registration.value,
      roles: ['platform_admin'],
      parentPartyId: null,
    });
    const key = newCustodialKey(custody, partyId);
    if (!key.ok) throw new Error(`the platform needs a custody key: ${key.message}`);
    await insertActiveKey(trx, key.value, 'registered');
    await trx.insertInto('ledger_setting').values({ name: platformSetting, value: partyId }).execute();
    const registered = await appendRegistryEvent(
      trx,
      ledger,
      { operation: 'bootstrapPlatform', actor, idempotencyKey: 'bootstrap', input: { partyId } },
      partyRegistered(party, key.value, null),
    );
    if (!registered.ok) throw new FailureAbort(registered);
    const secret = options.adminApiKey ?? newApiKeySecret();
    const apiKey = await insertApiKey(trx, {
      id: randomUUID(),
      partyId,
      label: 'first administrator',
      secretHash: sha256(secret),
    });
    const created = await appendRegistryEvent(
      trx,
      ledger,
      {
        operation: 'bootstrapApiKey',
        actor,
        idempotencyKey: 'bootstrap-api-key',
        input: { apiKeyId: apiKey.id },
      },
      {
        kind: 'api_key.created',
        counterparty: partyId,
        payload: { apiKeyId: apiKey.id, partyId, label: apiKey.label },
      },
    );
    if (!created.ok) throw new FailureAbort(created);
    // A generated key exists nowhere else until printed: it waits, sealed, for the start to show it.
    if (options.adminApiKey === null) await holdAdminApiKey(trx, custody, apiKey.id, secret);
    return { ledger, adminApiKey: secret };
  });
}

/**
 * Makes ADMIN_API_KEY work on a ledger that already exists (the first start registers it itself):
 * registered for the platform operator unless it already authenticates. A revoked one stays revoked.
 */
export async function ensureAdminApiKey(ledger: Ledger, secret: string): Promise<'existed' | 'registered'> {
  if (await authenticateApiKey(ledger.db, secret)) return 'existed';
  const created = await createApiKey(
    ledger,
    { partyId: ledger.platformPartyId, roles: ['platform_admin'] },
    {
      partyId: ledger.platformPartyId,
      label: 'ADMIN_API_KEY',
      idempotencyKey: `admin-api-key-${sha256(secret).toString('hex').slice(0, 32)}`,
      secret,
    },
  );
  if (!created.ok) throw new Error(`ADMIN_API_KEY: ${created.message}`);
  // Registered before yet not authenticating: it was revoked.
  if (created.value.replayed) throw new Error('ADMIN_API_KEY was revoked: choose a new one');
  return 'registered';
}
