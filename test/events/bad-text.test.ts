/**
 * Bad text through the services: every class of refused character (test/support/bad-text.ts) in a
 * representative field of each kind of input is invalid_input naming that field, and nothing is
 * written: not the ledger, not a prepared statement. Before the text rule, NUL reached PostgreSQL
 * (TEXT and JSONB refuse it) and a lone surrogate reached canonical JSON: both were masked 500s.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../services/crypto/index.js';
import type { Envelope } from '../../services/events/envelope.js';
import { prepareFact, submitFact } from '../../services/events/fact.service.js';
import { createApiKey } from '../../services/registry/api-key.service.js';
import { registerParty } from '../../services/registry/party.service.js';
import type { Result } from '../../services/result.js';
import { purchaseOrderKind } from '../../services/trade/index.js';
import { badCharacters } from '../support/bad-text.js';
import { freshKey, freshUscc } from '../support/fixtures.js';
import { type TestLedger, type TestParty, useTestLedger } from '../support/ledger.js';
import { purchaseOrderPayload } from '../trade/trade-fixtures.js';

const t = useTestLedger();
let buyer: TestParty;
let seller: TestParty;

beforeAll(async () => {
  buyer = await t.newParty(['core_enterprise'], { custodial: true });
  seller = await t.newParty(['supplier'], { custodial: true });
});

/** The ledger and every prepared statement: equal before and after proves nothing was written. */
async function everything(ledger: TestLedger): Promise<string> {
  const prepared = await ledger.owner.db
    .selectFrom('prepared_statement')
    .selectAll()
    .orderBy(sql`1, 2`)
    .execute();
  return `${await ledger.snapshot()}\n${JSON.stringify(prepared)}`;
}

function order(fields: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  const payload = purchaseOrderPayload(
    buyer,
    seller,
    [{ itemCode: 'STEEL-1', quantity: '10', unitPrice: '4200' }],
    fields,
  );
  const [first] = payload.lines as Array<Record<string, unknown>>;
  return { ...payload, lines: [{ ...first, ...line }] };
}

/**
 * A canonical statement for `envelope` with `text` in place of the string "\u2063" (a placeholder),
 * escaped as JSON escapes it: canonicalJson itself refuses a lone surrogate, a client need not.
 */
function statementWith(envelope: Envelope, text: string): string {
  return canonicalJson(envelope).replace('\u2063', JSON.stringify(text).slice(1, -1));
}

async function preparedEnvelope(): Promise<Envelope> {
  const prepared = await prepareFact(t.ledger, seller.actor, purchaseOrderKind, order(), freshKey('po'));
  if (!prepared.ok) throw new Error(`${prepared.code}: ${prepared.message}`);
  return prepared.value.envelope;
}

const fields: Array<[field: string, attempt: (bad: (text: string) => string) => Promise<Result<unknown>>]> = [
  [
    'legalName',
    (bad) =>
      registerParty(t.ledger, t.admin, {
        legalName: bad('Widget Co'),
        registrationId: freshUscc(),
        roles: ['supplier'],
        parentPartyId: null,
        publicKey: null,
        custodialKey: true,
        proofOfPossession: null,
        idempotencyKey: freshKey(),
      }),
  ],
  [
    'label',
    (bad) =>
      createApiKey(t.ledger, t.admin, {
        partyId: seller.party.id,
        label: bad('ci'),
        idempotencyKey: freshKey(),
      }),
  ],
  [
    'idempotencyKey',
    (bad) =>
      createApiKey(t.ledger, t.admin, {
        partyId: seller.party.id,
        label: 'ci',
        idempotencyKey: bad(freshKey()),
      }),
  ],
  [
    'orderNumber',
    (bad) =>
      prepareFact(t.ledger, seller.actor, purchaseOrderKind, order({ orderNumber: bad('PO-1') }), freshKey()),
  ],
  [
    'lines.0.itemCode',
    (bad) =>
      prepareFact(
        t.ledger,
        seller.actor,
        purchaseOrderKind,
        order({}, { itemCode: bad('STEEL') }),
        freshKey(),
      ),
  ],
  [
    'lines.0.description',
    (bad) =>
      prepareFact(
        t.ledger,
        seller.actor,
        purchaseOrderKind,
        order({}, { description: bad('Coil') }),
        freshKey(),
      ),
  ],
  [
    'lines.0.unit',
    (bad) =>
      prepareFact(t.ledger, seller.actor, purchaseOrderKind, order({}, { unit: bad('t') }), freshKey()),
  ],
  [
    'idempotencyKey',
    (bad) => prepareFact(t.ledger, seller.actor, purchaseOrderKind, order(), bad(freshKey())),
  ],
];

