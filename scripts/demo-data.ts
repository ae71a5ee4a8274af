/** The demo's trade: twelve orders of machine parts, with totals computed exactly as the ledger does. */
import { randomInt } from 'node:crypto';
import type { Ed25519KeyPair } from '../services/crypto/index.js';
import { lineAmountMinor } from '../services/money/decimal.js';
import { formatAmount } from '../services/money/money.js';
import { withUsccCheck } from '../services/parties/registration-id.js';
import { addDays, todayUtc } from '../services/receivables/receivable.js';
import type { TradeproofClient } from './client/tradeproof-client.js';

/** A party the demo registered, with its API key and a client that signs as it does. */
export interface DemoParty {
  name: string;
  id: string;
  apiKey: string;
  client: TradeproofClient;
  signs: 'own key' | 'custodial';
  /** The key it signs with now, for a party that holds its own (written to a key file at the end). */
  keyPair?: Ed25519KeyPair;
}

export interface DemoLine {
  itemCode: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
}

export interface DemoInvoice {
  orderNumber: string;
  taxInvoiceNumber: string;
  orderDate: string;
  shippedOn: string;
  receivedOn: string;
  issueDate: string;
  dueDate: string;
  lines: DemoLine[];
  total: string;
}

const catalogue: DemoLine[] = [
  {
    itemCode: 'GEAR-M4-40T',
    description: 'Spur gear, module 4, 40 teeth',
    quantity: '120',
    unit: 'pcs',
    unitPrice: '386.50',
  },
  {
    itemCode: 'SHAFT-45-1200',
    description: 'Drive shaft, 45 steel, 1200 mm',
    quantity: '40',
    unit: 'pcs',
    unitPrice: '1240',
  },
  {
    itemCode: 'CYL-HYD-80',
    description: 'Hydraulic cylinder, bore 80 mm',
    quantity: '16',
    unit: 'pcs',
    unitPrice: '4875.25',
  },
  {
    itemCode: 'BRG-6312',
    description: 'Deep-groove ball bearing 6312',
    quantity: '300',
    unit: 'pcs',
    unitPrice: '92.8',
  },
  {
    itemCode: 'PLATE-Q345-20',
    description: 'Steel plate Q345, 20 mm',
    quantity: '12.5',
    unit: 't',
    unitPrice: '4630',
  },
];

/**
 * Twelve trades, dated back from `today` (UTC): orders placed between 80 and 14 days ago, each shipped
 * a week later, received two days after that and invoiced the next day, due 90 days after the invoice,
 * so that every receivable reads OPEN, never OVERDUE, whenever the demo runs. The first one falls due
 * today: the demo pays it at maturity.
 */
export function demoInvoices(today: string = todayUtc()): DemoInvoice[] {
  return Array.from({ length: 12 }, (_, index) => demoInvoice(index, today));
}

/** Two more, recent, that the demo leaves waiting for the core enterprise's confirmation. */
export function demoPendingInvoices(today: string = todayUtc()): DemoInvoice[] {
  return [12, 13].map((index) => demoInvoice(index, today, addDays(today, -(20 - 5 * (index - 12)))));
}

function demoInvoice(
  index: number,
  today: string,
  orderDate = addDays(today, -(80 - 6 * index)),
): DemoInvoice {
  const lines = [catalogue[index % catalogue.length], catalogue[(index + 2) % catalogue.length]].filter(
    (line): line is DemoLine => line !== undefined,
  );
  const totalMinor = lines.reduce(
    (sum, line) => sum + lineAmountMinor(line.quantity, line.unitPrice, 'CNY'),
    0n,
  );
  const issueDate = addDays(orderDate, 10);
  return {
    orderNumber: `PO-HD-${String(index + 1).padStart(3, '0')}`,
    taxInvoiceNumber: String(32_000_100 + index),
    orderDate,
    shippedOn: addDays(orderDate, 7),
    receivedOn: addDays(orderDate, 9),
    issueDate,
    dueDate: index === 0 ? today : addDays(issueDate, 90),
    lines,
    total: formatAmount(totalMinor, 'CNY'),
  };
}

const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A well-formed USCC (Jiangsu division code) with a correct check character. */
export function demoUscc(): string {
  const organisation = Array.from({ length: 9 }, () => usccAlphabet[randomInt(usccAlphabet.length)]).join('');
  return withUsccCheck(`913205${String(randomInt(100)).padStart(2, '0')}${organisation}`);
}
