/**
 * `npm run demo`: seeds a realistic supply chain through the public GraphQL API of a running ledger
 * (`npm start` in another terminal) and prints what it did, with the API keys it created.
 *
 *   ADMIN_API_KEY=tp_… npm run demo [-- --url http://127.0.0.1:4000/graphql]
 *
 * One core enterprise buys from two tier-1 suppliers; twelve invoices are confirmed; receivables are
 * split and passed to tier-2 and tier-3 suppliers; one invoice is settled at maturity. The core
 * enterprise and one tier-1 supplier sign with their own Ed25519 keys (prepare, sign locally,
 * submit), registered with proof of possession; the supplier rotates its key once, the old key
 * signing for the new one; the others are custodial.
 * A lender sets a credit limit on the core enterprise's group, reads the verification report of a
 * tier-2 supplier's receivable, offers on it, is accepted and disburses.
 * Two more invoices are left waiting for the core enterprise's confirmation, and a tier-1 supplier's
 * request for financing is left open, so that each role finds work in the web console. The private
 * keys of the parties that sign with their own key are written to key files (--keys-dir), which the
 * console loads to sign in the browser.
 * Dates run back from today, so the receivables read OPEN whenever it runs; each run adds a new set
 * of parties (their names end in the run's id), so running it again never collides with the last.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { ConfigError } from '../services/config.js';
import { generateKeyPair } from '../services/crypto/index.js';
import { commandLine, usageError } from './cli.js';
import { registrationProof } from './client/key-proofs.js';
import { TradeproofClient } from './client/tradeproof-client.js';
import {
  type DemoInvoice,
  type DemoParty,
  demoInvoices,
  demoPendingInvoices,
  demoUscc,
} from './demo-data.js';
import { financeDemo, openFinancingRequest } from './demo-financing.js';
import { writeDemoKeyFiles } from './demo-keys.js';
import { ledgerUrl } from './ledger-url.js';

const usage = `usage: ADMIN_API_KEY=tp_… npm run demo [-- --url http://127.0.0.1:4000/graphql] [--keys-dir DIR]

Seeds a demo supply chain through the GraphQL API of a running ledger (npm start in another
terminal) and prints the API keys it created. Each run adds a new set of parties.
  --url URL       the ledger's GraphQL endpoint; without it, http://HOST:PORT/graphql from HOST and
                  PORT as npm start reads them (default http://127.0.0.1:4000/graphql)
  --keys-dir DIR  where to write the key files of the parties that sign with their own key
                  (default DATA_DIR/demo-keys, as npm start reads DATA_DIR: .data/demo-keys)
  ADMIN_API_KEY   the platform administrator's API key, printed by the first npm start (required)
Exit status: 0 seeded, 1 failed, 2 bad arguments.`;

const { values } = commandLine(usage, { url: { type: 'string' }, 'keys-dir': { type: 'string' } });
const keysDir = path.resolve(values['keys-dir'] ?? path.join(process.env.DATA_DIR || '.data', 'demo-keys'));
const target = (() => {
  try {
    return ledgerUrl(values.url, process.env);
  } catch (error) {
    if (error instanceof ConfigError) usageError(usage, error.message);
    throw error;
  }
})();
const { url } = target;
const adminApiKey = process.env.ADMIN_API_KEY ?? '';
const run = randomBytes(3).toString('hex');
const log = (line: string) => console.log(line);

const prepared = (name: string, input: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { __typename
    ... on PreparedStatement { statement eventHash kind } ... on DomainError { code message field } } }`;

async function register(
  admin: TradeproofClient,
  name: string,
  roles: string[],
  options: { ownKey?: boolean; parentPartyId?: string } = {},
): Promise<DemoParty> {
  const keyPair = options.ownKey ? generateKeyPair() : null;
  const registrationId = demoUscc();
  // The key holder proves it holds the key, so that nobody registers another party's key as its own.
  const proof = keyPair && registrationProof(keyPair.privateKey, registrationId);
  const registered = await admin.request<{
    registerParty: { __typename: string; party?: { id: string }; message?: string };
  }>(
    `mutation($input: RegisterPartyInput!) { registerParty(input: $input) { __typename
      ... on PartyPayload { party { id } } ... on DomainError { code message } } }`,
    {
      input: {
        legalName: name,
        registrationId,
        roles,
        ...(proof
          ? { publicKey: proof.publicKey, proofOfPossession: proof.proofOfPossession }
          : { custodialKey: true }),
        ...(options.parentPartyId ? { parentPartyId: options.parentPartyId } : {}),
        idempotencyKey: `demo-${run}-register-${name}`,
      },
    },
  );
  const party = registered.registerParty.party;
  if (!party) throw new Error(`registering ${name}: ${registered.registerParty.message}`);
  const created = await admin.request<{ createApiKey: { secret?: string; message?: string } }>(
    `mutation($partyId: UUID!, $key: String!) { createApiKey(partyId: $partyId, label: "demo", idempotencyKey: $key) {
      ... on ApiKeyPayload { secret } ... on DomainError { message } } }`,
    { partyId: party.id, key: `demo-${run}-api-key-${name}` },
  );
  const apiKey = created.createApiKey.secret ?? '';
  const client = new TradeproofClient({
    url,
    apiKey,
    ...(keyPair ? { privateKey: keyPair.privateKey } : {}),
  });
  log(`  registered ${name} (${roles.join(', ')}, ${keyPair ? 'signs with its own key' : 'custodial key'})`);
  return {
    name,
    id: party.id,
    apiKey,
    client,
    signs: keyPair ? 'own key' : 'custodial',
    ...(keyPair ? { keyPair } : {}),
  };
}

/** The party's current key signs for a new one (addPartyKey); from then on it signs with the new key. */
async function rotateKey(party: DemoParty): Promise<DemoParty> {
  const next = generateKeyPair();
  await party.client.addPartyKey({
    partyId: party.id,
    newPrivateKey: next.privateKey,
    idempotencyKey: `demo-${run}-rotate-${party.name}`,
  });
  log(`  ${party.name} rotated its signing key: the old key signed for the new one`);
  return {
    ...party,
    client: new TradeproofClient({ url, apiKey: party.apiKey, privateKey: next.privateKey }),
    keyPair: next,
  };
}

