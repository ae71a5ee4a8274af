/**
 * `npm run fingerprint -- invoice.json [--key-file <file>]`: the blinded fingerprint of one invoice,
 * offline, with the very function the server uses (services/trade/invoice-fingerprint.ts), so another
 * platform or a registry can compute it and ask `checkFingerprint`. No database, no network.
 * Exit status: 0 printed, 1 the invoice or the key is wrong, 2 bad arguments or an unreadable file.
 */
import { readFile } from 'node:fs/promises';
import { parseFingerprintKey } from '../services/crypto/fingerprint-key.js';
import { invoiceFingerprint, parseFingerprintInput } from '../services/trade/invoice-fingerprint.js';
import { commandLine, usageError } from './cli.js';
import { readFingerprintKeyFile } from './fingerprint-key-file.js';

const usage = `Usage: npm run fingerprint -- <invoice.json> [--key-file <file>]

Prints the blinded duplicate fingerprint of an invoice: HMAC-SHA-256, under FINGERPRINT_KEY, of the
RFC 8785 canonical JSON of its fields. The JSON file holds (other fields are ignored):

  sellerRegistrationId, buyerRegistrationId   USCC or LEI
  taxInvoiceCode, taxInvoiceNumber
  total                                       exact decimal string, e.g. "1000.00"
  currency                                    ISO 4217, e.g. "CNY"
  issueDate                                   YYYY-MM-DD

The key (hex or base64, at least 32 bytes) comes from FINGERPRINT_KEY in the environment, or from
--key-file (e.g. DATA_DIR/fingerprint.key of a zero-setup install).

  --key-file <file>   read the key from this file instead of FINGERPRINT_KEY
  --help              prints this text

Exit status: 0 printed, 1 an invalid invoice or key, 2 bad arguments or an unreadable file.`;

function failWith(message: string): never {
  console.error(`fingerprint: ${message}`);
  process.exit(1);
}

async function readInvoice(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    usageError(usage, `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    failWith(`${file} is not JSON: ${(error as Error).message}`);
  }
}

async function readKey(keyFile: string | undefined): Promise<Buffer> {
  if (keyFile !== undefined) {
    return readFingerprintKeyFile(keyFile).catch((error: Error) => failWith(error.message));
  }
  const raw = process.env.FINGERPRINT_KEY;
  if (raw === undefined || raw === '') {
    failWith('no key: set FINGERPRINT_KEY (hex or base64, at least 32 bytes) or pass --key-file <file>');
  }
  const parsed = parseFingerprintKey(raw);
  if (!parsed.ok) failWith(`FINGERPRINT_KEY ${parsed.message}`);
  return parsed.key;
}

async function main(): Promise<void> {
  const { values, positionals } = commandLine(
    usage,
    { 'key-file': { type: 'string' } },
    { positionals: true },
  );
  if (positionals.length !== 1) usageError(usage, 'give exactly one invoice JSON file');
  const [file = ''] = positionals;
  const invoice = await readInvoice(file);
  if (typeof invoice !== 'object' || invoice === null || Array.isArray(invoice)) {
    failWith(`${file} must hold one JSON object`);
  }
  const key = await readKey(values['key-file']);
  const input = parseFingerprintInput(invoice);
  if (!input.ok) failWith(`${file}: ${input.message}`);
  console.log(invoiceFingerprint(key, input.value));
}

main().catch((error: unknown) => failWith(error instanceof Error ? error.message : String(error)));
