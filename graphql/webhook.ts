import type { DeliveryCursor } from '../services/webhooks/outbox.repository.js';
import {
  dueInDaysDefault,
  dueInDaysMax,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  webhookEventTypes,
  webhooksPerPartyMax,
} from '../services/webhooks/webhook.js';
import {
  countWebhookDeliveriesOf,
  redeliverWebhook,
  registerWebhook,
  removeWebhook,
  webhookDeliveriesOf,
  webhooksOf,
} from '../services/webhooks/webhook.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { countedConnection, instantIdCursor, totalCountDescription } from './paging.js';
import { idempotencyKeyArg } from './party.js';

const eventTypeDescriptions: Record<(typeof webhookEventTypes)[number], string> = {
  invoice_awaiting_confirmation: 'An invoice was issued to you as its buyer: it awaits your confirmation.',
  receivable_received:
    'You hold a receivable: an invoice of yours was confirmed (via CONFIRMATION) or a part was passed to you (via TRANSFER).',
  payment_allocated: "The obligor's payment was allocated to a receivable you hold: your share.",
  receivable_due_soon:
    "A receivable you hold (or an invoice you owe) falls due within the webhook's dueInDays; once per receivable.",
  receivable_overdue:
    'A receivable you hold (or an invoice you owe) is overdue (due date plus OVERDUE_GRACE_DAYS passed); once per receivable.',
  financing_alert:
    'The invoice behind a financing you disbursed was cancelled, credited, put on hold or declared in default: the alert is in `alerts`.',
};

const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description: 'What a webhook is told of. The payload names it in its `type`.',
  values: Object.fromEntries(
    webhookEventTypes.map((value) => [
      value.toUpperCase(),
      { value, description: eventTypeDescriptions[value] },
    ]),
  ),
});

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Not delivered yet: due at nextAttemptAt.' },
    DELIVERED: { value: 'delivered', description: 'The receiver answered 2xx.' },
    DEAD: {
      value: 'dead',
      description: 'Every attempt failed: the dead-letter view. redeliverWebhook sends it again.',
    },
  } as const satisfies Record<
    Uppercase<WebhookDeliveryStatus>,
    { value: WebhookDeliveryStatus; description: string }
  >,
});

const WebhookRef = builder.objectRef<Webhook>('Webhook').implement({
  description: "A receiver of the party's notices. Its secret is shown only by registerWebhook.",
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    url: t.exposeString('url', { description: 'Where deliveries are POSTed, in normal form.' }),
    events: t.field({ type: [WebhookEventTypeEnum], resolve: (webhook) => webhook.eventTypes }),
    dueInDays: t.int({
      nullable: true,
      description: 'Days before the due date at which RECEIVABLE_DUE_SOON fires; null without it.',
      resolve: (webhook) => webhook.dueInDays,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true }),
  }),
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One notice to one webhook, from the outbox. Its id is the Tradeproof-Delivery header.',
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID', description: 'The idempotency id: the same on every attempt.' }),
    webhookId: t.expose('webhookId', { type: 'UUID' }),
    type: t.field({ type: WebhookEventTypeEnum, resolve: (delivery) => delivery.eventType }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (delivery) => delivery.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made (counted afresh after a redelivery).' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next, while PENDING.',
      resolve: (delivery) => (delivery.status === 'pending' ? delivery.nextAttemptAt : null),
    }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.int({
      nullable: true,
      description: "The receiver's HTTP status on the last attempt; null when none came.",
      resolve: (delivery) => delivery.lastStatusCode,
    }),
    lastError: t.string({
      nullable: true,
      description: 'Why the last attempt failed.',
      resolve: (delivery) => delivery.lastError,
    }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    body: t.exposeString('body', { description: 'The exact JSON POSTed on every attempt.' }),
  }),
});

const RegisterWebhookInput = builder.inputType('RegisterWebhookInput', {
  fields: (t) => ({
    url: t.string({
      required: true,
      description: 'An absolute https:// (or http://) URL without credentials; redirects are not followed.',
    }),
    events: t.field({ type: [WebhookEventTypeEnum], required: true }),
    dueInDays: t.int({
      required: false,
      description: `With RECEIVABLE_DUE_SOON: days before the due date (1-${dueInDaysMax}, default ${dueInDaysDefault}).`,
    }),
    idempotencyKey: t.string({ required: true, ...idempotencyKeyArg }),
  }),
});