/** The same, in a statement the client builds and submits itself. */
const submitted: Array<[field: string, place: (envelope: Envelope) => Envelope]> = [
  ['idempotencyKey', (envelope) => ({ ...envelope, idempotencyKey: '\u2063' })],
  ['orderNumber', (envelope) => ({ ...envelope, payload: { ...envelope.payload, orderNumber: '\u2063' } })],
];

const rows = badCharacters.flatMap(([name, character]) =>
  fields.map(([field, attempt]) => [name, field, character, attempt] as const),
);

describe('bad text in a service input', () => {
  it.each(rows)(
    '%s in %s is invalid_input naming it, and writes nothing',
    async (_name, field, character, attempt) => {
      const before = await everything(t);
      const result = await attempt((text) => `${text.slice(0, 2)}${character}${text.slice(2)}`);
      expect(result).toMatchObject({ ok: false, code: 'invalid_input', field });
      expect(await everything(t)).toBe(before);
    },
  );
});

describe('bad text in a submitted statement', () => {
  it.each(
    badCharacters.flatMap(([name, character]) =>
      submitted.map(([field, place]) => [name, field, character, place] as const),
    ),
  )('%s in %s is invalid_input naming it, and writes nothing', async (_name, field, character, place) => {
    const statement = statementWith(place(await preparedEnvelope()), `ab${character}c`);
    const before = await everything(t);
    expect(await submitFact(t.ledger, seller.actor, statement, null)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      field,
    });
    expect(await everything(t)).toBe(before);
  });

  it('holds a submitted key to the 128 characters prepare allows, not the 200 registry events use', async () => {
    const statement = canonicalJson({ ...(await preparedEnvelope()), idempotencyKey: 'k'.repeat(129) });
    expect(await submitFact(t.ledger, seller.actor, statement, null)).toMatchObject({
      ok: false,
      code: 'invalid_input',
      field: 'idempotencyKey',
    });
  });
});

describe('line breaks', () => {
  it('are allowed in a description, and kept as signed', async () => {
    const description = 'Cold-rolled coil\n\tgrade DC01\nin 10 t coils';
    const prepared = await prepareFact(
      t.ledger,
      seller.actor,
      purchaseOrderKind,
      order({}, { description }),
      freshKey(),
    );
    if (!prepared.ok) throw new Error(`${prepared.code}: ${prepared.message}`);
    const lines = prepared.value.envelope.payload.lines as Array<{ description: string }>;
    expect(lines[0]?.description).toBe(description);
    const recorded = await submitFact(t.ledger, seller.actor, prepared.value.statement, null);
    expect(recorded).toMatchObject({ ok: true, value: { replayed: false } });
  });

  it.each([
    ['a line feed', '\n'],
    ['a carriage return and line feed', '\r\n'],
  ])('are not allowed in an order number: %s', async (_name, lineBreak) => {
    const result = await prepareFact(
      t.ledger,
      seller.actor,
      purchaseOrderKind,
      order({ orderNumber: `PO-1${lineBreak}PO-2` }),
      freshKey(),
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid_input', field: 'orderNumber' });
  });

  it('are refused as CR even in a description: a line break is spelled \\n', async () => {
    const result = await prepareFact(
      t.ledger,
      seller.actor,
      purchaseOrderKind,
      order({}, { description: 'first\r\nsecond' }),
      freshKey(),
    );
    expect(result).toMatchObject({ ok: false, code: 'invalid_input', field: 'lines.0.description' });
  });
});
