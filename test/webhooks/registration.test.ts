/**
 * Registering, listing and removing webhooks over GraphQL: a party acts for itself, every mutation is
 * idempotent, and each bad input gets its code and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { webhooksPerPartyMax } from '../../services/webhooks/webhook.js';
import { registerWebhook } from '../../services/webhooks/webhook.service.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const t = useTestLedger();
let supplier: TestParty;
let other: TestParty;

beforeAll(async () => {
  supplier = await t.newParty(['supplier'], { custodial: true });
  other = await t.newParty(['supplier'], { custodial: true });
});

const registerMutation = `mutation ($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) {
    ... on RegisterWebhookPayload { replayed secret webhook { id url events dueInDays createdAt removedAt } }
    ... on DomainError { code field message }
  }
}`;

const removeMutation = `mutation ($webhookId: UUID!, $idempotencyKey: String!) {
  removeWebhook(webhookId: $webhookId, idempotencyKey: $idempotencyKey) {
    ... on RemoveWebhookPayload { replayed webhook { id removedAt } }
    ... on DomainError { code field message }
  }
}`;

function input(fields: Record<string, unknown> = {}) {
  return {
    url: 'https://hooks.example.com/tradeproof',
    events: ['INVOICE_AWAITING_CONFIRMATION', 'RECEIVABLE_DUE_SOON'],
    idempotencyKey: freshKey('register'),
    ...fields,
  };
}

async function registered(party: TestParty, fields: Record<string, unknown> = {}) {
  const answer = await t.gql(registerMutation, { input: input(fields) }, party.apiKey);
  return answer.data?.registerWebhook;
}

describe('registerWebhook', () => {
  it('registers a webhook for the caller and shows its secret; a replay gives the first answer', async () => {
    const fields = input({ dueInDays: 14 });
    const first = (await t.gql(registerMutation, { input: fields }, supplier.apiKey)).data.registerWebhook;
    expect(first).toMatchObject({
      replayed: false,
      webhook: {
        url: 'https://hooks.example.com/tradeproof',
        events: ['INVOICE_AWAITING_CONFIRMATION', 'RECEIVABLE_DUE_SOON'],
        dueInDays: 14,
        removedAt: null,
      },
    });
    expect(first.secret).toMatch(/^whsec_/);
    const before = await t.snapshot();
    const replay = (await t.gql(registerMutation, { input: fields }, supplier.apiKey)).data.registerWebhook;
    expect(replay).toEqual({ ...first, replayed: true });
    expect(await t.snapshot()).toBe(before);
  });

  it('lists only the caller’s own live webhooks, never their secrets', async () => {
    const mine = await registered(other, { events: ['PAYMENT_ALLOCATED'] });
    const listed = await t.gql('{ webhooks { id events dueInDays } }', {}, other.apiKey);
    expect(listed.data.webhooks).toEqual([
      { id: mine.webhook.id, events: ['PAYMENT_ALLOCATED'], dueInDays: null },
    ]);
    const fields = await t.gql('{ __type(name: "Webhook") { fields { name } } }', {}, other.apiKey);
    expect(fields.data.__type.fields.map((field: { name: string }) => field.name)).not.toContain('secret');
  });

  it('gives RECEIVABLE_DUE_SOON seven days unless told otherwise', async () => {
    expect((await registered(supplier, { events: ['RECEIVABLE_DUE_SOON'] })).webhook.dueInDays).toBe(7);
  });

  it.each([
    ['ftp://hooks.example.com/x', 'WEBHOOK_URL_INVALID', 'url'],
    ['https://user:secret@hooks.example.com/x', 'WEBHOOK_URL_INVALID', 'url'],
    ['not a url', 'WEBHOOK_URL_INVALID', 'url'],
    ['https://hooks.example.com/\u202Ex', 'WEBHOOK_URL_INVALID', 'url'],
  ])('refuses the url %j with %s, writing nothing', async (url, code, field) => {
    const before = await t.snapshot();
    expect(await registered(supplier, { url })).toMatchObject({ code, field });
    expect(await t.snapshot()).toBe(before);
  });

  it.each([
    ['no event type', { events: [] }, 'events'],
    ['an event type twice', { events: ['PAYMENT_ALLOCATED', 'PAYMENT_ALLOCATED'] }, 'events'],
    ['dueInDays without RECEIVABLE_DUE_SOON', { events: ['PAYMENT_ALLOCATED'], dueInDays: 3 }, 'dueInDays'],
    ['dueInDays 0', { events: ['RECEIVABLE_DUE_SOON'], dueInDays: 0 }, 'dueInDays'],
    ['dueInDays 366', { events: ['RECEIVABLE_DUE_SOON'], dueInDays: 366 }, 'dueInDays'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey'],
  ])('refuses %s as invalid_input, writing nothing', async (_name, fields, field) => {
    const before = await t.snapshot();
    expect(await registered(supplier, fields)).toMatchObject({ code: 'INVALID_INPUT', field });
    expect(await t.snapshot()).toBe(before);
  });

  it('refuses an unknown event type at the schema', async () => {
    const answer = await t.gql(
      registerMutation,
      { input: input({ events: ['EVERYTHING'] }) },
      supplier.apiKey,
    );
    expect(answer.errors?.[0]?.message).toMatch(/EVERYTHING/);
  });

  it('refuses the same idempotency key for another request', async () => {
    const idempotencyKey = freshKey('register');
    await registered(supplier, { idempotencyKey });
    const before = await t.snapshot();
    expect(await registered(supplier, { idempotencyKey, url: 'https://other.example.com/x' })).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await t.snapshot()).toBe(before);
  });

  it(`refuses a party's webhook beyond ${webhooksPerPartyMax}, until one is removed`, async () => {
    const party = await t.newParty(['lender'], { custodial: true });
    const ids: string[] = [];
    for (let index = 0; index < webhooksPerPartyMax; index++) ids.push((await registered(party)).webhook.id);
    const before = await t.snapshot();
    expect(await registered(party)).toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED' });
    expect(await t.snapshot()).toBe(before);
    await t.gql(removeMutation, { webhookId: ids[0], idempotencyKey: freshKey('remove') }, party.apiKey);
    expect((await registered(party)).webhook.id).toBeDefined();
  });

  it('refuses private addresses where the operator does not allow them', async () => {
    const ledger = { ...t.ledger, policy: { ...t.ledger.policy, webhookPrivateAddressesAllowed: false } };
    const refused = await registerWebhook(ledger, supplier.actor, {
      idempotencyKey: freshKey('register'),
      url: 'http://127.0.0.1:8080/hooks',
      eventTypes: ['payment_allocated'],
    });
    expect(refused).toMatchObject({ ok: false, code: 'webhook_url_invalid', field: 'url' });
  });

  it('needs the custody key that seals the secret', async () => {
    const ledger = { ...t.ledger, custody: { key: null } };
    const refused = await registerWebhook(ledger, supplier.actor, {
      idempotencyKey: freshKey('register'),
      url: 'https://hooks.example.com/x',
      eventTypes: ['payment_allocated'],
    });
    expect(refused).toMatchObject({ ok: false, code: 'custody_unavailable' });
  });

  it('needs an API key', async () => {
    const answer = await t.gql(registerMutation, { input: input() }, null);
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('removeWebhook', () => {
  it('removes the caller’s webhook; a replay answers the same; it leaves the list', async () => {
    const hook = (await registered(other)).webhook;
    const idempotencyKey = freshKey('remove');
    const removed = (await t.gql(removeMutation, { webhookId: hook.id, idempotencyKey }, other.apiKey)).data
      .removeWebhook;
    expect(removed).toMatchObject({ replayed: false, webhook: { id: hook.id } });
    expect(removed.webhook.removedAt).not.toBeNull();
    const replay = (await t.gql(removeMutation, { webhookId: hook.id, idempotencyKey }, other.apiKey)).data
      .removeWebhook;
    expect(replay).toEqual({ ...removed, replayed: true });
    const listed = await t.gql('{ webhooks { id } }', {}, other.apiKey);
    expect(listed.data.webhooks.map((each: { id: string }) => each.id)).not.toContain(hook.id);
  });

  it('reports another party’s webhook, an unknown one and a removed one as webhook_not_found', async () => {
    const hook = (await registered(supplier)).webhook;
    for (const [webhookId, apiKey] of [
      [hook.id, other.apiKey],
      [randomUUID(), supplier.apiKey],
    ] as const) {
      const before = await t.snapshot();
      const answer = await t.gql(removeMutation, { webhookId, idempotencyKey: freshKey('remove') }, apiKey);
      expect(answer.data.removeWebhook).toMatchObject({ code: 'WEBHOOK_NOT_FOUND', field: 'webhookId' });
      expect(await t.snapshot()).toBe(before);
    }
    await t.gql(removeMutation, { webhookId: hook.id, idempotencyKey: freshKey('remove') }, supplier.apiKey);
    const again = await t.gql(
      removeMutation,
      { webhookId: hook.id, idempotencyKey: freshKey('remove') },
      supplier.apiKey,
    );
    expect(again.data.removeWebhook).toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
  });
});
