/** Parties, their signing keys and API keys: types, queries and the registry mutations. */

import { z } from 'zod';
import { isUuid } from '../services/input-rules.js';
import { clientIdempotencyKeyLengthMax } from '../services/parties/input-checks.js';
import {
  type ApiKey,
  keyAuthorizations,
  type Party,
  type PartyKey,
  partyRoles,
} from '../services/parties/party.js';
import {
  countPartyDirectory,
  findApiKeysOfParty,
  findKeysOfParties,
  findParties,
  listPartyDirectory,
} from '../services/parties/party-directory.service.js';
import { createApiKey, revokeApiKey } from '../services/registry/api-key.service.js';
import { registerParty } from '../services/registry/party.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';
import { NodeRef } from './node.js';
import { countedConnection, jsonCursor, totalCountDescription } from './paging.js';

export const PartyRoleEnum = builder.enumType('PartyRole', { values: screamingValues(partyRoles) });
const RegistrationSchemeEnum = builder.enumType('RegistrationScheme', {
  values: screamingValues(['uscc', 'lei'] as const, {
    uscc: 'Chinese unified social credit code',
    lei: 'ISO 17442 LEI',
  }),
});
const KeyStatusEnum = builder.enumType('PartyKeyStatus', {
  values: screamingValues(['active', 'rotated', 'revoked'] as const),
});
const keyAuthorizationDescriptions = {
  registered: 'Registered with the party, by an administrator (a self-held key proved possession).',
  rotated_by_previous_key: 'The self-held key it replaced signed its addition.',
  api_key: "Added by API key: the party's previous key was custodial, or it had none. The platform's word.",
  administrator_recovery:
    "Installed by two administrators without the previous key's signature. Events it signs rest on the platform's word.",
} as const;
export const KeyAuthorizationEnum = builder.enumType('KeyAuthorization', {
  description: "How a signing key came to be the party's.",
  values: screamingValues(keyAuthorizations, keyAuthorizationDescriptions),
});