const RegisterWebhookPayload = builder
  .objectRef<{ webhook: Webhook; secret: string; replayed: boolean }>('RegisterWebhookPayload')
  .implement({
    fields: (t) => ({
      webhook: t.expose('webhook', { type: WebhookRef }),
      secret: t.exposeString('secret', {
        description:
          'The HMAC-SHA256 key of Tradeproof-Signature. Shown by this mutation (and its replays) only: keep it.',
      }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const RemoveWebhookPayload = builder
  .objectRef<{ webhook: Webhook; replayed: boolean }>('RemoveWebhookPayload')
  .implement({
    fields: (t) => ({
      webhook: t.expose('webhook', { type: WebhookRef }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const RedeliverWebhookPayload = builder
  .objectRef<{ delivery: WebhookDelivery; replayed: boolean }>('RedeliverWebhookPayload')
  .implement({
    fields: (t) => ({
      delivery: t.expose('delivery', { type: WebhookDeliveryRef }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

builder.mutationFields((t) => ({
  registerWebhook: t.field({
    type: RegisterWebhookPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RegisterWebhookResult'),
    description: `Registers a webhook for the caller's party (at most ${webhooksPerPartyMax} at once) and returns its signing secret.`,
    args: { input: t.arg({ type: RegisterWebhookInput, required: true }) },
    resolve: async (_root, { input }, context) =>
      unwrap(
        await registerWebhook(context.ledger, actorOf(context), {
          idempotencyKey: input.idempotencyKey,
          url: input.url,
          eventTypes: input.events,
          dueInDays: input.dueInDays ?? null,
        }),
      ),
  }),
  removeWebhook: t.field({
    type: RemoveWebhookPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RemoveWebhookResult'),
    description: 'Removes a webhook of the caller: nothing more is sent to it.',
    args: {
      webhookId: t.arg({ type: 'UUID', required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await removeWebhook(context.ledger, actorOf(context), args)),
  }),
  redeliverWebhook: t.field({
    type: RedeliverWebhookPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RedeliverWebhookResult'),
    description:
      'Queues a DEAD delivery again, due now, with the same id and body and a fresh round of attempts.',
    args: {
      deliveryId: t.arg({ type: 'UUID', required: true }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await redeliverWebhook(context.ledger, actorOf(context), args)),
  }),
}));

const deliveryCursor = instantIdCursor<WebhookDelivery, DeliveryCursor>(
  (delivery) => [delivery.createdAt, delivery.id],
  (createdAt, id) => ({ createdAt, id }),
);

builder.queryFields((t) => ({
  webhooks: t.field({
    type: [WebhookRef],
    authScopes: { authenticated: true },
    description: "The caller's live webhooks, oldest first.",
    resolve: (_root, _args, context) => webhooksOf(context.ledger, actorOf(context)),
  }),
  webhookDeliveries: t.connection(
    {
      type: WebhookDeliveryRef,
      authScopes: { authenticated: true },
      description: "The caller's webhook deliveries, oldest first; status: DEAD is the dead-letter view.",
      args: {
        status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }),
        webhookId: t.arg({ type: 'UUID', required: false }),
      },
      resolve: async (_root, args, context) => {
        const actor = actorOf(context);
        const filter = { status: args.status ?? null, webhookId: args.webhookId ?? null };
        return countedConnection(
          args,
          deliveryCursor,
          (page) => webhookDeliveriesOf(context.ledger, actor, filter, page),
          () => countWebhookDeliveriesOf(context.ledger, actor, filter),
        );
      },
    },
    {
      name: 'WebhookDeliveryConnection',
      fields: (t) => ({
        totalCount: t.int({ description: totalCountDescription, resolve: (c) => c.totalCount() }),
      }),
    },
    { name: 'WebhookDeliveryEdge' },
  ),
}));
