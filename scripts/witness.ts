/**
 * `npm run witness`: a lender's witness, one cosigning round per run (cron it). It keeps what it
 * needs in a state file (scripts/client/witness-state.ts): its key, the log key it pinned, and the
 * last tree it cosigned. A round verifies the latest checkpoint with the pinned key, proves that the
 * log grew from that tree by appending only, cosigns, submits, and only then replaces the state.
 * A log that fails either check gets no cosignature, and the state stays as it was: the witness
 * keeps the signed evidence of the tree it last vouched for.
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseHex } from '../services/crypto/index.js';
import { witnessVerifierKey } from '../services/ledger/witness.js';
import { checkKeyFilePath, KeyLocationError } from './client/key-location.js';
import { TradeproofClient, TradeproofError } from './client/tradeproof-client.js';
import { witnessOnce } from './client/witness.js';
import {
  newWitnessState,
  readWitnessState,
  roundStateOf,
  WitnessStateError,
  type WitnessStateFile,
  writeWitnessState,
} from './client/witness-state.js';

const usage = `Usage: npm run witness -- --state <file> --url <graphql url> [--api-key <key>]
       npm run witness -- --init --state <file> --url <graphql url> --name <witness name>
                          --log-key <log vkey> [--origin <origin>] [--api-key <key>]

One cosigning round: fetches the latest checkpoint, verifies it with the pinned log key, proves with
a consistency proof that the log only grew since the tree this witness last cosigned, cosigns it
(c2sp.org/tlog-cosignature), submits the cosignature and writes the new state. The first round takes
the checkpoint on the log key's signature alone. Run it on a schedule.

  --state <file>      the witness state (mode 0600: it holds the witness's private key); inside this
                      repository only a git-ignored name (*.key.json, keys/)
  --url <url>         the ledger's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql
  --api-key <key>     the API key of the lender or auditor the witness belongs to; default: the
                      TRADEPROOF_API_KEY environment variable (which, unlike an argument, ps does not show)
  --init              creates the state file with a new witness key and registers the witness
  --name <name>       with --init: the witness's key name, e.g. bank-a.example/witness
  --log-key <vkey>    with --init: the log's verifier key, obtained out of band and pinned
  --origin <origin>   with --init: the checkpoint origin line (default: the log key's name)
  --help              prints this text

Exit status: 0 cosigned, or nothing new to cosign; 1 refused: the checkpoint does not verify, the log
is not an extension of what this witness cosigned, or the ledger refused the cosignature (nothing is
written); 2 bad arguments or state file; 3 the ledger could not be reached or answered an error (the
state is unchanged: run again later).`;

class UsageError extends Error {}

/** The ledger could not be reached or did not answer as the API says: worth another try later. */
class UnavailableError extends Error {}

interface Arguments {
  state?: string | undefined;
  url?: string | undefined;
  'api-key'?: string | undefined;
  init?: boolean | undefined;
  name?: string | undefined;
  'log-key'?: string | undefined;
  origin?: string | undefined;
  help?: boolean | undefined;
}