export const PartyKeyRef = builder.objectRef<PartyKey>('PartyKey').implement({
  description: 'An Ed25519 signing key. Events name the key that signed them, so rotated keys still verify.',
  fields: (t) => ({
    keyId: t.exposeString('keyId', { description: 'Lowercase hex SHA-256 of the raw public key.' }),
    publicKey: t.expose('publicKey', { type: 'HexBytes' }),
    status: t.field({ type: KeyStatusEnum, resolve: (key) => key.status }),
    custodial: t.exposeBoolean('custodial', { description: 'The platform holds the private key.' }),
    authorization: t.field({
      type: KeyAuthorizationEnum,
      description: 'How the key was authorized; events it signs carry the same mark.',
      resolve: (key) => key.authorization,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    retiredAt: t.expose('retiredAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    label: t.exposeString('label'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const PartyRef = builder.loadableObject('Party', {
  description: 'An organisation on the ledger.',
  load: (ids: string[], context) => findParties(context.ledger, ids),
  sort: (party: Party) => party.id,
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.exposeID('id'),
    legalName: t.exposeString('legalName'),
    registrationScheme: t.field({
      type: RegistrationSchemeEnum,
      resolve: (party) => party.registrationScheme,
    }),
    registrationId: t.exposeString('registrationId'),
    roles: t.field({ type: [PartyRoleEnum], resolve: (party) => party.roles }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    // One query for every party of a page, not one per party.
    keys: t.loadableList({
      type: PartyKeyRef,
      description: 'Every key the party has registered, oldest first.',
      load: async (partyIds: string[], context) => {
        const keys = await findKeysOfParties(context.ledger, partyIds);
        return partyIds.map((id) => keys.filter((key) => key.partyId === id));
      },
      resolve: (party) => party.id,
    }),
    apiKeys: t.field({
      type: [ApiKeyRef],
      nullable: true,
      description: "The party's API keys (never their secrets); null unless the caller manages the party.",
      resolve: (party, _args, context) => findApiKeysOfParty(context.ledger, context.actor, party.id),
    }),
  }),
});

builder.objectField(PartyRef, 'parent', (t) =>
  t.field({
    type: PartyRef,
    nullable: true,
    description: 'The parent company of its ownership group, when declared.',
    resolve: (party) => party.parentPartyId,
  }),
);

const partyCursor = jsonCursor<Party, string>(
  (party) => party.id,
  // Compared with a UUID column: anything else would fail in the database, not as a bad cursor.
  (position) => (isUuid(position) ? position : null),
);

builder.queryFields((t) => ({
  me: t.field({
    type: PartyRef,
    authScopes: { authenticated: true },
    description: 'The party the API key belongs to.',
    // Authentication read the party already (party rows never change): the loader need not again.
    resolve: (_root, _args, context) => {
      if (context.party) PartyRef.getDataloader(context).prime(context.party.id, context.party);
      return context.party?.id ?? '';
    },
  }),
  party: t.field({
    type: PartyRef,
    nullable: true,
    authScopes: { authenticated: true },
    args: { id: t.arg({ type: 'UUID', required: true }) },
    resolve: (_root, args) => args.id,
  }),
  parties: t.connection(
    {
      type: PartyRef,
      authScopes: { authenticated: true },
      description: 'The directory of parties, in id order.',
      resolve: (_root, args, context) =>
        countedConnection(
          args,
          partyCursor,
          (page) => listPartyDirectory(context.ledger, page),
          () => countPartyDirectory(context.ledger),
        ),
    },
    {
      name: 'PartyConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
      }),
    },
    { name: 'PartyEdge' },
  ),
}));

export const idempotencyKeyArg = {
  description: 'Client-chosen key (1-128 chars): a replay returns the first answer and writes nothing.',
  // Checked here too, so that an oversized key is refused before any database work.
  validate: z.string().min(1).max(clientIdempotencyKeyLengthMax),
};

const RegisterPartyInput = builder.inputType('RegisterPartyInput', {
  fields: (t) => ({
    legalName: t.string({ required: true }),
    registrationId: t.string({ required: true, description: 'USCC (18 chars) or LEI (20 chars).' }),
    roles: t.field({ type: [PartyRoleEnum], required: true }),
    parentPartyId: t.field({ type: 'UUID', required: false }),
    publicKey: t.field({ type: 'HexBytes', required: false, description: 'Ed25519 public key, 32 bytes.' }),
    proofOfPossession: t.field({
      type: 'HexBytes',
      required: false,
      description:
        'With publicKey: its Ed25519 signature of SHA-256 of {"kind":"party.registration","publicKey":…,"registrationId":…} (RFC 8785).',
    }),
    custodialKey: t.boolean({ required: false, description: 'Let the platform hold a key for the party.' }),
    idempotencyKey: t.string({ required: true, ...idempotencyKeyArg }),
  }),
});

const PartyPayload = builder.objectRef<{ party: string; replayed: boolean }>('PartyPayload').implement({
  fields: (t) => ({
    party: t.field({ type: PartyRef, resolve: (payload) => payload.party }),
    replayed: t.exposeBoolean('replayed'),
  }),
});
const ApiKeyPayload = builder
  .objectRef<{ apiKey: ApiKey; secret: string | null; replayed: boolean }>('ApiKeyPayload')
  .implement({
    fields: (t) => ({
      apiKey: t.expose('apiKey', { type: ApiKeyRef }),
      secret: t.exposeString('secret', {
        nullable: true,
        description: 'Shown once, on the request that created the key; null on a replay.',
      }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });
const RevokeApiKeyPayload = builder
  .objectRef<{ apiKey: ApiKey; replayed: boolean }>('RevokeApiKeyPayload')
  .implement({
    fields: (t) => ({
      apiKey: t.expose('apiKey', { type: ApiKeyRef }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

builder.mutationFields((t) => ({
  registerParty: t.field({
    type: PartyPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RegisterPartyResult'),
    args: { input: t.arg({ type: RegisterPartyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const outcome = unwrap(
        await registerParty(context.ledger, actorOf(context), {
          legalName: input.legalName,
          registrationId: input.registrationId,
          roles: input.roles,
          parentPartyId: input.parentPartyId ?? null,
          publicKey: input.publicKey ?? null,
          proofOfPossession: input.proofOfPossession ?? null,
          custodialKey: input.custodialKey ?? false,
          idempotencyKey: input.idempotencyKey,
        }),
      );
      return { party: outcome.party.id, replayed: outcome.replayed };
    },
  }),
  createApiKey: t.field({
    type: ApiKeyPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('CreateApiKeyResult'),
    description: "Creates an API key for the caller's party, or for any party as a platform administrator.",
    args: {
      partyId: t.arg({ type: 'UUID', required: false }),
      label: t.arg.string({ required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) => {
      const actor = actorOf(context);
      return unwrap(
        await createApiKey(context.ledger, actor, {
          partyId: args.partyId ?? actor.partyId,
          label: args.label,
          idempotencyKey: args.idempotencyKey,
        }),
      );
    },
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RevokeApiKeyResult'),
    args: {
      apiKeyId: t.arg({ type: 'UUID', required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await revokeApiKey(context.ledger, actorOf(context), args)),
  }),
}));
