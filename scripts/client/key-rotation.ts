/**
 * Adding a signing key from code: preparePartyKeyAddition, check the statement says what was asked,
 * sign its hash with the current self-held key (when the ledger needs it) and with the new key
 * (proof of possession), then addPartyKey. Both private keys stay in this process.
 */
import { parseHex, publicKeyFromPrivate, sha256, sign, toHex } from '../../services/crypto/index.js';
import { parseKeyAdditionStatement } from '../../services/parties/key-statement.js';
import { domainErrorOf, isRecord, TradeproofError } from './errors.js';
import type { TradeproofClient } from './tradeproof-client.js';

export const preparePartyKeyAdditionMutation = `mutation PrepareKey($partyId: UUID!, $publicKey: HexBytes, $custodial: Boolean) {
  preparePartyKeyAddition(partyId: $partyId, publicKey: $publicKey, custodial: $custodial) {
    __typename
    ... on PreparedKeyAddition { statement statementHash currentKeySignatureRequired recoveryRequired }
    ... on DomainError { code message field retryable }
  }
}`;

export const addPartyKeyMutation = `mutation AddKey($partyId: UUID!, $publicKey: HexBytes, $custodial: Boolean,
    $proofOfPossession: HexBytes, $currentKeySignature: HexBytes, $idempotencyKey: String!) {
  addPartyKey(partyId: $partyId, publicKey: $publicKey, custodial: $custodial, proofOfPossession: $proofOfPossession,
      currentKeySignature: $currentKeySignature, idempotencyKey: $idempotencyKey) {
    __typename
    ... on PartyKeyPayload { replayed key { keyId status custodial authorization } }
    ... on DomainError { code message field retryable }
  }
}`;

export interface AddPartyKeyOptions {
  partyId: string;
  /** The new self-held key's 32-byte seed (bytes or hex); leave it out with custodial: true. */
  newPrivateKey?: Uint8Array | string;
  /** Let the platform generate and hold the new key instead. */
  custodial?: boolean;
  idempotencyKey: string;
  signal?: AbortSignal;
}

export interface AddedPartyKey {
  key: { keyId: string; status: string; custodial: boolean; authorization: string };
  replayed: boolean;
}

function seedOf(key: Uint8Array | string): Buffer {
  const seed = typeof key === 'string' ? parseHex(key, 32) : Buffer.from(key);
  if (seed === null || seed.length !== 32)
    throw new TypeError('newPrivateKey must be 32 bytes (64 hex digits)');
  return seed;
}

interface PreparedKeyAddition {
  statement: string;
  statementHash: string;
  currentKeySignatureRequired: boolean;
}

/** The prepared statement, once checked to state exactly the addition asked for. */
function checkedPrepared(
  value: unknown,
  expected: { partyId: string; publicKey: string | null },
): PreparedKeyAddition {
  if (!isRecord(value)) throw new TradeproofError('the response has no object at "preparePartyKeyAddition"');
  const failure = domainErrorOf('prepare', value);
  if (failure !== null) throw failure;
  const { statement, statementHash, currentKeySignatureRequired } = value;
  if (typeof statement !== 'string' || typeof statementHash !== 'string') {
    throw new TradeproofError('the prepare result is neither a PreparedKeyAddition nor a DomainError');
  }
  const stated = parseKeyAdditionStatement(statement);
  if (stated?.partyId !== expected.partyId || stated.publicKey !== expected.publicKey) {
    throw new TradeproofError(`the prepared statement does not add the key asked for: ${statement}`);
  }
  if (toHex(sha256(statement)) !== statementHash.toLowerCase()) {
    throw new TradeproofError(`the server's statementHash ${statementHash} is not SHA-256 of its statement`);
  }
  return { statement, statementHash, currentKeySignatureRequired: currentKeySignatureRequired === true };
}

/**
 * Adds a key to `options.partyId` through `client`, signing with `currentKey` when the active key is
 * self-held. Throws TradeproofDomainError for a DomainError at either step (key_recovery_required when
 * only an administrator recovery can help), TradeproofError when the statement is not what was asked.
 */
export async function addPartyKeyWith(
  client: TradeproofClient,
  currentKey: Buffer | null,
  options: AddPartyKeyOptions,
): Promise<AddedPartyKey> {
  if ((options.newPrivateKey === undefined) !== (options.custodial === true)) {
    throw new TypeError('give newPrivateKey or custodial: true, not both');
  }
  const newKey = options.newPrivateKey === undefined ? null : seedOf(options.newPrivateKey);
  const publicKey = newKey && toHex(publicKeyFromPrivate(newKey));
  const choice = { partyId: options.partyId, publicKey, custodial: newKey === null };
  const data = await client.request<{ preparePartyKeyAddition: unknown }>(
    preparePartyKeyAdditionMutation,
    choice,
    options.signal,
  );
  const prepared = checkedPrepared(data.preparePartyKeyAddition, choice);
  if (prepared.currentKeySignatureRequired && currentKey === null) {
    throw new TradeproofError(
      'the active key is self-held: give the client that key to sign for its replacement',
    );
  }
  const hash = sha256(prepared.statement);
  const added = await client.request<{ addPartyKey: unknown }>(
    addPartyKeyMutation,
    {
      ...choice,
      proofOfPossession: newKey && toHex(sign(newKey, hash)),
      currentKeySignature:
        prepared.currentKeySignatureRequired && currentKey ? toHex(sign(currentKey, hash)) : null,
      idempotencyKey: options.idempotencyKey,
    },
    options.signal,
  );
  const result = added.addPartyKey;
  if (!isRecord(result)) throw new TradeproofError('the response has no object at "addPartyKey"');
  const failure = domainErrorOf('submit', result);
  if (failure !== null) throw failure;
  if (result.__typename !== 'PartyKeyPayload' || !isRecord(result.key)) {
    throw new TradeproofError('the addPartyKey result is neither a PartyKeyPayload nor a DomainError');
  }
  return { key: result.key as AddedPartyKey['key'], replayed: result.replayed === true };
}
