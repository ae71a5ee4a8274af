import { randomUUID } from 'node:crypto';
import { GraphQLScalarType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { printSortedSchema, schema } from '../../graphql/schema.js';
import { parsePositiveAmount } from '../../services/money/money.js';
import { confirm, issueInvoice, snapshotAll } from '../receivables/support.js';
import { freshKey } from '../support/fixtures.js';
import { type TestParty, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

describe('input validation', () => {
  it.each([
    ['empty', ''],
    ['129 characters', 'k'.repeat(129)],
  ])(
    'refuses an idempotency key that is %s as invalid_input before any database work',
    async (_label, key) => {
      const before = await ledger.snapshot();
      const answer = await ledger.gql(
        `mutation($key: String!) { createApiKey(label: "x", idempotencyKey: $key) {
        __typename ... on DomainError { code field } } }`,
        { key },
      );
      expect(answer.data.createApiKey).toEqual({
        __typename: 'DomainError',
        code: 'INVALID_INPUT',
        field: 'idempotencyKey',
      });
      expect(await ledger.snapshot()).toBe(before);
    },
  );
});

describe('the DateTime scalar', () => {
  const scalar = schema.getType('DateTime');

  it.each(['1899-12-31T23:59:59Z', '2201-01-01T00:00:00Z', '0000-01-01T00:00:00Z'])(
    'refuses an instant outside 1900 to 2200: %s',
    (instant) => {
      if (!(scalar instanceof GraphQLScalarType)) throw new Error('no DateTime scalar');
      expect(() => scalar.parseValue(instant)).toThrow(
        `"${instant}" is a date-time, but it must lie from 1900 to 2200`,
      );
    },
  );

  it('reads an instant inside the range', () => {
    if (!(scalar instanceof GraphQLScalarType)) throw new Error('no DateTime scalar');
    expect(scalar.parseValue('2200-12-31T23:59:59+00:00')).toEqual(new Date('2200-12-31T23:59:59Z'));
  });
});

/**
 * Scalars check the form of a value and refuse it as a GraphQL error; what a well-formed value means
 * for one input (positive, no more decimals than the currency has) is a DomainError. Each message
 * quotes the value and says exactly what is wrong with it.
 */
describe('a scalar refuses a value not of its form, quoting it', () => {
  const longDigits = '1'.repeat(50);
  it.each([
    ['Decimal', 'abc', '"abc" is not a decimal string such as "1250000.00"'],
    ['Decimal', '1,250.00', '"1,250.00" is not a decimal string such as "1250000.00"'],
    ['Decimal', '.5', '".5" is not a decimal string such as "1250000.00"'],
    [
      'Decimal',
      5,
      '5 is a number, not a decimal string such as "1250000.00": decimals travel as strings so that no digit is lost',
    ],
    ['Decimal', '012.50', '"012.50" has a leading zero: write "12.50"'],
    ['Decimal', '-00.5', '"-00.5" has a leading zero: write "-0.5"'],
    [
      'Decimal',
      longDigits,
      `"${'1'.repeat(40)}…" has 50 digits before the decimal point; a Decimal has at most 31`,
    ],
    [
      'Decimal',
      `0.${'1'.repeat(19)}`,
      `"0.${'1'.repeat(19)}" has 19 digits after the decimal point; a Decimal has at most 18`,
    ],
    ['CurrencyCode', 'cny', '"cny" is not an ISO 4217 currency code: write "CNY"'],
    ['CurrencyCode', 'XQQ', '"XQQ" is not an ISO 4217 currency code such as "CNY"'],
    ['CurrencyCode', 156, '156 is not an ISO 4217 currency code such as "CNY"'],
    [
      'UUID',
      '0B9C4F0E-5D1A-4C53-9F0E-2A6B7C8D9E10',
      '"0B9C4F0E-5D1A-4C53-9F0E-2A6B7C8D9E10" is not a lowercase UUID: write "0b9c4f0e-5d1a-4c53-9f0e-2a6b7c8d9e10"',
    ],
    ['UUID', 'x', '"x" is not a lowercase UUID'],
    [
      'DateTime',
      '2026-11-27 08:30:00Z',
      '"2026-11-27 08:30:00Z" is not an RFC 3339 date-time with an offset, such as "2026-11-27T08:30:00Z"',
    ],
    [
      'DateTime',
      '2026-11-27T08:30:00',
      '"2026-11-27T08:30:00" is not an RFC 3339 date-time with an offset, such as "2026-11-27T08:30:00Z"',
    ],
    ['DateTime', '2025-02-30T00:00:00Z', '"2025-02-30T00:00:00Z" names a day that does not exist'],
    [
      'DateTime',
      '1899-12-31T23:59:59Z',
      '"1899-12-31T23:59:59Z" is a date-time, but it must lie from 1900 to 2200',
    ],
    ['Date', '2026/11/27', '"2026/11/27" is not a date YYYY-MM-DD such as "2026-11-27"'],
    ['Date', '2026-02-29', '"2026-02-29" names a day that does not exist'],
    ['HexBytes', 'zz', '"zz" is not hex: only the digits 0-9 and a-f'],
    ['HexBytes', 'abc', '"abc" has an odd number of hex digits (3): a byte is two'],
  ])('%s %j', (name, value, message) => {
    const scalar = schema.getType(name);
    if (!(scalar instanceof GraphQLScalarType)) throw new Error(`no ${name} scalar`);
    expect(() => scalar.parseValue(value)).toThrow(message);
    try {
      scalar.parseValue(value);
    } catch (error) {
      expect(error).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it.each([
    ['Decimal', '-5.00'],
    ['Decimal', '0'],
    ['Decimal', '1250000.00'],
    ['CurrencyCode', 'JPY'],
    ['UUID', '0b9c4f0e-5d1a-4c53-9f0e-2a6b7c8d9e10'],
    ['DateTime', '2026-11-27T08:30:00.123456789+08:00'],
    ['Date', '2028-02-29'],
    ['HexBytes', '00FFab'],
  ])('%s reads %j', (name, value) => {
    const scalar = schema.getType(name);
    if (!(scalar instanceof GraphQLScalarType)) throw new Error(`no ${name} scalar`);
    expect(() => scalar.parseValue(value)).not.toThrow();
  });

  it('names its standard with @specifiedBy where one exists', () => {
    const urls = Object.fromEntries(
      ['Decimal', 'CurrencyCode', 'UUID', 'DateTime', 'Date', 'HexBytes'].map((name) => {
        const scalar = schema.getType(name);
        if (!(scalar instanceof GraphQLScalarType)) throw new Error(`no ${name} scalar`);
        return [name, scalar.specifiedByURL];
      }),
    );
    expect(urls).toEqual({
      Decimal: undefined,
      CurrencyCode: 'https://www.iso.org/iso-4217-currency-codes.html',
      UUID: 'https://www.rfc-editor.org/rfc/rfc9562',
      DateTime: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
      Date: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6',
      HexBytes: undefined,
    });
    expect(printSortedSchema()).toContain(
      'scalar UUID @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc9562")',
    );
  });
});

describe('a value the types refuse is a GraphQL error BAD_USER_INPUT with HTTP 400', () => {
  const transfer = (amount: string) =>
    `mutation { prepareReceivableTransfer(input: { receivableId: "${randomUUID()}", toPartyId: "${randomUUID()}",
      amount: ${amount}, idempotencyKey: "k" }) { __typename } }`;
  const transferWith = `mutation($input: ReceivableTransferInput!) {
    prepareReceivableTransfer(input: $input) { __typename } }`;
  const transferInput = (fields: Record<string, unknown>) => ({
    receivableId: randomUUID(),
    toPartyId: randomUUID(),
    amount: '10.00',
    idempotencyKey: 'k',
    ...fields,
  });

  it('written in the document: the message and where it is', async () => {
    const before = await ledger.snapshot();
    const answer = await ledger.gql(transfer('"abc"'));
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([
      {
        message: '"abc" is not a decimal string such as "1250000.00"',
        locations: [{ line: 2, column: 15 }],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    expect(answer.data).toBeUndefined();
    expect(await ledger.snapshot()).toBe(before);
  });

  it('a number written where a Decimal belongs', async () => {
    const answer = await ledger.gql(transfer('5.5'));
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]).toMatchObject({
      message:
        '5.5 is a number, not a decimal string such as "1250000.00": decimals travel as strings so that no digit is lost',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('in the variables: the variable, the path inside it, and the message, the value quoted once', async () => {
    const answer = await ledger.gql(transferWith, { input: transferInput({ receivableId: 'R-1' }) });
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([
      {
        message: 'Variable "$input" at "input.receivableId": "R-1" is not a lowercase UUID',
        locations: [{ line: 1, column: 10 }],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
  });

  it('cuts a long value to 40 characters wherever it is quoted', async () => {
    const huge = `${'9'.repeat(5000)}x`;
    const answer = await ledger.gql(transferWith, { input: transferInput({ amount: huge }) });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.message).toBe(
      `Variable "$input" at "input.amount": "${'9'.repeat(40)}…" is not a decimal string such as "1250000.00"`,
    );
  });

  it('a variable that is not its type for other reasons carries BAD_USER_INPUT too', async () => {
    const { amount: _amount, ...withoutAmount } = transferInput({});
    const answer = await ledger.gql(transferWith, { input: withoutAmount });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.message).toBe(
      'Variable "$input" got invalid value { receivableId: "' +
        withoutAmount.receivableId +
        '", toPartyId: "' +
        withoutAmount.toPartyId +
        '", idempotencyKey: "k" }; Field "amount" of required type "Decimal!" was not provided.',
    );
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it.each([
    ['an Int literal that is a string', '{ parties(first: "x") { edges { cursor } } }'],
    ['an unknown enum value', '{ receivables(side: HOLDR, first: 1) { edges { cursor } } }'],
    [
      'an input object literal missing a field',
      `mutation { prepareReceivableTransfer(input: { receivableId: "${randomUUID()}", idempotencyKey: "k" }) {
        __typename } }`,
    ],
  ])('any literal its type refuses: %s', async (_label, query) => {
    const answer = await ledger.gql(query);
    expect(answer.status).toBe(400);
    const codes = new Set(answer.errors?.map((error) => error.extensions?.code));
    expect([...codes]).toEqual(['BAD_USER_INPUT']);
  });

  it('while a document that does not fit the schema otherwise stays GRAPHQL_VALIDATION_FAILED', async () => {
    for (const query of ['{ me { nope } }', '{ receivable { __typename } }']) {
      const answer = await ledger.gql(query);
      expect(answer.status).toBe(200);
      expect(answer.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    }
  });

  it('a well-formed negative Decimal passes the scalar and reaches the mutation, which refuses it', async () => {
    const supplier = await ledger.newParty(['supplier'], { custodial: true });
    const answer = await ledger.gql(
      `mutation { prepareReceivableTransfer(input: { receivableId: "${randomUUID()}", toPartyId: "${randomUUID()}",
        amount: "-5.00", idempotencyKey: "k" }) { __typename ... on DomainError { code field message } } }`,
      {},
      supplier.apiKey,
    );
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.prepareReceivableTransfer).toEqual({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field: 'amount',
      message: 'amount: "-5.00" is a decimal string, but an amount must be positive',
    });
  });
});

describe('an amount, quantity or price the input cannot take is a DomainError saying exactly why', () => {
  let seller: TestParty;
  let buyer: TestParty;
  let tier1: TestParty;
  const held: Record<string, string> = {};

  beforeAll(async () => {
    seller = await ledger.newParty(['supplier'], { custodial: true });
    buyer = await ledger.newParty(['core_enterprise'], { custodial: true });
    tier1 = await ledger.newParty(['supplier'], { custodial: true });
    for (const [currency, total] of [
      ['CNY', '300.00'],
      ['JPY', '30000'],
      ['BHD', '30.000'],
    ] as const) {
      const invoiceId = await issueInvoice(ledger, seller, buyer, { currency, total });
      held[currency] = await confirm(ledger, buyer, invoiceId);
    }
  });

  const prepare = (mutation: string, type: string) =>
    `mutation($input: ${type}!) { ${mutation}(input: $input) { __typename ... on DomainError { code field message } } }`;
  const line = (fields: Record<string, unknown>) => ({
    lineNumber: 1,
    itemCode: 'STEEL-1',
    description: 'Cold-rolled coil',
    quantity: '10',
    unit: 't',
    unitPrice: '4200',
    ...fields,
  });
  const order = (fields: Record<string, unknown>) => ({
    input: {
      buyerPartyId: buyer.party.id,
      sellerPartyId: seller.party.id,
      orderNumber: freshKey('PO'),
      orderDate: '2026-09-01',
      requestedDeliveryDate: '2026-09-20',
      currency: 'CNY',
      lines: [line(fields)],
      idempotencyKey: freshKey('po'),
    },
  });
  const transfer = (currency: string, amount: string) => ({
    input: {
      receivableId: held[currency],
      toPartyId: tier1.party.id,
      amount,
      idempotencyKey: freshKey('transfer'),
    },
  });

  it.each([
    [
      'a negative transfer',
      () => transfer('CNY', '-5.00'),
      'amount: "-5.00" is a decimal string, but an amount must be positive',
    ],
    [
      'a transfer of zero',
      () => transfer('CNY', '0.00'),
      'amount: "0.00" is a decimal string, but an amount must be positive',
    ],
    [
      'three decimals in CNY',
      () => transfer('CNY', '5.001'),
      'amount: "5.001" has 3 decimals, but CNY has 2 (its minor unit is 0.01)',
    ],
    [
      'a decimal in JPY',
      () => transfer('JPY', '5.5'),
      'amount: "5.5" has 1 decimal, but JPY has no minor unit: whole amounts only',
    ],
    [
      'four decimals in BHD',
      () => transfer('BHD', '1.0001'),
      'amount: "1.0001" has 4 decimals, but BHD has 3 (its minor unit is 0.001)',
    ],
  ])('prepareReceivableTransfer: %s', async (_label, variables, message) => {
    const before = await snapshotAll(ledger);
    const answer = await ledger.gql(
      prepare('prepareReceivableTransfer', 'ReceivableTransferInput'),
      variables(),
      seller.apiKey,
    );
    expect(answer.data.prepareReceivableTransfer).toEqual({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field: 'amount',
      message,
    });
    expect(await snapshotAll(ledger)).toBe(before);
  });

  it('preparePayment: a negative amount', async () => {
    const answer = await ledger.gql(
      prepare('preparePayment', 'PaymentInput'),
      {
        input: { invoiceId: randomUUID(), amount: '-0.01', paidOn: '2025-04-10', idempotencyKey: freshKey() },
      },
      buyer.apiKey,
    );
    expect(answer.data.preparePayment).toMatchObject({
      field: 'amount',
      message: 'amount: "-0.01" is a decimal string, but an amount must be positive',
    });
  });

  it.each([
    [
      'a negative quantity',
      { quantity: '-1' },
      'lines.0.quantity',
      'lines.0.quantity: "-1" is a decimal string, but a quantity must be positive',
    ],
    [
      'a unit price of zero',
      { unitPrice: '0.000' },
      'lines.0.unitPrice',
      'lines.0.unitPrice: "0.000" is a decimal string, but a unit price must be positive',
    ],
    [
      'a unit price with seven decimals',
      { unitPrice: '0.1234567' },
      'lines.0.unitPrice',
      'lines.0.unitPrice: "0.1234567" has 7 decimals, but a unit price has at most 6',
    ],
    [
      'a quantity of 17 digits',
      { quantity: '12345678901234567' },
      'lines.0.quantity',
      'lines.0.quantity: "12345678901234567" is too large: a quantity has at most 16 digits before the decimal point',
    ],
  ])('preparePurchaseOrder: %s', async (_label, fields, field, message) => {
    const answer = await ledger.gql(
      prepare('preparePurchaseOrder', 'PurchaseOrderInput'),
      order(fields),
      seller.apiKey,
    );
    expect(answer.data.preparePurchaseOrder).toEqual({
      __typename: 'DomainError',
      code: 'INVALID_INPUT',
      field,
      message,
    });
  });
});

describe('parsePositiveAmount, for statements sent as JSON (no scalar sees them)', () => {
  it.each([
    [
      1250,
      'amount: 1250 is a number, not a decimal string such as "1250000.00": decimals travel as strings so that no digit is lost',
    ],
    ['1e3', 'amount: "1e3" is not a decimal string such as "1250000.00"'],
    ['-0', 'amount: "-0" is a decimal string, but an amount must be positive'],
    [
      '12345678901234567.00',
      'amount: "12345678901234567.00" is too large: an amount has at most 16 digits before the decimal point',
    ],
  ])('%j', (text, message) => {
    expect(parsePositiveAmount(text as string, 'CNY')).toEqual({
      ok: false,
      code: 'invalid_input',
      field: 'amount',
      message,
    });
  });

  it('reads "1250000.50" CNY as 125000050 minor units, and 007.5 as 750', () => {
    expect(parsePositiveAmount('1250000.50', 'CNY')).toEqual({ ok: true, value: 125000050n });
    expect(parsePositiveAmount('007.5', 'CNY')).toEqual({ ok: true, value: 750n });
  });
});
