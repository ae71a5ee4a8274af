/**
 * `npm run sign -- <command>`: offline key handling for parties that sign their own facts.
 * Exit codes, as grep has them: 0 done (or valid), 1 signature invalid, 2 bad arguments or an error.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  generateKeyPair,
  isUsablePublicKey,
  keyIdOf,
  parseHex,
  sha256,
  toHex,
  verify,
} from '../services/crypto/index.js';
import { UsageError } from './cli.js';
import { readKeyFile, writeKeyFile } from './client/key-file.js';
import { checkKeyFilePath, defaultKeyPath } from './client/key-location.js';
import { KeyStatementRefusedError, registrationProof, signKeyStatement } from './client/key-proofs.js';
import { StatementRefusedError, signStatement, statementBytesMax } from './client/signer.js';
import { submitCommand } from './sign-submit.js';

const usage = `Usage: npm run sign -- <command> [options]

Commands:
  keygen [--name <name> | --out <file>]
      Creates an Ed25519 key file (mode 0600; never overwrites) and prints where it is, the public key
      and key id to register with registerParty or addPartyKey (each needs a proof from \`prove\`).
      By default it goes outside the repository, to ~/.tradeproof/keys/<name>.json (the name is
      key-<first 8 digits of the key id> unless --name gives one). --out names the file instead;
      inside this repository it must be a name git ignores: *.key.json, or in the keys/ folder.
  sign --key <key.json> [--statement <file>] [--signature-only]
      Signs a prepared statement (from the file, or from stdin) exactly as prepare… returned it.
      Prints {"eventHash": hex, "signature": hex}, or with --signature-only the signature alone.
  verify --public-key <hex> --statement <file> --signature <hex>
      Checks an Ed25519 signature over SHA-256 of the statement.
  prove --key <key.json> --registration-id <id>
      Proves possession of the key for registerParty. Prints {"publicKey": hex, "statement": …,
      "proofOfPossession": hex}: give publicKey and proofOfPossession to the registering administrator.
  prove --key <key.json> [--statement <file>] [--signature-only]
      Signs a key addition statement exactly as preparePartyKeyAddition returned it: with the new key
      (proofOfPossession) or with the current key (currentKeySignature). Prints {"statementHash": hex,
      "signature": hex}, or with --signature-only the signature alone.
  submit --key <key.json> --url <graphql url> [--statements <file>] [--batch <n>] [--api-key <key>]
      Signs many prepared statements and submits them with submitStatements, up to --batch (default
      and most 1000) per request, progress on stderr. The statements come one per line (JSON lines:
      the statement as a JSON string, or an object with "statement", as prepare… returns it) from the
      file or stdin. The API key defaults to TRADEPROOF_API_KEY (which, unlike an argument, ps does not
      show). Prints one JSON line per statement, in input order: {"line", "eventId", "eventHash",
      "replayed"}, or {"line", "error": {"code", "message", "field", "retryable"}}. Sending the same
      file again is safe: what was recorded answers replayed. Exits 1 when any statement was refused.

One trailing newline on a statement is ignored: canonical JSON never ends with one.
Exit status: 0 done or valid, 1 signature invalid (submit: a statement refused), 2 bad arguments or an error.
  --help   prints this text`;

type Options = Record<string, string | boolean | undefined>;
const commands = ['keygen', 'sign', 'verify', 'prove', 'submit'] as const;
type Command = (typeof commands)[number];

const optionsOf: Record<Command, ParseArgsConfig['options']> = {
  keygen: { name: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
  sign: {
    key: { type: 'string' },
    statement: { type: 'string' },
    'signature-only': { type: 'boolean' },
    help: { type: 'boolean' },
  },
  verify: {
    'public-key': { type: 'string' },
    statement: { type: 'string' },
    signature: { type: 'string' },
    help: { type: 'boolean' },
  },
  submit: {
    key: { type: 'string' },
    url: { type: 'string' },
    'api-key': { type: 'string' },
    statements: { type: 'string' },
    batch: { type: 'string' },
    help: { type: 'boolean' },
  },
  prove: {
    key: { type: 'string' },
    'registration-id': { type: 'string' },
    statement: { type: 'string' },
    'signature-only': { type: 'boolean' },
    help: { type: 'boolean' },
  },
};

function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function withoutTrailingNewline(bytes: Buffer): Buffer {
  if (bytes.at(-1) !== 0x0a) return bytes;
  return bytes.subarray(0, bytes.at(-2) === 0x0d ? -2 : -1);
}

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY)
    throw new Error('no --statement given and stdin is a terminal: pipe a statement in');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > statementBytesMax + 2) throw new Error(`a statement is at most ${statementBytesMax} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readStatement(file: string | undefined): Promise<Buffer> {
  const bytes = file === undefined ? await readStdin() : await readFile(file);
  if (bytes.length > statementBytesMax + 2)
    throw new Error(`a statement is at most ${statementBytesMax} bytes`);
  return withoutTrailingNewline(bytes);
}

/** Where keygen writes: the file --out names (git-ignored if in the repository), or the key folder. */
async function keyFilePath(options: Options, keyId: string): Promise<string> {
  const { name, out } = options;
  if (typeof out === 'string') {
    if (name !== undefined) throw new UsageError('give --name or --out, not both');
    if (out === '') throw new UsageError('--out needs a file name');
    return checkKeyFilePath(out);
  }
  return defaultKeyPath(typeof name === 'string' ? name : `key-${keyId.slice(0, 8)}`);
}

