/**
 * Signing from GraphiQL or from code: each `prepare…` mutation returns a PreparedStatement (the exact
 * canonical JSON and its SHA-256); the party signs eventHash with its Ed25519 key and sends both to
 * submitStatement. Without a signature the platform signs with the party's custodial key.
 */

import type { InputObjectRef } from '@pothos/core';
import type { AppendedEvent } from '../services/events/event.js';
import { type PreparedFact, prepareFact, submitFact } from '../services/events/fact.service.js';
import { stableId } from '../services/events/stable-id.js';
import { builder } from './builder.js';
import { actorOf, type Context } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { EventRef } from './event.js';

export const PreparedStatementRef = builder.objectRef<PreparedFact>('PreparedStatement').implement({
  description: 'A statement to sign: Ed25519 over the 32 bytes of eventHash, then submitStatement.',
  fields: (t) => ({
    kind: t.string({ resolve: (prepared) => prepared.envelope.kind }),
    statement: t.exposeString('statement', { description: 'RFC 8785 canonical JSON; submit it unchanged.' }),
    eventHash: t.exposeString('eventHash', { description: 'SHA-256 of statement, hex: what to sign.' }),
  }),
});

export const SubmittedStatementRef = builder.objectRef<AppendedEvent>('SubmittedStatement').implement({
  fields: (t) => ({
    event: t.field({ type: EventRef, resolve: (appended) => appended.event }),
    replayed: t.exposeBoolean('replayed', {
      description: 'True when this was a replay: nothing was written.',
    }),
  }),
});

/**
 * The payload of a prepare… input: its fields without the idempotency key and without nulls, with
 * every id in `generatedIds` the client left out derived from the idempotency key (stableId), so
 * preparing the same request twice yields the same statement.
 */
export function factPayload(
  context: Context,
  kind: string,
  input: { idempotencyKey: string } & Record<string, unknown>,
  generatedIds: readonly string[],
): Record<string, unknown> {
  const { idempotencyKey, ...fields } = input;
  const payload = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== null && value !== undefined),
  );
  for (const field of generatedIds) {
    payload[field] ??= stableId(actorOf(context).partyId, idempotencyKey, `${kind}:${field}`);
  }
  return payload;
}

/** Resolver body shared by every prepare… mutation. */
export async function prepareFor(
  context: Context,
  kind: string,
  payload: Record<string, unknown>,
  idempotencyKey: string,
): Promise<PreparedFact> {
  return unwrap(await prepareFact(context.ledger, actorOf(context), kind, payload, idempotencyKey));
}

/**
 * A prepare… mutation for one fact kind: `Input` carries the payload's fields and the idempotency
 * key; `generatedIds` are the ids the server derives when the client leaves them out.
 */
export function prepareMutation(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: every prepare… input type, whatever its fields
  Input: InputObjectRef<any, { idempotencyKey: string } & Record<string, unknown>>,
  kind: string,
  generatedIds: readonly string[],
  description?: string,
): void {
  builder.mutationField(name, (t) =>
    t.field({
      type: PreparedStatementRef,
      authScopes: { authenticated: true },
      errors: domainErrors(`${name[0]?.toUpperCase()}${name.slice(1)}Result`),
      ...(description === undefined ? {} : { description }),
      args: { input: t.arg({ type: Input, required: true }) },
      resolve: (_root, { input }, context) =>
        prepareFor(context, kind, factPayload(context, kind, input, generatedIds), input.idempotencyKey),
    }),
  );
}

builder.mutationField('submitStatement', (t) =>
  t.field({
    type: SubmittedStatementRef,
    authScopes: { authenticated: true },
    errors: domainErrors('SubmitStatementResult'),
    description: 'Appends a prepared statement with its signature (omit it to sign with the custodial key).',
    args: {
      statement: t.arg.string({ required: true }),
      signature: t.arg({ type: 'HexBytes', required: false }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await submitFact(context.ledger, actorOf(context), args.statement, args.signature ?? null)),
  }),
);
