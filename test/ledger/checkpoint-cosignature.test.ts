import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, sha256, sign } from '../../services/crypto/index.js';
import { encodeVerifierKey, parseNote, parseVerifierKey } from '../../services/crypto/signed-note.js';
import {
  cosignCheckpoint,
  formatCheckpointBody,
  signCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
} from '../../services/ledger/checkpoint.js';

const origin = 'tradeproof.example/log';

function key(name: string, type: 0x01 | 0x04) {
  const pair = generateKeyPair();
  const parsed = parseVerifierKey(encodeVerifierKey(name, pair.publicKey, type));
  if (!parsed) throw new Error('test key did not parse');
  return { ...pair, key: parsed, label: `${name}+${parsed.keyId.toString(16).padStart(8, '0')}` };
}

function lastLine(note: string): string {
  return note.split('\n').slice(-2, -1)[0] ?? '';
}

/** Ed25519 verification straight from node:crypto, apart from the module under test. */
function independentVerify(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
  return nodeVerify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature);
}

describe('checkpoint cosignatures', () => {
  const log = key('tradeproof.example/log', 0x01);
  const witness = key('witness.lender.example', 0x04);
  const otherWitness = key('witness.bank.example', 0x04);
  const checkpoint = { origin, treeSize: 7n, rootHash: sha256('root 7') };
  const note = signCheckpoint(checkpoint, log.key.name, log.privateKey);
  const cosigned = cosignCheckpoint(note, witness.key.name, witness.privateKey, 1_700_000_000);

  it('adds a cosignature the witness key verifies, leaving the log signature valid', () => {
    expect(cosigned.startsWith(note)).toBe(true);
    expect(verifyCosignature(cosigned, witness.key)).toEqual({
      ok: true,
      checkpoint: { ...checkpoint, extensions: [] },
      timestamp: 1_700_000_000,
    });
    expect(verifyCheckpoint(cosigned, log.key)).toMatchObject({ ok: true });
  });

  it('encodes key ID, big-endian timestamp and signature over the cosignature/v1 message', () => {
    const line = parseNote(cosigned)?.signatures[1];
    const expectedKeyId = createHash('sha256')
      .update(
        Buffer.concat([Buffer.from('witness.lender.example\n'), Buffer.from([0x04]), witness.publicKey]),
      )
      .digest()
      .readUInt32BE(0);
    expect(line?.keyId).toBe(expectedKeyId);
    expect(line?.signature).toHaveLength(72);
    expect(line?.signature.subarray(0, 8).toString('hex')).toBe(
      (1_700_000_000).toString(16).padStart(16, '0'),
    );
    const message = Buffer.from(`cosignature/v1\ntime 1700000000\n${formatCheckpointBody(checkpoint)}`);
    expect(line && independentVerify(witness.publicKey, message, line.signature.subarray(8))).toBe(true);
  });

  it('collects cosignatures from several witnesses', () => {
    const twice = cosignCheckpoint(cosigned, otherWitness.key.name, otherWitness.privateKey, 1_700_000_100);
    expect(verifyCosignature(twice, witness.key)).toMatchObject({ ok: true, timestamp: 1_700_000_000 });
    expect(verifyCosignature(twice, otherWitness.key)).toMatchObject({ ok: true, timestamp: 1_700_000_100 });
  });

  it('rejects a note cosigned only by another witness', () => {
    expect(verifyCosignature(cosigned, otherWitness.key)).toEqual({
      ok: false,
      reason: `note has no signature by a trusted key (trusted: ${otherWitness.label})`,
    });
  });

  it('rejects a cosignature moved onto another checkpoint', () => {
    const later = signCheckpoint(
      { origin, treeSize: 8n, rootHash: sha256('root 8') },
      log.key.name,
      log.privateKey,
    );
    const transplanted = `${later}${lastLine(cosigned)}\n`;
    expect(verifyCheckpoint(transplanted, log.key)).toMatchObject({ ok: true });
    expect(verifyCosignature(transplanted, witness.key)).toEqual({
      ok: false,
      reason: `signature line 2 by key ${witness.label} is invalid`,
    });
  });

  it('rejects a changed timestamp and a changed body', () => {
    const line = lastLine(cosigned);
    const bytes = Buffer.from(line.slice(line.lastIndexOf(' ') + 1), 'base64');
    bytes[11] = (bytes[11] ?? 0) ^ 1;
    const retimed = cosigned.replace(
      line,
      `${line.slice(0, line.lastIndexOf(' '))} ${bytes.toString('base64')}`,
    );
    const invalid = { ok: false, reason: `signature line 2 by key ${witness.label} is invalid` };
    expect(verifyCosignature(retimed, witness.key)).toEqual(invalid);
    expect(verifyCosignature(cosigned.replace('\n7\n', '\n6\n'), witness.key)).toEqual(invalid);
  });

  it('does not take a plain note signature by the witness key as a cosignature', () => {
    const message = Buffer.from(formatCheckpointBody(checkpoint));
    const prefix = Buffer.alloc(12);
    prefix.writeUInt32BE(witness.key.keyId);
    prefix.writeBigUInt64BE(0n, 4);
    const plain = `${note}— ${witness.key.name} ${Buffer.concat([prefix, sign(witness.privateKey, message)]).toString('base64')}\n`;
    expect(verifyCosignature(plain, witness.key)).toEqual({
      ok: false,
      reason: `signature line 2 by key ${witness.label} is invalid`,
    });
  });

  it('rejects a timestamp past the safe integer range and a wrong-length cosignature', () => {
    const timestamp = 2n ** 53n;
    const message = Buffer.from(`cosignature/v1\ntime ${timestamp}\n${formatCheckpointBody(checkpoint)}`);
    const prefix = Buffer.alloc(12);
    prefix.writeUInt32BE(witness.key.keyId);
    prefix.writeBigUInt64BE(timestamp, 4);
    const signature = Buffer.concat([prefix, sign(witness.privateKey, message)]);
    const far = `${note}— ${witness.key.name} ${signature.toString('base64')}\n`;
    expect(verifyCosignature(far, witness.key)).toEqual({
      ok: false,
      reason: `signature line 2 by key ${witness.label} has a timestamp out of range`,
    });
    const short = `${note}— ${witness.key.name} ${signature.subarray(0, 70).toString('base64')}\n`;
    expect(verifyCosignature(short, witness.key)).toEqual({
      ok: false,
      reason: `signature line 2 by key ${witness.label} is not an 8-byte timestamp and a 64-byte signature`,
    });
  });

  it('rejects the same witness cosigning twice, and refuses to cosign twice', () => {
    const doubled = `${cosigned}${lastLine(cosigned)}\n`;
    expect(verifyCosignature(doubled, witness.key)).toEqual({
      ok: false,
      reason: `key ${witness.label} signed the note more than once`,
    });
    expect(() => cosignCheckpoint(cosigned, witness.key.name, witness.privateKey, 1_700_000_001)).toThrow(
      'already signed the note',
    );
  });

  it('refuses a note key as a witness key, and to cosign what is no checkpoint', () => {
    expect(verifyCosignature(cosigned, log.key)).toEqual({
      ok: false,
      reason: 'witness key tradeproof.example/log is not a cosignature/v1 key',
    });
    expect(() => cosignCheckpoint('not a note\n', witness.key.name, witness.privateKey, 1)).toThrow(
      'cannot cosign',
    );
    expect(() => cosignCheckpoint(note, witness.key.name, witness.privateKey, -1)).toThrow(
      'non-negative integer',
    );
  });
});
