/**
 * Relay global object identification. An object's `id` is its UUID, which is unique across every
 * kind that implements Node (services/objects), so the id a client already holds is the global id:
 * `node(id)` and `nodes(ids)` need no second, encoded form of it.
 */

import { z } from 'zod';
import { findFinancing } from '../services/financing/index.js';
import { isUuid } from '../services/input-rules.js';
import type { LedgerObject } from '../services/objects/object.service.js';
import { findVisibleObject } from '../services/objects/object.service.js';
import { pageSizeMax } from '../services/paging.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';

const typeNames: Record<LedgerObject['kind'], string> = {
  party: 'Party',
  trade_document: 'TradeDocument',
  receivable: 'Receivable',
  event: 'Event',
};

/** Each Node value carries its GraphQL type name in a symbol, set where node(id) found it. */
const nodeType = Symbol('nodeType');
type NodeValue = { id: string; [nodeType]?: string };

export const NodeRef = builder.interfaceRef<NodeValue>('Node').implement({
  description:
    'An object with an id that `node(id)` fetches again: Party, TradeDocument, Receivable, Event, Financing.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A UUID, unique across every kind of Node.' }),
  }),
  resolveType: (value) => value[nodeType] ?? null,
});

async function visibleNode(context: Parameters<typeof actorOf>[0], id: string): Promise<NodeValue | null> {
  // A malformed id names nothing: null, as for an id that is unknown or not visible.
  if (!isUuid(id)) return null;
  const found = await findVisibleObject(context.ledger, actorOf(context), id);
  if (found) return { ...found.value, [nodeType]: typeNames[found.kind] };
  // Financing sits above services/objects (which may not import it), so it is looked up here.
  const financing = await findFinancing(context.ledger, actorOf(context), id);
  return financing.ok ? { ...financing.value, [nodeType]: 'Financing' } : null;
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    authScopes: { authenticated: true },
    description: 'The object with this id, if the caller may see it; null otherwise.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => visibleNode(context, args.id),
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    authScopes: { authenticated: true },
    description: `Several objects by id (at most ${pageSizeMax}), in the order asked; null where not visible.`,
    args: {
      ids: t.arg.idList({ required: true, validate: z.array(z.string()).max(pageSizeMax) }),
    },
    resolve: (_root, args, context) => Promise.all(args.ids.map((id) => visibleNode(context, id))),
  }),
}));