async function submit(party: DemoParty, mutation: string, input: string, fields: Record<string, unknown>) {
  const result = await party.client.prepareAndSubmit(prepared(mutation, input), {
    input: { ...fields, idempotencyKey: `demo-${run}-${mutation}-${randomUUID()}` },
  });
  return result.event;
}

async function tradeChain(
  buyer: DemoParty,
  seller: DemoParty,
  invoice: DemoInvoice,
  confirm = true,
): Promise<string> {
  const order = randomUUID();
  const shipment = randomUUID();
  const receipt = randomUUID();
  const invoiceId = randomUUID();
  const lines = invoice.lines.map((line, index) => ({ lineNumber: index + 1, ...line }));
  await submit(seller, 'preparePurchaseOrder', 'PurchaseOrderInput', {
    documentId: order,
    buyerPartyId: buyer.id,
    sellerPartyId: seller.id,
    orderNumber: `${invoice.orderNumber}-${run}`,
    orderDate: invoice.orderDate,
    requestedDeliveryDate: invoice.shippedOn,
    currency: 'CNY',
    lines,
  });
  const quantities = invoice.lines.map((line) => ({ itemCode: line.itemCode, quantity: line.quantity }));
  await submit(seller, 'prepareShipment', 'ShipmentInput', {
    documentId: shipment,
    purchaseOrderId: order,
    waybillNumber: `SF${run}${invoice.orderNumber.replace(/\D/g, '')}`,
    shippedOn: invoice.shippedOn,
    lines: quantities,
  });
  await submit(buyer, 'prepareGoodsReceipt', 'GoodsReceiptInput', {
    documentId: receipt,
    purchaseOrderId: order,
    shipmentIds: [shipment],
    receivedOn: invoice.receivedOn,
    lines: quantities.map(({ itemCode, quantity }) => ({ itemCode, quantityAccepted: quantity })),
  });
  await submit(seller, 'prepareInvoice', 'InvoiceInput', {
    documentId: invoiceId,
    buyerPartyId: buyer.id,
    sellerPartyId: seller.id,
    taxInvoiceNumber: `${invoice.taxInvoiceNumber}${run}`,
    taxInvoiceCode: '032002200111',
    currency: 'CNY',
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    purchaseOrderId: order,
    goodsReceiptIds: [receipt],
    lines: invoice.lines,
    total: invoice.total,
  });
  if (confirm) await submit(buyer, 'prepareInvoiceConfirmation', 'InvoiceConfirmationInput', { invoiceId });
  log(
    `  ${seller.name} -> ${buyer.name}: invoice ${invoice.taxInvoiceNumber} CNY ${invoice.total}, ` +
      (confirm ? 'confirmed' : 'waiting for confirmation'),
  );
  return invoiceId;
}

async function heldReceivable(
  party: DemoParty,
  invoiceId: string,
): Promise<{ id: string; outstanding: string }> {
  const data = await party.client.request<{
    receivables: { edges: { node: { id: string; outstanding: string; invoiceId: string } }[] };
  }>('{ receivables(side: HOLDER, first: 100) { edges { node { id outstanding invoiceId } } } }');
  const found = data.receivables.edges.map((edge) => edge.node).find((node) => node.invoiceId === invoiceId);
  if (!found) throw new Error(`${party.name} holds nothing on invoice ${invoiceId}`);
  return found;
}

