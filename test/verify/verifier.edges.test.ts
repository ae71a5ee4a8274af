/** The verifier's edges: a witness key as the log key, checkpoints that are not, fromSize 0, odd statements. */
import { describe, expect, it } from 'vitest';
import { generateKeyPair, sha256, toHex } from '../../services/crypto/index.js';
import {
  encodeVerifierKey,
  signatureTypeCosignatureV1,
  signNote,
} from '../../services/crypto/signed-note.js';
import { emptyRoot } from '../../services/ledger/merkle.js';
import { type Verification, verifyBundle, verifyProofFile } from '../../services/verify/verifier.js';
import {
  bundleLeaves,
  bundleOf,
  checkpointOf,
  clone,
  consistencyFileOf,
  eventLabel,
  keyLabelOf,
  newLog,
  proofFileOf,
  treeSize,
} from './material.js';

const log = newLog();
const logKey = log.vkey;
const label = keyLabelOf(logKey);

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

describe('the log key', () => {
  it('refuses a witness cosignature key passed as the log key', () => {
    const witness = encodeVerifierKey(
      'witness.example',
      generateKeyPair().publicKey,
      signatureTypeCosignatureV1,
    );
    const expected = `log key: ${keyLabelOf(witness)} is a witness cosignature key, not an Ed25519 log key`;
    expect(failure(verifyBundle(bundleOf(log), { logKey: witness }))).toBe(expected);
    expect(failure(verifyProofFile(proofFileOf(log, 3), { logKey: witness }))).toBe(expected);
  });
});

describe('the checkpoint', () => {
  it('refuses a checkpoint that is not a well-formed note, saying why', () => {
    const bundle = { ...bundleOf(log), checkpoint: 'tradeproof.test/log\n13\n' };
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      'checkpoint: note has no empty line between the body and the signatures',
    );
    const file = { ...proofFileOf(log, 3), checkpoint: `${checkpointOf(log, treeSize)}\r` };
    expect(failure(verifyProofFile(file, { logKey }))).toMatch(
      /^checkpoint: note contains control character/,
    );
  });

  it('refuses a body the log key signed validly that is not a checkpoint', () => {
    const notCheckpoint = signNote('hello\n', log.name, log.privateKey);
    const result = failure(verifyBundle({ ...bundleOf(log), checkpoint: notCheckpoint }, { logKey }));
    expect(result).toBe('checkpoint: body has fewer than three lines (origin, tree size, root hash)');
  });

  it('lists every signer when the log key is not among them', () => {
    const stranger = generateKeyPair();
    const other = signNote(
      `${checkpointOf(log, treeSize).split('\n\n')[0]}\n`,
      'stranger',
      stranger.privateKey,
    );
    const strangerLabel = keyLabelOf(encodeVerifierKey('stranger', stranger.publicKey));
    expect(failure(verifyBundle({ ...bundleOf(log), checkpoint: other }, { logKey }))).toBe(
      `checkpoint: has no signature by log key ${label} (signed by ${strangerLabel})`,
    );
  });
});

describe('consistency from the empty tree', () => {
  it('accepts the empty checkpoint with an empty path, and refuses any path', () => {
    const fromEmpty = consistencyFileOf(log, 0);
    expect(fromEmpty.consistencyPath).toEqual([]);
    const bundle = bundleOf(log);
    expect(failure(verifyBundle(bundle, { logKey, older: fromEmpty }))).toBe('VALID');
    const withPath = { ...fromEmpty, consistencyPath: [toHex(emptyRoot())] };
    expect(failure(verifyBundle(bundle, { logKey, older: withPath }))).toBe(
      `consistency: older checkpoint (size 0) is not a prefix of this one (size ${treeSize})`,
    );
    expect(failure(verifyProofFile(proofFileOf(log, 3), { logKey, older: withPath }))).toBe(
      `consistency: older checkpoint (size 0) is not a prefix of this one (size ${treeSize})`,
    );
  });
});

describe('statements that hash correctly', () => {
  const position = bundleLeaves.indexOf(3);

  function withStatement(statement: string) {
    const bundle = clone(bundleOf(log));
    const event = bundle.events[position] ?? expect.fail('an event');
    event.statement = statement;
    event.eventHash = toHex(sha256(statement));
    return { bundle, event };
  }

  it('refuse a statement that is not JSON at all', () => {
    const { bundle, event } = withStatement('not json');
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      `${eventLabel(event, position)}: statement is not canonical JSON (RFC 8785)`,
    );
    const file = { ...proofFileOf(log, 3), statement: '{"kind"', eventHash: toHex(sha256('{"kind"')) };
    expect(failure(verifyProofFile(file, { logKey }))).toBe('statement is not canonical JSON (RFC 8785)');
  });

  it.each([
    ['no kind', '{"amount":"1"}'],
    ['a kind that is not a string', '{"kind":5}'],
    ['an array', '["receivable.transferred"]'],
    ['null', 'null'],
    ['a string', '"receivable.transferred"'],
  ])('refuse a statement with %s, whatever kind the event claims', (_case, statement) => {
    const { bundle, event } = withStatement(statement);
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      `${eventLabel(event, position)}: kind ${JSON.stringify(event.kind)} is not the kind its statement states (null)`,
    );
  });
});