function parseCommandLine(argv: string[]): Arguments {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        state: { type: 'string' },
        url: { type: 'string' },
        'api-key': { type: 'string' },
        init: { type: 'boolean' },
        name: { type: 'string' },
        'log-key': { type: 'string' },
        origin: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(values: Arguments, name: 'state' | 'url' | 'name' | 'log-key'): string {
  const value = values[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function clientOf(values: Arguments): TradeproofClient {
  const url = required(values, 'url');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got ${url}`);
  const apiKey = values['api-key'] ?? process.env.TRADEPROOF_API_KEY ?? '';
  if (apiKey === '') throw new UsageError('an API key is required: --api-key or TRADEPROOF_API_KEY');
  return new TradeproofClient({ url, apiKey });
}

/** Runs a request; transport and protocol failures become UnavailableError (401: a usage error). */
async function asked<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (!(error instanceof TradeproofError)) throw error;
    if (error.status === 401) throw new UsageError('the ledger refused the API key (HTTP 401)');
    throw new UnavailableError(error.message);
  }
}

const registerWitnessMutation = `mutation Register($name: String!, $publicKey: HexBytes!, $idempotencyKey: String!) {
  registerWitness(name: $name, publicKey: $publicKey, idempotencyKey: $idempotencyKey) {
    __typename
    ... on WitnessPayload { replayed witness { id name publicKey } }
    ... on DomainError { code message field retryable }
  }
}`;

type Registration =
  | {
      __typename: 'WitnessPayload';
      replayed: boolean;
      witness: { id: string; name: string; publicKey: string };
    }
  | { __typename: 'DomainError'; code: string; message: string; field: string | null; retryable: boolean };

/** The state of an --init that wrote its key but did not finish registering, when the options match it. */
async function unfinishedInit(file: string, name: string, logKey: string): Promise<WitnessStateFile | null> {
  let state: WitnessStateFile;
  try {
    state = await readWitnessState(file);
  } catch {
    return null;
  }
  const same = state.witness.name === name && state.log.verifierKey === logKey;
  return state.witness.id === null && same ? state : null;
}

async function init(values: Arguments): Promise<number> {
  const file = await checkKeyFilePath(required(values, 'state'));
  const name = required(values, 'name');
  const logKey = required(values, 'log-key');
  const client = clientOf(values);
  let state = await unfinishedInit(file, name, logKey);
  const resumed = state !== null;
  if (state === null) {
    state = newWitnessState({
      name,
      logVerifierKey: logKey,
      ...(values.origin === undefined ? {} : { origin: values.origin }),
    });
    // Written before registering: a registration whose answer is lost must not lose the key.
    await writeWitnessState(file, state, { create: true });
  } else if (values.origin !== undefined && values.origin !== state.log.origin) {
    throw new UsageError(`${file} pins origin ${state.log.origin}, not ${values.origin}`);
  }
  let answer: { registerWitness: Registration };
  try {
    answer = await asked(
      client.request<{ registerWitness: Registration }>(registerWitnessMutation, {
        name: state.witness.name,
        publicKey: state.witness.publicKey,
        idempotencyKey: state.witness.idempotencyKey,
      }),
    );
  } catch (error) {
    if (error instanceof UnavailableError || error instanceof UsageError) {
      error.message += `\n${file} holds the new witness key, not yet registered: run the same --init again`;
    }
    throw error;
  }
  const registered = answer.registerWitness;
  if (registered.__typename === 'DomainError') {
    // Refused for good: the key was never registered, so the file holds nothing worth keeping.
    if (!registered.retryable) await rm(file, { force: true });
    const kept = registered.retryable ? `${file} is kept: run the same --init again` : `${file} removed`;
    console.error(
      `witness: the ledger refused the registration: ${registered.code}: ${registered.message} (${kept})`,
    );
    return 2;
  }
  if (registered.witness.publicKey !== state.witness.publicKey || registered.witness.name !== name) {
    throw new UnavailableError('the ledger registered another key or name than the one sent');
  }
  state = { ...state, witness: { ...state.witness, id: registered.witness.id } };
  await writeWitnessState(file, state);
  const publicKey = bytesOf(state.witness.publicKey);
  console.log(
    `${resumed ? 'finished registering' : 'registered'} witness ${name} (id ${registered.witness.id})`,
  );
  console.log(`wrote ${file} (mode 0600): it holds the witness's private key; back it up`);
  console.log(`witness verifier key (checks its cosignatures): ${witnessVerifierKey({ name, publicKey })}`);
  console.log(`pinned log key ${state.log.verifierKey}, origin ${state.log.origin}`);
  console.log('next: run the same command without --init and its --name/--log-key/--origin, on a schedule');
  return 0;
}

async function round(values: Arguments): Promise<number> {
  const file = required(values, 'state');
  for (const option of ['name', 'log-key', 'origin'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} applies to --init only`);
  }
  const client = clientOf(values);
  const state = await readWitnessState(file);
  if (state.witness.id === null) {
    throw new UsageError(`${file}: the witness is not registered yet: run the --init that made it again`);
  }
  // Whole seconds: the cosignature's timestamp, and the time the state records for it.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const previous = state.cosigned;
  const result = await asked(
    witnessOnce({
      client,
      logVerifierKey: state.log.verifierKey,
      origin: state.log.origin,
      witnessId: state.witness.id,
      witnessName: state.witness.name,
      witnessPrivateKey: bytesOf(state.witness.privateKey),
      state: roundStateOf(state),
      now: () => now,
    }),
  );
  if (!result.ok) {
    console.error(`witness: REFUSED: ${result.reason}`);
    console.error(`nothing was cosigned, and ${file} is unchanged (last cosigned: ${sizeOf(previous)})`);
    return 1;
  }
  if (!result.cosigned) {
    console.log(
      `the log has not grown since size ${result.treeSize}, which this witness cosigned: nothing to do`,
    );
    return 0;
  }
  await writeWitnessState(file, {
    ...state,
    cosigned: {
      treeSize: result.state.size,
      rootHash: result.state.rootHash,
      checkpoint: result.checkpoint,
      cosignedAt: now.toISOString(),
    },
  });
  console.log(
    previous === null
      ? `first round: took the checkpoint of size ${result.treeSize} on the log key's signature alone`
      : `the checkpoint of size ${result.treeSize} extends size ${previous.treeSize}, which this witness cosigned before`,
  );
  console.log(
    `cosigned size ${result.treeSize} (root ${result.state.rootHash}) and submitted it; ${file} updated`,
  );
  return 0;
}

/** A key the state file check already found to be 32 bytes of hex. */
function bytesOf(hex: string): Buffer {
  const bytes = parseHex(hex, 32);
  if (bytes === null) throw new WitnessStateError(`not 32 bytes of hex: ${hex.slice(0, 8)}…`);
  return bytes;
}

function sizeOf(cosigned: WitnessStateFile['cosigned']): string {
  return cosigned === null ? 'nothing yet' : `size ${cosigned.treeSize}`;
}

async function main(argv: string[]): Promise<number> {
  const values = parseCommandLine(argv);
  if (values.help) {
    console.log(usage);
    return 0;
  }
  return values.init ? init(values) : round(values);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`witness: ${error.message}\n\n${usage}`);
    process.exitCode = 2;
  } else if (error instanceof WitnessStateError || error instanceof KeyLocationError) {
    console.error(`witness: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof UnavailableError) {
    console.error(`witness: the round did not complete: ${error.message}`);
    process.exitCode = 3;
  } else {
    // Not an expected failure: a bug, or the disk. Still one line, and the state is as it was.
    console.error(`witness: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
