/**
 * A bootstrapped ledger over this file's test database: the platform operator, its administrator API
 * key, a GraphQL client that runs requests through the real yoga handler (no socket), and helpers
 * to create parties with keys the test holds.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll } from 'vitest';
import { createGraphqlHandler } from '../../graphql/yoga.js';
import { registrationProof } from '../../scripts/client/key-proofs.js';
import { defaultPlatformRegistrationId } from '../../scripts/runtime.js';
import type { Ledger } from '../../services/context.js';
import { type Ed25519KeyPair, generateKeyPair } from '../../services/crypto/index.js';
import { ensureLogSigner, type LogSigner } from '../../services/ledger/log-signer.js';
import type { Actor, Party, PartyRole } from '../../services/parties/party.js';
import { createApiKey } from '../../services/registry/api-key.service.js';
import { registerParty } from '../../services/registry/party.service.js';
import { ensurePlatform } from '../../services/registry/platform.js';
import { type TestDatabase, useTestDatabase } from './database.js';
import { freshKey, freshUscc } from './fixtures.js';

export interface GraphqlAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface TestParty {
  party: Party;
  actor: Actor;
  apiKey: string;
  /** Null for a custodial party: the platform holds its key. */
  keyPair: Ed25519KeyPair | null;
}

export interface TestLedger extends TestDatabase {
  ledger: Ledger;
  logSigner: LogSigner;
  adminApiKey: string;
  admin: Actor;
  gql(query: string, variables?: Record<string, unknown>, apiKey?: string | null): Promise<GraphqlAnswer>;
  newParty(roles: PartyRole[], options?: { custodial?: boolean; parentPartyId?: string }): Promise<TestParty>;
  /** Every row of every table, serialised: equal before and after proves a request wrote nothing. */
  snapshot(): Promise<string>;
}

export const testLogOrigin = 'tradeproof.test/log';
export const testLimits = {
  queryDepthMax: 12,
  // The default of QUERY_COST_MAX: a page a user may ask for in production passes in the tests too.
  queryCostMax: 50_000,
  queryAliasesMax: 15,
  queryTokensMax: 2000,
  queryOperationsMax: 10,
  queryFragmentsMax: 50,
};

export function useTestLedger(): TestLedger {
  const database = useTestDatabase();
  const state = database as TestLedger;
  beforeAll(async () => {
    const custody = { key: randomBytes(32) };
    const platform = await ensurePlatform(database.app.db, custody, {
      legalName: 'test platform operator',
      registrationId: defaultPlatformRegistrationId,
      adminApiKey: null,
    });
    const adminApiKey = platform.adminApiKey ?? '';
    const logSigner = await ensureLogSigner(database.app.db, custody, testLogOrigin);
    const yoga = createGraphqlHandler({ ledger: platform.ledger, logSigner, graphiql: false, ...testLimits });
    state.logSigner = logSigner;
    state.ledger = platform.ledger;
    state.adminApiKey = adminApiKey;
    state.admin = { partyId: platform.ledger.platformPartyId, roles: ['platform_admin'] };
    state.gql = async (query, variables = {}, apiKey = adminApiKey) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
      const response = await yoga.fetch('http://ledger.test/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    };
    state.newParty = async (roles, options = {}) => {
      const keyPair = options.custodial ? null : generateKeyPair();
      const registrationId = freshUscc();
      const proof = keyPair && registrationProof(keyPair.privateKey, registrationId);
      const registered = await registerParty(platform.ledger, state.admin, {
        legalName: `Test party ${freshKey()}`,
        registrationId,
        roles,
        parentPartyId: options.parentPartyId ?? null,
        publicKey: proof?.publicKey ?? null,
        proofOfPossession: proof?.proofOfPossession ?? null,
        custodialKey: options.custodial ?? false,
        idempotencyKey: freshKey('register'),
      });
      if (!registered.ok) throw new Error(`test setup: ${registered.code}: ${registered.message}`);
      const party = registered.value.party;
      const created = await createApiKey(platform.ledger, state.admin, {
        partyId: party.id,
        label: 'test',
        idempotencyKey: freshKey('api-key'),
      });
      if (!created.ok || created.value.secret === null) throw new Error('test setup: no API key');
      return {
        party,
        actor: { partyId: party.id, roles: party.roles },
        apiKey: created.value.secret,
        keyPair,
      };
    };
    state.snapshot = async () => {
      const rows: Record<string, unknown[]> = {};
      const tables = [
        'party',
        'party_key',
        'api_key',
        'event',
        'ledger_setting',
        'lease',
        'trade_document',
        'trade_document_ref',
        'receivable',
        'payment',
        'payment_allocation',
        'witness',
        'cosignature',
        'fact_chain_link',
        'webhook',
        'webhook_request',
        'webhook_delivery',
        'financing',
        'financing_lender',
        'financing_response',
        'financed_root',
        'credit_limit',
      ] as const;
      const text = (value: unknown) =>
        JSON.stringify(value, (_key, inner) => (typeof inner === 'bigint' ? inner.toString() : inner));
      for (const table of tables) {
        // Sorted on the whole row: an ORDER BY on one column leaves ties (two refs of one document)
        // in whatever order the server returns them, and two snapshots would differ with no write.
        const found = await database.owner.db.selectFrom(table).selectAll().execute();
        rows[table] = found.map(text).sort();
      }
      return text(rows);
    };
  });
  return state;
}
