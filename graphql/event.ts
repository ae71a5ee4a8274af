import type { LedgerEvent } from '../services/events/event.js';
import type { EventCursor } from '../services/events/event.repository.js';
import { countVisibleEvents, listVisibleEvents } from '../services/events/event-query.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { NodeRef } from './node.js';
import { countedConnection, instantIdCursor, totalCountDescription } from './paging.js';
import { PartyRef } from './party.js';

export const EventRef = builder.objectRef<LedgerEvent>('Event').implement({
  description: 'A signed statement. statement is the exact canonical JSON that was hashed and signed.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    actor: t.field({ type: PartyRef, resolve: (event) => event.actorPartyId }),
    counterparty: t.field({ type: PartyRef, nullable: true, resolve: (event) => event.counterpartyPartyId }),
    keyId: t.exposeString('keyId', { description: 'The key that signed it (see Party.keys).' }),
    custodial: t.exposeBoolean('custodial', { description: 'Signed by the platform with a key it holds.' }),
    statement: t.string({ resolve: (event) => event.statement.toString('utf8') }),
    eventHash: t.expose('eventHash', { type: 'HexBytes', description: 'SHA-256 of statement.' }),
    signature: t.expose('signature', { type: 'HexBytes', description: 'Ed25519 over eventHash.' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
  }),
});

const eventCursor = instantIdCursor<LedgerEvent, EventCursor>(
  (event) => [event.recordedAt, event.id],
  (recordedAt, id) => ({ recordedAt, id }),
);

builder.queryField('events', (t) =>
  t.connection(
    {
      type: EventRef,
      authScopes: { authenticated: true },
      description: 'Events the caller is actor or counterparty of (all events for auditors), oldest first.',
      resolve: (_root, args, context) =>
        countedConnection(
          args,
          eventCursor,
          (page) => listVisibleEvents(context.ledger, actorOf(context), page),
          () => countVisibleEvents(context.ledger, actorOf(context)),
        ),
    },
    {
      name: 'EventConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
      }),
    },
    { name: 'EventEdge' },
  ),
);
