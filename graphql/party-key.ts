/**
 * Signing-key mutations: preparing and adding a key (signed by the current self-held key, with proof
 * of possession of the new one), revoking one, and the two-administrator recovery.
 */
import type { LedgerEvent } from '../services/events/event.js';
import type { PartyKey } from '../services/parties/party.js';
import {
  approveKeyRecovery,
  type KeyRecoveryRequest,
  requestKeyRecovery,
} from '../services/registry/key-recovery.service.js';
import {
  addPartyKey,
  keyAuthorizationsOf,
  type PreparedKeyAddition,
  preparePartyKeyAddition,
  revokePartyKey,
} from '../services/registry/party-key.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { EventRef } from './event.js';
import { idempotencyKeyArg, KeyAuthorizationEnum, PartyKeyRef, PartyRef } from './party.js';

// One query for every event of a page, not one per event.
builder.objectField(EventRef, 'keyAuthorization', (t) =>
  t.loadable({
    type: KeyAuthorizationEnum,
    description:
      "How the signing key was authorized. ADMINISTRATOR_RECOVERY and API_KEY rest on the platform's word.",
    load: async (keyIds: string[], context) => {
      const found = await keyAuthorizationsOf(context.ledger, keyIds);
      return keyIds.map((keyId) => found.get(keyId) ?? new Error(`no key ${keyId}`));
    },
    resolve: (event: LedgerEvent) => event.keyId,
  }),
);

const PartyKeyPayload = builder.objectRef<{ key: PartyKey; replayed: boolean }>('PartyKeyPayload').implement({
  fields: (t) => ({ key: t.expose('key', { type: PartyKeyRef }), replayed: t.exposeBoolean('replayed') }),
});

const PreparedKeyAdditionRef = builder.objectRef<PreparedKeyAddition>('PreparedKeyAddition').implement({
  description:
    'The key addition statement: the current self-held key and the new self-held key each sign statementHash.',
  fields: (t) => ({
    statement: t.exposeString('statement', { description: 'RFC 8785 canonical JSON, no salt, no time.' }),
    statementHash: t.expose('statementHash', { type: 'HexBytes', description: 'SHA-256 of statement.' }),
    previousKeyId: t.exposeString('previousKeyId', {
      nullable: true,
      description: "The party's latest key, whatever its status; null when it never had one.",
    }),
    currentKeySignatureRequired: t.exposeBoolean('currentKeySignatureRequired'),
    proofOfPossessionRequired: t.exposeBoolean('proofOfPossessionRequired'),
    recoveryRequired: t.exposeBoolean('recoveryRequired', {
      description: 'No key is active and the last was self-held: only requestKeyRecovery can add one.',
    }),
  }),
});

const KeyRecoveryRequestRef = builder.objectRef<KeyRecoveryRequest>('KeyRecoveryRequest').implement({
  description:
    "A request to install a key without the previous key's signature; a second administrator approves.",
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID', description: 'The id of its registry event: approve with it.' }),
    party: t.field({ type: PartyRef, resolve: (request) => request.partyId }),
    publicKey: t.expose('publicKey', { type: 'HexBytes', nullable: true }),
    custodial: t.exposeBoolean('custodial'),
    previousKeyId: t.exposeString('previousKeyId', { nullable: true }),
    statement: t.exposeString('statement'),
    reason: t.exposeString('reason'),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
  }),
});

const KeyRecoveryRequestPayload = builder
  .objectRef<{ request: KeyRecoveryRequest; replayed: boolean }>('KeyRecoveryRequestPayload')
  .implement({
    fields: (t) => ({
      request: t.expose('request', { type: KeyRecoveryRequestRef }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const keyChoiceArgs = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  partyId: t.arg({ type: 'UUID', required: true }),
  publicKey: t.arg({ type: 'HexBytes', required: false, description: 'The new self-held Ed25519 key.' }),
  custodial: t.arg.boolean({ required: false, description: 'Or let the platform generate and hold one.' }),
});

builder.mutationFields((t) => ({
  preparePartyKeyAddition: t.field({
    type: PreparedKeyAdditionRef,
    authScopes: { authenticated: true },
    errors: domainErrors('PreparePartyKeyAdditionResult'),
    description: 'The statement addPartyKey (or requestKeyRecovery) needs signed. Writes nothing.',
    args: keyChoiceArgs(t),
    resolve: async (_root, args, context) =>
      unwrap(
        await preparePartyKeyAddition(context.ledger, actorOf(context), {
          partyId: args.partyId,
          publicKey: args.publicKey ?? null,
          custodial: args.custodial ?? false,
        }),
      ),
  }),
  addPartyKey: t.field({
    type: PartyKeyPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('AddPartyKeyResult'),
    description:
      'Adds a key that becomes the active one; the previous active key becomes rotated. A self-held active key must sign it.',
    args: {
      ...keyChoiceArgs(t),
      proofOfPossession: t.arg({
        type: 'HexBytes',
        required: false,
        description: "With publicKey: the new key's Ed25519 signature of statementHash.",
      }),
      currentKeySignature: t.arg({
        type: 'HexBytes',
        required: false,
        description: "When the active key is self-held: that key's Ed25519 signature of statementHash.",
      }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(
        await addPartyKey(context.ledger, actorOf(context), {
          partyId: args.partyId,
          publicKey: args.publicKey ?? null,
          custodial: args.custodial ?? false,
          proofOfPossession: args.proofOfPossession ?? null,
          currentKeySignature: args.currentKeySignature ?? null,
          idempotencyKey: args.idempotencyKey,
        }),
      ),
  }),
  revokePartyKey: t.field({
    type: PartyKeyPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RevokePartyKeyResult'),
    args: {
      keyId: t.arg.string({ required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await revokePartyKey(context.ledger, actorOf(context), args)),
  }),
  requestKeyRecovery: t.field({
    type: KeyRecoveryRequestPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RequestKeyRecoveryResult'),
    description: 'Administrators: asks to install a key on a party that lost its own. Installs nothing yet.',
    args: {
      ...keyChoiceArgs(t),
      proofOfPossession: t.arg({ type: 'HexBytes', required: false }),
      reason: t.arg.string({ required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(
        await requestKeyRecovery(context.ledger, actorOf(context), {
          partyId: args.partyId,
          publicKey: args.publicKey ?? null,
          custodial: args.custodial ?? false,
          proofOfPossession: args.proofOfPossession ?? null,
          reason: args.reason,
          idempotencyKey: args.idempotencyKey,
        }),
      ),
  }),
  approveKeyRecovery: t.field({
    type: PartyKeyPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('ApproveKeyRecoveryResult'),
    description:
      'Administrators, with an API key other than the requesting one: installs the requested key, marked ADMINISTRATOR_RECOVERY.',
    args: {
      requestId: t.arg({ type: 'UUID', required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await approveKeyRecovery(context.ledger, actorOf(context), args)),
  }),
}));
