/**
 * API credentials. The secret is shown once, at creation; only its SHA-256 is stored (a 256-bit random
 * secret needs no slow hash), and a request authenticates by looking that hash up.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { assert } from '../assert.js';
import type { Ledger } from '../context.js';
import { sha256 } from '../crypto/index.js';
import { type Db, inOneStatement, inTransaction } from '../db/transaction.js';
import { inTransactionResult } from '../db/transaction-result.js';
import {
  findApiKey,
  findPartyBySecretHash,
  insertApiKey,
  markApiKeyRevoked,
} from '../parties/api-key.repository.js';
import { cachedKey, cacheKey, forgetKey, isKeyLive } from '../parties/api-key-cache.js';
import { idempotencyKeyProblem, textProblem, uuidProblem } from '../parties/input-checks.js';
import { type Actor, type ApiKey, apiKeyLabelLengthMax, mayManage, type Party } from '../parties/party.js';
import { findPartyById } from '../parties/party.repository.js';
import { fail, ok, type Result } from '../result.js';
import { appendRegistryEvent, findRegistryReplay } from './registry-event.js';

const secretPrefix = 'tp_';

export function newApiKeySecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64url')}`;
}

export interface CreateApiKeyInput {
  partyId: string;
  label: string;
  idempotencyKey: string;
  /** A secret chosen by the operator (ADMIN_API_KEY); otherwise a random one. */
  secret?: string;
}

export interface ApiKeyOutcome {
  apiKey: ApiKey;
  /** The secret, on the request that created the key only; null on a replay. */
  secret: string | null;
  replayed: boolean;
}

/**
 * Creates an API key for a party (its own, or any party's for a platform administrator).
 *
 * Failure codes: invalid_input, forbidden, party_not_found, idempotency_key_reused.
 */
export async function createApiKey(
  ledger: Ledger,
  actor: Actor,
  input: CreateApiKeyInput,
): Promise<Result<ApiKeyOutcome>> {
  const label = input.label;
  const problem =
    uuidProblem(input.partyId, 'partyId') ??
    idempotencyKeyProblem(input.idempotencyKey) ??
    textProblem(label, 'label', apiKeyLabelLengthMax, 'name');
  if (problem) return problem;
  if (!mayManage(actor, input.partyId))
    return fail('forbidden', 'only the party or a platform administrator creates its keys');
  const { secret: _secret, ...requestInput } = input;
  const request = {
    operation: 'createApiKey',
    actor,
    idempotencyKey: input.idempotencyKey,
    input: requestInput,
  };
  return inTransactionResult(ledger.db, async (trx): Promise<Result<ApiKeyOutcome>> => {
    const replay = await findRegistryReplay(trx, ledger, request);
    if (!replay.ok) return replay;
    if (replay.value) {
      const apiKey = await findApiKey(trx, (replay.value.payload as { apiKeyId: string }).apiKeyId);
      assert(apiKey, 'an api_key.created event without its API key');
      return ok({ apiKey, secret: null, replayed: true });
    }
    if (!(await findPartyById(trx, input.partyId)))
      return fail('party_not_found', 'no party with that id', 'partyId');
    const secret = input.secret ?? newApiKeySecret();
    const apiKey = await insertApiKey(trx, {
      id: randomUUID(),
      partyId: input.partyId,
      label,
      secretHash: sha256(secret),
    });
    const appended = await appendRegistryEvent(trx, ledger, request, {
      kind: 'api_key.created',
      counterparty: input.partyId,
      payload: { apiKeyId: apiKey.id, partyId: input.partyId, label },
    });
    return appended.ok ? ok({ apiKey, secret, replayed: false }) : appended;
  });
}

export interface RevokeApiKeyInput {
  apiKeyId: string;
  idempotencyKey: string;
}

/**
 * Revokes an API key; requests with it fail from then on.
 *
 * Failure codes: invalid_input, api_key_not_found, api_key_already_revoked, idempotency_key_reused.
 */
export async function revokeApiKey(
  ledger: Ledger,
  actor: Actor,
  input: RevokeApiKeyInput,
): Promise<Result<{ apiKey: ApiKey; replayed: boolean }>> {
  const problem = uuidProblem(input.apiKeyId, 'apiKeyId') ?? idempotencyKeyProblem(input.idempotencyKey);
  if (problem) return problem;
  const request = { operation: 'revokeApiKey', actor, idempotencyKey: input.idempotencyKey, input };
  return inTransactionResult(
    ledger.db,
    async (trx): Promise<Result<{ apiKey: ApiKey; replayed: boolean }>> => {
      const replay = await findRegistryReplay(trx, ledger, request);
      if (!replay.ok) return replay;
      const apiKey = await findApiKey(trx, input.apiKeyId);
      // Someone else's key is reported as missing, so that ids cannot be probed.
      if (!apiKey || !mayManage(actor, apiKey.partyId))
        return fail('api_key_not_found', 'no API key with that id', 'apiKeyId');
      if (replay.value) return ok({ apiKey, replayed: true });
      if (apiKey.revokedAt !== null)
        return fail('api_key_already_revoked', 'the API key was revoked already', 'apiKeyId');
      const revoked = await markApiKeyRevoked(trx, apiKey.id);
      const appended = await appendRegistryEvent(trx, ledger, request, {
        kind: 'api_key.revoked',
        counterparty: apiKey.partyId,
        payload: { apiKeyId: apiKey.id, partyId: apiKey.partyId },
      });
      return appended.ok ? ok({ apiKey: revoked, replayed: false }) : appended;
    },
  );
}

/**
 * The party behind a bearer secret, or undefined for an unknown or revoked one. One primary-key read
 * per request once the secret was seen (api-key-cache.ts); a revoked key is refused on the next
 * request, in this process or any other.
 */
export async function authenticateApiKey(
  db: Db,
  secret: string,
): Promise<{ apiKeyId: string; party: Party } | undefined> {
  if (secret.length < 32 || secret.length > 200) return undefined;
  const secretHash = sha256(secret);
  const hashHex = secretHash.toString('hex');
  const known = cachedKey(hashHex);
  if (known) {
    if (await inOneStatement(db, (read) => isKeyLive(read, known.apiKeyId))) return known;
    forgetKey(hashHex);
    return undefined;
  }
  const found = await inTransaction(db, (trx) => findPartyBySecretHash(trx, secretHash));
  if (found) cacheKey(hashHex, found);
  return found;
}
