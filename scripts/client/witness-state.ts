/**
 * A witness's state file, all `npm run witness` needs between rounds:
 *   { "format": "tradeproof-witness-state/v1",
 *     "witness": { "name", "publicKey": hex, "privateKey": hex, "id": uuid | null, "idempotencyKey" },
 *     "log": { "verifierKey": C2SP vkey pinned out of band, "origin" },
 *     "cosigned": null | { "treeSize", "rootHash": hex, "checkpoint": signed note, "cosignedAt": ISO } }
 * `id` is null until the registration went through (the key is written before it is registered, so a
 * lost answer cannot orphan a registered witness). `cosigned` is the last tree this witness
 * cosigned: the log must extend it. The file holds the witness's private key: mode 0600, and every
 * write replaces it whole (a temporary file renamed over it), so a crash leaves the old state or the
 * new one, never half of each.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseHex, publicKeyFromPrivate, toHex } from '../../services/crypto/index.js';
import { isValidKeyName, parseVerifierKey, signatureTypeEd25519 } from '../../services/crypto/signed-note.js';
import type { WitnessState } from './witness.js';

export const witnessStateFormat = 'tradeproof-witness-state/v1';
export const witnessStateBytesMax = 64 * 1024;

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

const stateSchema = z.strictObject({
  format: z.literal(witnessStateFormat),
  witness: z.strictObject({
    name: z.string().refine(isValidKeyName, 'must be a note key name: no spaces, no "+"'),
    publicKey: hex32,
    privateKey: hex32,
    id: z.uuid().nullable(),
    idempotencyKey: z.string().min(1).max(128),
  }),
  log: z.strictObject({
    verifierKey: z.string().min(1),
    origin: z.string().min(1),
  }),
  cosigned: z
    .strictObject({
      treeSize: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      rootHash: hex32,
      checkpoint: z.string().min(1),
      cosignedAt: z.iso.datetime({ offset: true }),
    })
    .nullable(),
});

export type WitnessStateFile = z.infer<typeof stateSchema>;

export class WitnessStateError extends Error {
  override name = 'WitnessStateError';
}

/** A new state: a witness key not yet registered, the pinned log key, nothing cosigned. */
export function newWitnessState(options: {
  name: string;
  logVerifierKey: string;
  origin?: string;
  privateKey?: Buffer;
}): WitnessStateFile {
  if (!isValidKeyName(options.name)) {
    throw new WitnessStateError(
      `--name ${JSON.stringify(options.name)} must be a note key name: no spaces, no "+"`,
    );
  }
  const logKey = logKeyProblem(options.logVerifierKey);
  if (logKey) throw new WitnessStateError(`--log-key ${logKey}`);
  const privateKey = options.privateKey ?? randomBytes(32);
  const publicKey = publicKeyFromPrivate(privateKey);
  return {
    format: witnessStateFormat,
    witness: {
      name: options.name,
      publicKey: toHex(publicKey),
      privateKey: toHex(privateKey),
      id: null,
      idempotencyKey: `witness-${toHex(publicKey).slice(0, 16)}`,
    },
    log: {
      verifierKey: options.logVerifierKey,
      origin: options.origin ?? options.logVerifierKey.slice(0, options.logVerifierKey.indexOf('+')),
    },
    cosigned: null,
  };
}

function logKeyProblem(vkey: string): string | null {
  const key = parseVerifierKey(vkey);
  if (key === null) return 'is not a C2SP verifier key "<name>+<key id>+<base64 key>"';
  if (key.type !== signatureTypeEd25519) return 'is not an Ed25519 note signing key (a witness key?)';
  return null;
}

/** Checks state file text; throws a WitnessStateError naming the file and the first problem. */
export function parseWitnessState(text: string, source: string): WitnessStateFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WitnessStateError(`${source}: not JSON (${(error as Error).message})`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    throw new WitnessStateError(`${source}: ${where}: ${issue?.message ?? 'not a witness state'}`);
  }
  const state = parsed.data;
  const privateKey = parseHex(state.witness.privateKey, 32);
  if (privateKey === null || toHex(publicKeyFromPrivate(privateKey)) !== state.witness.publicKey) {
    throw new WitnessStateError(`${source}: witness.publicKey is not the public key of witness.privateKey`);
  }
  const logKey = logKeyProblem(state.log.verifierKey);
  if (logKey) throw new WitnessStateError(`${source}: log.verifierKey ${logKey}`);
  return state;
}

export async function readWitnessState(file: string): Promise<WitnessStateFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ': create one with --init' : '';
    throw new WitnessStateError(`${file}: cannot read (${code ?? (error as Error).message})${hint}`);
  }
  if (Buffer.byteLength(text) > witnessStateBytesMax) {
    throw new WitnessStateError(`${file}: larger than ${witnessStateBytesMax} bytes`);
  }
  return parseWitnessState(text, file);
}

/** What witnessOnce remembers, from the state file. */
export function roundStateOf(state: WitnessStateFile): WitnessState | null {
  return state.cosigned && { size: state.cosigned.treeSize, rootHash: state.cosigned.rootHash };
}

/**
 * Writes the state: a fresh temporary file beside it (mode 0600), synced, renamed over `file`.
 * `create` refuses to replace an existing file (for --init: it would lose a witness key).
 */
export async function writeWitnessState(
  file: string,
  state: WitnessStateFile,
  options: { create?: boolean } = {},
): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.create) {
      // A link fails if the name is taken, where rename would replace it: no check-then-write window.
      await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') {
          throw new WitnessStateError(`${file}: exists already; refusing to overwrite a witness state`);
        }
        throw error;
      });
      await rm(temporary);
    } else {
      await rename(temporary, file);
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(path.dirname(file));
}

/** Makes the rename itself durable: without it a crash may bring back the old name's contents. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
