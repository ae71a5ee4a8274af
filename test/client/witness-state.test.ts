/** The witness state file: checked on reading, replaced whole on writing, never overwritten by --init. */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newWitnessState,
  parseWitnessState,
  readWitnessState,
  WitnessStateError,
  writeWitnessState,
} from '../../scripts/client/witness-state.js';
import { generateKeyPair } from '../../services/crypto/index.js';
import { encodeVerifierKey, signatureTypeCosignatureV1 } from '../../services/crypto/signed-note.js';

const logKey = encodeVerifierKey('tradeproof.test/log', generateKeyPair().publicKey);
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-witness-state-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('witness state files', () => {
  it('are created once (0600), replaced whole afterwards, and leave no temporary file behind', async () => {
    const file = path.join(directory, 'state.json');
    const state = newWitnessState({ name: 'bank-a.test/witness', logVerifierKey: logKey });
    expect(state.log.origin).toBe('tradeproof.test/log');
    await writeWitnessState(file, state, { create: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readWitnessState(file)).toEqual(state);

    const other = newWitnessState({ name: 'bank-b.test/witness', logVerifierKey: logKey });
    await expect(writeWitnessState(file, other, { create: true })).rejects.toThrow(/exists already/);
    expect(await readWitnessState(file)).toEqual(state);

    const registered = {
      ...state,
      witness: { ...state.witness, id: '0b5e1c3a-7d2f-4e8a-9c41-6f0a2b3c4d5e' },
    };
    await writeWitnessState(file, registered);
    expect(await readWitnessState(file)).toEqual(registered);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['state.json']);
  });

  it('refuse a witness name a note cannot carry and a log key that is not an Ed25519 signing key', () => {
    expect(() => newWitnessState({ name: 'bank a', logVerifierKey: logKey })).toThrow(WitnessStateError);
    expect(() => newWitnessState({ name: 'w', logVerifierKey: 'tradeproof.test/log' })).toThrow(
      /is not a C2SP verifier key/,
    );
    const witnessKey = encodeVerifierKey('w', generateKeyPair().publicKey, signatureTypeCosignatureV1);
    expect(() => newWitnessState({ name: 'w', logVerifierKey: witnessKey })).toThrow(
      /not an Ed25519 note signing key/,
    );
  });

  it.each<[string, (state: Record<string, unknown>) => unknown, RegExp]>([
    ['another format', (state) => ({ ...state, format: 'v0' }), /format: /],
    ['an unknown field', (state) => ({ ...state, extra: 1 }), /Unrecognized key/],
    [
      'a private key of another public key',
      (state) => ({
        ...state,
        witness: { ...(state.witness as object), privateKey: generateKeyPair().privateKey.toString('hex') },
      }),
      /witness.publicKey is not the public key of witness.privateKey/,
    ],
    [
      'a negative tree size',
      (state) => ({
        ...state,
        cosigned: {
          treeSize: -1,
          rootHash: '00'.repeat(32),
          checkpoint: 'x',
          cosignedAt: '2026-01-01T00:00:00Z',
        },
      }),
      /cosigned.treeSize/,
    ],
  ])('name the problem of a file with %s', async (_label, edit, message) => {
    const state = newWitnessState({ name: 'w', logVerifierKey: logKey }) as unknown as Record<
      string,
      unknown
    >;
    const file = path.join(directory, `edited-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(edit(state)));
    await expect(readWitnessState(file)).rejects.toThrow(message);
    const text = await readFile(file, 'utf8');
    expect(() => parseWitnessState(text, file)).toThrow(WitnessStateError);
  });
});