async function keygen(options: Options): Promise<number> {
  const pair = generateKeyPair();
  const out = await keyFilePath(options, keyIdOf(pair.publicKey));
  // 0700 for a folder it creates (~/.tradeproof/keys, keys/): it lists whom this user signs for.
  await mkdir(path.dirname(out), { recursive: true, mode: 0o700 });
  const key = await writeKeyFile(out, pair);
  console.log(`wrote ${out} (mode 0600): keep it secret, it is the only copy of the private key`);
  console.log(`publicKey ${key.publicKey}`);
  console.log(`keyId     ${key.keyId}`);
  console.log('register it: `prove --registration-id` for registerParty, `prove` for addPartyKey');
  return 0;
}

async function signCommand(options: Options): Promise<number> {
  const key = await readKeyFile(required(options, 'key'));
  const bytes = await readStatement(options.statement as string | undefined);
  // fatal: bytes that are not UTF-8 would otherwise be replaced, and a different text signed.
  const statement = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  const signed = signStatement(statement, key.privateKey);
  console.log(options['signature-only'] ? signed.signature : JSON.stringify(signed));
  return 0;
}

async function verifyCommand(options: Options): Promise<number> {
  const publicKey = parseHex(required(options, 'public-key'), 32);
  if (publicKey === null || !isUsablePublicKey(publicKey)) {
    throw new UsageError('--public-key must be a usable Ed25519 public key, 64 hex digits');
  }
  const signature = parseHex(required(options, 'signature'), 64);
  if (signature === null) throw new UsageError('--signature must be 128 hex digits (64 bytes)');
  const eventHash = sha256(await readStatement(required(options, 'statement')));
  const valid = verify(publicKey, eventHash, signature);
  const subject = `eventHash ${toHex(eventHash)}, keyId ${keyIdOf(publicKey)}`;
  console.log(valid ? `valid: ${subject}` : `invalid: the signature does not verify (${subject})`);
  return valid ? 0 : 1;
}

async function proveCommand(options: Options): Promise<number> {
  const key = await readKeyFile(required(options, 'key'));
  const registrationId = options['registration-id'];
  if (typeof registrationId === 'string') {
    if (options.statement !== undefined)
      throw new UsageError('give --registration-id or --statement, not both');
    console.log(JSON.stringify(registrationProof(key.privateKey, registrationId)));
    return 0;
  }
  const bytes = await readStatement(options.statement as string | undefined);
  const statement = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  const signed = signKeyStatement(statement, key.privateKey);
  console.log(options['signature-only'] ? signed.signature : JSON.stringify(signed));
  return 0;
}

function isCommand(name: string): name is Command {
  return (commands as readonly string[]).includes(name);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('a command is required');
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return 0;
  }
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"`);
  let values: Options;
  try {
    ({ values } = parseArgs({ args: rest, options: optionsOf[name], strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (name === 'keygen') return keygen(values);
  if (name === 'sign') return signCommand(values);
  if (name === 'prove') return proveCommand(values);
  if (name === 'submit') return submitCommand(values);
  return verifyCommand(values);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`sign: ${error.message}\n\n${usage}`);
  } else if (error instanceof StatementRefusedError) {
    console.error(`sign: refused (${error.code}): ${error.message}`);
  } else if (error instanceof KeyStatementRefusedError) {
    console.error(`sign: refused: ${error.message}`);
  } else {
    console.error(`sign: ${(error as Error).message}`);
  }
  process.exitCode = 2;
}
