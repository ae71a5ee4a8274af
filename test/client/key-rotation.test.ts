/** TradeproofClient.addPartyKey against a real ledger over HTTP: prepare, sign with both keys, add. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import {
  TradeproofClient,
  TradeproofDomainError,
  TradeproofError,
} from '../../scripts/client/tradeproof-client.js';
import { generateKeyPair, keyIdOf, toHex } from '../../services/crypto/index.js';
import { freshKey } from '../support/fixtures.js';
import { testLimits, useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();
let server: Server;
let url: string;

beforeAll(async () => {
  const yoga = createGraphqlHandler({
    ledger: ledger.ledger,
    logSigner: ledger.logSigner,
    graphiql: false,
    ...testLimits,
  });
  server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('TradeproofClient.addPartyKey', () => {
  it('rotates a self-held key with the current key, then the new key rotates to a custodial one', async () => {
    const party = await ledger.newParty(['supplier']);
    const next = generateKeyPair();
    const client = new TradeproofClient({
      url,
      apiKey: party.apiKey,
      privateKey: party.keyPair?.privateKey ?? '',
    });
    const idempotencyKey = freshKey('rotate');
    const added = await client.addPartyKey({
      partyId: party.party.id,
      newPrivateKey: next.privateKey,
      idempotencyKey,
    });
    expect(added).toEqual({
      replayed: false,
      key: {
        keyId: keyIdOf(next.publicKey),
        status: 'ACTIVE',
        custodial: false,
        authorization: 'ROTATED_BY_PREVIOUS_KEY',
      },
    });
    // A retry after a lost answer prepares and signs afresh; the ledger answers it as a replay.
    const before = await ledger.snapshot();
    const retried = await client.addPartyKey({
      partyId: party.party.id,
      newPrivateKey: next.privateKey,
      idempotencyKey,
    });
    expect(retried).toEqual({ ...added, replayed: true });
    expect(await ledger.snapshot()).toBe(before);

    const rotated = new TradeproofClient({ url, apiKey: party.apiKey, privateKey: toHex(next.privateKey) });
    const custodial = await rotated.addPartyKey({
      partyId: party.party.id,
      custodial: true,
      idempotencyKey: freshKey(),
    });
    expect(custodial.key).toMatchObject({ custodial: true, authorization: 'ROTATED_BY_PREVIOUS_KEY' });
  });

  it('refuses to ask without the current self-held key, and reports the ledger refusing a stale one', async () => {
    const party = await ledger.newParty(['supplier']);
    const keyless = new TradeproofClient({ url, apiKey: party.apiKey });
    const options = {
      partyId: party.party.id,
      newPrivateKey: generateKeyPair().privateKey,
      idempotencyKey: freshKey(),
    };
    await expect(keyless.addPartyKey(options)).rejects.toThrow(TradeproofError);
    const wrongKey = new TradeproofClient({
      url,
      apiKey: party.apiKey,
      privateKey: generateKeyPair().privateKey,
    });
    const refused = await wrongKey.addPartyKey(options).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TradeproofDomainError);
    expect(refused).toMatchObject({ stage: 'submit', code: 'CURRENT_KEY_SIGNATURE_INVALID' });
  });

  it('adds a self-held key to a custodial party with its API key alone', async () => {
    const party = await ledger.newParty(['lender'], { custodial: true });
    const client = new TradeproofClient({ url, apiKey: party.apiKey });
    const added = await client.addPartyKey({
      partyId: party.party.id,
      newPrivateKey: generateKeyPair().privateKey,
      idempotencyKey: freshKey(),
    });
    expect(added.key).toMatchObject({ custodial: false, authorization: 'API_KEY' });
  });
});
