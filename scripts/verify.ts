/**
 * `npm run verify -- <bundle-or-proof.json> --log-key <vkey>`: the offline verifier. It reads files
 * and nothing else: no database, no network (test/verify/cli.test.ts keeps its imports that way).
 * Exit codes, as grep has them: 0 valid, 1 invalid (the failed check is printed), 2 bad arguments
 * or an unreadable file. `npm run build:verifier` bundles this very file into dist/tradeproof-verify.mjs,
 * the single file a lender carries, so both print the same and exit alike.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProvenReceivable } from '../services/verify/chain-check.js';
import { type VerifyOptions, verifyBundle, verifyProofFile } from '../services/verify/verifier.js';

/** How it was run: `npm run verify --` in the repository, or `node tradeproof-verify.mjs` bundled. */
function invokedAs(script = process.argv[1] ?? ''): string {
  return script.endsWith('.ts') ? 'npm run verify --' : `node ${basename(script)}`;
}

const usage = `Usage: ${invokedAs()} <bundle-or-proof.json> --log-key <vkey> [options]

Checks a proof bundle (every event's statement, signature and inclusion) or a single proof file
against a checkpoint signed by the log key, with no server and no database.

  --log-key <vkey>          the log's verifier key, "<name>+<key id>+<base64 key>" (required)
  --origin <origin>         the origin line the checkpoint must carry
  --statement <file>        the statement of a proof file's event (one trailing newline is ignored)
  --older <consistency.json> an older checkpoint and the consistency proof to this one
  --help                    prints this text

Exit status: 0 valid, 1 invalid, 2 bad arguments or an unreadable file.`;

class UsageError extends Error {}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

function isBundle(file: unknown): boolean {
  return typeof file === 'object' && file !== null && 'format' in file;
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(usage);
    return 0;
  }
  try {
    const { values, positionals } = parsed;
    const [filePath, ...extra] = positionals;
    if (filePath === undefined) throw new UsageError('a bundle or proof file is required');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (values['log-key'] === undefined || values['log-key'] === '') {
      throw new UsageError('--log-key is required');
    }
    const file = await readJson(filePath, 'file');
    const bundle = isBundle(file);
    if (bundle && values.statement !== undefined) {
      throw new UsageError('--statement applies to a single proof file; a bundle holds its statements');
    }
    const options: VerifyOptions = { logKey: values['log-key'] };
    if (values.origin !== undefined) options.origin = values.origin;
    if (values.statement !== undefined) {
      options.statement = (await readText(values.statement, 'statement')).replace(/\n$/, '');
    }
    if (values.older !== undefined) options.older = await readJson(values.older, 'consistency file');
    const result = bundle ? verifyBundle(file, options) : verifyProofFile(file, options);
    for (const check of result.checks) console.log(`ok  ${check}`);
    if (!result.valid) {
      console.log(`INVALID: ${result.failed}`);
      return 1;
    }
    console.log('VALID');
    if (bundle && result.proven) printProven(result.proven);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
}

/** The status the facts give; OVERDUE depends on the day, so it is judged against today here. */
function statusLine(proven: ProvenReceivable): string {
  const today = new Date().toISOString().slice(0, 10);
  const pastDue = ['open', 'partially_settled'].includes(proven.status) && proven.dueDate < today;
  const status = proven.status.toUpperCase();
  return `${status}${pastDue ? `, OVERDUE today (${today})` : ''}${proven.onHold ? ', ON HOLD' : ''}`;
}

/** What the bundle proves, in the words of the business, after VALID. */
function printProven(proven: ProvenReceivable): void {
  const rows: Array<[string, string]> = [
    ['receivable', `${proven.receivableId} (tier ${proven.tier})`],
    ['invoice', proven.invoiceId],
    ['obligor', proven.obligor],
    ['holder', proven.holder],
    ['face', `${proven.currency} ${proven.face}`],
    ['transferred', `${proven.currency} ${proven.transferred}`],
    ['settled', `${proven.currency} ${proven.settled}`],
    ['credited', `${proven.currency} ${proven.credited}`],
    ['outstanding', `${proven.currency} ${proven.outstanding}`],
    ['due date', proven.dueDate],
    ['status', statusLine(proven)],
    ['facts', `${proven.chainLength} facts about the invoice, none missing at this checkpoint`],
  ];
  console.log('\nProven at this checkpoint:');
  for (const [name, value] of rows) console.log(`  ${name.padEnd(12)} ${value}`);
  const custodial = proven.custodialFacts;
  console.log(
    custodial.length === 0
      ? '  custodial    none: every fact was signed with a key its party holds'
      : `  custodial    signed by the platform with a key it holds for the party (they prove less):\n${custodial.map((fact) => `               ${fact}`).join('\n')}`,
  );
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'log-key': { type: 'string' },
      origin: { type: 'string' },
      statement: { type: 'string' },
      older: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