async function transfer(from: DemoParty, to: DemoParty, invoiceId: string, amount: string): Promise<void> {
  const receivable = await heldReceivable(from, invoiceId);
  await submit(from, 'prepareReceivableTransfer', 'ReceivableTransferInput', {
    receivableId: receivable.id,
    toPartyId: to.id,
    amount,
  });
  log(`  ${from.name} passed CNY ${amount} of its receivable to ${to.name}`);
}

async function main(): Promise<void> {
  if (!adminApiKey) {
    throw new Error('set ADMIN_API_KEY (printed by the first `npm start`) and start the ledger first');
  }
  const health = await fetch(url.replace(/\/graphql$/, '/healthz')).catch(() => null);
  if (health?.status === 503)
    throw new Error(`the ledger at ${url} is still starting: run the demo again in a moment`);
  if (!health?.ok) {
    const fix =
      target.from === '--url'
        ? 'or correct --url'
        : 'or give its address with --url (or the HOST and PORT it was started with)';
    throw new Error(
      `no ledger answers at ${url} (${target.from}): start it with \`npm start\` in another terminal, ${fix}`,
    );
  }
  const admin = new TradeproofClient({ url, apiKey: adminApiKey });
  log(`seeding a demo supply chain at ${url} (run ${run})`);
  // The buyer signs its receipts and confirmations with its own key, and so does Ningbo its orders,
  // shipments and invoices: the report on Ningbo's paper finds no custodial signature to warn about.
  const core = await register(admin, `Huadong Heavy Machinery Group ${run}`, ['CORE_ENTERPRISE'], {
    ownKey: true,
  });
  const subsidiary = await register(admin, `Huadong Machinery Leasing ${run}`, ['CORE_ENTERPRISE'], {
    parentPartyId: core.id,
  });
  const ningbo = await rotateKey(
    await register(admin, `Ningbo Precision Gears ${run}`, ['SUPPLIER'], { ownKey: true }),
  );
  const suzhou = await register(admin, `Suzhou Hydraulics ${run}`, ['SUPPLIER']);
  const wuxi = await register(admin, `Wuxi Steel Forging ${run}`, ['SUPPLIER']);
  const changzhou = await register(admin, `Changzhou Bearing Works ${run}`, ['SUPPLIER']);
  const jiangyin = await register(admin, `Jiangyin Special Steel ${run}`, ['SUPPLIER']);
  const lender = await register(admin, `Bank of Jiangnan Supply Chain Finance ${run}`, ['LENDER']);
  const auditor = await register(admin, `Jiangsu Trade Audit ${run}`, ['AUDITOR']);

  log('trade: twelve orders shipped, received, invoiced and confirmed');
  const invoices = demoInvoices();
  const invoiceIds: string[] = [];
  for (const [index, invoice] of invoices.entries()) {
    invoiceIds.push(await tradeChain(core, index % 2 === 0 ? ningbo : suzhou, invoice));
  }
  log('splits: receivables passed up the chain as payment');
  const [first = '', second = '', third = ''] = invoiceIds;
  await transfer(ningbo, wuxi, first, '20000.00');
  await transfer(wuxi, jiangyin, first, '8000.00');
  await transfer(suzhou, changzhou, second, '15000.00');
  await transfer(changzhou, jiangyin, second, '5000.00');
  await transfer(ningbo, changzhou, third, '12500.50');
  log('financing: a tier-2 supplier finances its receivable');
  await financeDemo({ submit, heldReceivable, log, run }, { holder: changzhou, lender, core }, third);
  log('settlement: the core enterprise pays one invoice at maturity');
  const paid = invoices[0];
  await submit(core, 'preparePayment', 'PaymentInput', {
    invoiceId: first,
    amount: paid?.total,
    paidOn: paid?.dueDate,
  });
  log(
    `  ${core.name} paid CNY ${paid?.total}; allocated across Ningbo, Wuxi and Jiangyin by what each was owed`,
  );

  log('open work: two invoices to confirm, one financing request to answer');
  for (const invoice of demoPendingInvoices()) await tradeChain(core, ningbo, invoice, false);
  const [, , , fourth = ''] = invoiceIds;
  await openFinancingRequest({ submit, heldReceivable, log, run }, { holder: suzhou, lender }, fourth);
  await writeDemoKeyFiles(keysDir, [core, ningbo], log);

  log('\nAPI keys (sign in to the web console with one, or use it as Authorization: Bearer <key>):');
  for (const party of [core, subsidiary, ningbo, suzhou, wuxi, changzhou, jiangyin, lender, auditor]) {
    log(`  ${party.name.padEnd(48)} ${party.apiKey}`);
  }
  log(
    `\nTry, as ${jiangyin.name}: { receivables(side: HOLDER, first: 10) { edges { node { tier face outstanding status } } } }`,
  );
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
