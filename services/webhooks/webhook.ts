/**
 * Party webhooks: a party registers a URL and receives signed, retried notices of what concerns it.
 * Types and limits only. The notices are written to an outbox (webhook_delivery) in the transaction
 * of the fact they report and sent after commit by the dispatcher, at least once.
 */
import {
  type WebhookDeliveryStatus,
  type WebhookEventType,
  webhookDeliveryStatuses,
  webhookEventTypes,
} from '../../schema/database.js';

export { type WebhookDeliveryStatus, type WebhookEventType, webhookDeliveryStatuses, webhookEventTypes };

/** Live webhooks a party may have at once. */
export const webhooksPerPartyMax = 10;
export const webhookUrlLengthMax = 2048;
/** RECEIVABLE_DUE_SOON fires this many days before the due date unless the webhook says otherwise. */
export const dueInDaysDefault = 7;
export const dueInDaysMax = 365;

export interface Webhook {
  id: string;
  partyId: string;
  url: string;
  eventTypes: WebhookEventType[];
  /** Days before the due date at which RECEIVABLE_DUE_SOON fires; null without that event type. */
  dueInDays: number | null;
  createdAt: Date;
  removedAt: Date | null;
}

export interface WebhookDelivery {
  /** The idempotency id: the same on every attempt, sent as Tradeproof-Delivery and as the body's id. */
  id: string;
  webhookId: string;
  partyId: string;
  eventType: WebhookEventType;
  /** The exact JSON body sent on every attempt. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/**
 * Something a party should hear about. Facts return their notices (FactSpec.notify) and the pipeline
 * enqueues them in the fact's own transaction; the due-date scan makes the time-based ones.
 */
export interface Notice {
  partyId: string;
  type: WebhookEventType;
  /**
   * What the notice is about, unique per party and type (an event id, an event and a receivable, a
   * receivable and a side): a notice already enqueued under the same key is not enqueued again.
   */
  key: string;
  /** When it happened: the fact's occurredAt, or the scan's time for the time-based ones. */
  occurredAt: Date;
  /** Only what the party may read through the API (docs/design.md, "One visibility rule"). */
  data: Record<string, unknown>;
}

/**
 * What a fact notice needs of the appended event. Spelled here rather than imported from events,
 * which writes the outbox (events/fact-write.ts) and so sits above webhooks.
 */
export interface NoticedEvent {
  id: string;
  kind: string;
  occurredAt: Date;
  eventHash: Buffer;
}

/**
 * A notice of an appended fact: dated when the fact occurred, keyed by the event (and `subject`
 * when one event concerns a party more than once), naming the event so the receiver can read it
 * and its proof through the API.
 */
export function factNotice(
  event: NoticedEvent,
  notice: { partyId: string; type: WebhookEventType; subject?: string; data: Record<string, unknown> },
): Notice {
  return {
    partyId: notice.partyId,
    type: notice.type,
    key: notice.subject === undefined ? event.id : `${event.id}/${notice.subject}`,
    occurredAt: event.occurredAt,
    data: {
      ...notice.data,
      eventId: event.id,
      eventKind: event.kind,
      eventHash: event.eventHash.toString('hex'),
    },
  };
}

/** The name a type has on the API and in the payload: INVOICE_AWAITING_CONFIRMATION. */
export function apiEventType(type: WebhookEventType): string {
  return type.toUpperCase();
}

/** The JSON body of a delivery; the same bytes on every attempt. */
export function deliveryBody(deliveryId: string, notice: Notice): string {
  return JSON.stringify({
    id: deliveryId,
    type: apiEventType(notice.type),
    occurredAt: notice.occurredAt.toISOString(),
    data: notice.data,
  });
}
