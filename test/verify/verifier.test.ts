/** The offline verifier: real material passes; a wrong key, checkpoint, size or history is named. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../../services/crypto/index.js';
import { parseNote, signNote } from '../../services/crypto/signed-note.js';
import { type Verification, verifyBundle, verifyProofFile } from '../../services/verify/verifier.js';
import {
  bundleLeaves,
  bundleOf,
  checkpointOf,
  clone,
  consistencyFileOf,
  envelopeAt,
  eventLabel,
  invoiceId,
  keyLabelOf,
  newLog,
  newLogKey,
  olderSize,
  origin,
  partyIds,
  platformPartyId,
  proofFileOf,
  receivableId,
  signAsPartyOf,
  treeSize,
} from './material.js';

const log = newLog();
const logKey = log.vkey;
const label = keyLabelOf(logKey);

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

describe('a genuine proof', () => {
  it('passes as a bundle, every check listed in order', () => {
    const result = verifyBundle(bundleOf(log), { logKey, origin });
    expect(failure(result)).toBe('VALID');
    const events = bundleOf(log).events;
    const first = eventLabel(events[0] ?? expect.fail('an event'), 0);
    expect(result.checks.slice(0, 9)).toEqual([
      'file shape: proof bundle of 7 events for 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      `log key: ${label}`,
      `checkpoint: signed by log key ${label} (origin ${origin}, tree size ${treeSize})`,
      `tree size: ${treeSize}, as the checkpoint signs it`,
      `${first}: statement is canonical JSON`,
      `${first}: statement hashes to eventHash`,
      `${first}: kind matches the statement`,
      `${first}: keyId is SHA-256 of the signer public key`,
      expect.stringMatching(/^events\[0\] .*: signature verifies with the signer's public key/),
    ]);
    const key = (position: number) => `signer key ${events[position]?.keyId.slice(0, 8)}…`;
    const labelAt = (position: number) => eventLabel(events[position] ?? expect.fail('an event'), position);
    expect(result.checks.slice(4 + 7 * 7)).toEqual([
      `key binding: ${first} is the self-registration of the platform ${platformPartyId}`,
      `${first}: ${key(0)} is bound to actor ${platformPartyId} by this self-registration`,
      `${labelAt(1)}: ${key(1)} is bound to actor ${platformPartyId} by events[0]`,
      `${labelAt(2)}: ${key(2)} is bound to actor ${platformPartyId} by events[0]`,
      `${labelAt(3)}: ${key(3)} is bound to actor ${partyIds[1]} by events[2]`,
      `${labelAt(4)}: ${key(4)} is bound to actor ${partyIds[0]} by events[1]`,
      `${labelAt(5)}: ${key(5)} is bound to actor ${partyIds[1]} by events[2]`,
      `${labelAt(6)}: ${key(6)} is bound to actor ${partyIds[0]} by events[1]`,
      `${labelAt(1)}: the registered key ${events[4]?.keyId.slice(0, 8)}… proves possession over its registration statement`,
      `${labelAt(2)}: the registered key ${events[3]?.keyId.slice(0, 8)}… proves possession over its registration statement`,
      `chain head: signed by the log key for this checkpoint: invoice ${invoiceId} had 4 facts`,
      'chain: all 4 facts are in the bundle, each naming the one before it',
      `receivable: ${receivableId} is created by a fact of the chain`,
    ]);
    expect(result.checks).toHaveLength(4 + 7 * 7 + 1 + 7 + 2 + 3);
  });

  it('passes as a single proof file with its statement, without it, and with it given apart', () => {
    for (let leaf = 0; leaf < treeSize; leaf += 1) {
      const withStatement = proofFileOf(log, leaf);
      expect(failure(verifyProofFile(withStatement, { logKey })), `leaf ${leaf}`).toBe('VALID');
      const bare = proofFileOf(log, leaf, false);
      expect(failure(verifyProofFile(bare, { logKey, origin }))).toBe('VALID');
      const statement = withStatement.statement ?? expect.fail('a statement');
      expect(failure(verifyProofFile(bare, { logKey, statement }))).toBe('VALID');
      expect(failure(verifyProofFile(withStatement, { logKey, statement }))).toBe('VALID');
    }
  });

  it('passes with an older checkpoint of every size that the newer tree extends', () => {
    for (let fromSize = 0; fromSize <= treeSize; fromSize += 1) {
      const older = consistencyFileOf(log, fromSize);
      const result = verifyBundle(bundleOf(log), { logKey, older });
      expect(failure(result), `from size ${fromSize}`).toBe('VALID');
      expect(result.checks.at(-1)).toBe(
        `consistency: older checkpoint (size ${fromSize}) is a prefix of this one (size ${treeSize})`,
      );
      expect(failure(verifyProofFile(proofFileOf(log, 5), { logKey, older }))).toBe('VALID');
    }
  });
});

describe('the log key and the checkpoint', () => {
  it('rejects a log key that is not a vkey', () => {
    expect(failure(verifyBundle(bundleOf(log), { logKey: 'tradeproof.test/log+00000000+AAAA' }))).toBe(
      'log key: not a valid C2SP verifier key ("<name>+<8 hex key id>+<base64 key>")',
    );
  });

  it('rejects a wrong log key, even under the same name', () => {
    const other = newLogKey();
    expect(failure(verifyBundle(bundleOf(log), { logKey: other.vkey }))).toBe(
      `checkpoint: has no signature by log key ${keyLabelOf(other.vkey)} (signed by ${label})`,
    );
  });

  it('rejects a checkpoint signed by another key, under another name or the log name', () => {
    for (const other of [newLogKey('attacker.example/log'), newLogKey()]) {
      const bundle = { ...bundleOf(log), checkpoint: checkpointOf(log, treeSize, other) };
      expect(failure(verifyBundle(bundle, { logKey }))).toBe(
        `checkpoint: has no signature by log key ${label} (signed by ${keyLabelOf(other.vkey)})`,
      );
    }
  });

  it('rejects a signature line that claims the log key but does not verify', () => {
    const note = parseNote(checkpointOf(log, treeSize)) ?? expect.fail('a note');
    const logKeyId = Number.parseInt(label.split('+')[1] ?? '', 16);
    const line = (text: string) => Buffer.from(text.split('\n— ')[1]?.trim().split(' ')[1] ?? '', 'base64');
    const forged = line(signNote(note.body, log.name, newLogKey().privateKey));
    forged.writeUInt32BE(logKeyId, 0);
    const genuine = line(checkpointOf(log, treeSize));
    const flipped = Buffer.from(genuine);
    flipped[40] = (flipped[40] ?? 0) ^ 0x10;
    for (const signature of [forged, flipped]) {
      const checkpoint = `${note.body}\n— ${log.name} ${signature.toString('base64')}\n`;
      expect(failure(verifyBundle({ ...bundleOf(log), checkpoint }, { logKey }))).toBe(
        `checkpoint: signature by log key ${label} is invalid`,
      );
    }
  });

  it('rejects a flipped bit in the checkpoint root line', () => {
    const checkpoint = checkpointOf(log, treeSize);
    const [originLine, sizeLine, rootLine, ...rest] = checkpoint.split('\n');
    const root = Buffer.from(rootLine ?? '', 'base64');
    for (let bit = 0; bit < 256; bit += 1) {
      const flipped = Buffer.from(root);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const tampered = [originLine, sizeLine, flipped.toString('base64'), ...rest].join('\n');
      expect(failure(verifyBundle({ ...bundleOf(log), checkpoint: tampered }, { logKey }))).toBe(
        `checkpoint: signature by log key ${label} is invalid`,
      );
    }
  });

  it('rejects a checkpoint of another origin when one is expected', () => {
    expect(failure(verifyBundle(bundleOf(log), { logKey, origin: 'other.example/log' }))).toBe(
      `checkpoint: origin "${origin}" is not the expected "other.example/log"`,
    );
  });
});

describe('the tree size', () => {
  it('rejects a bundle or proof whose treeSize differs from the checkpoint by one', () => {
    for (const size of [treeSize - 1, treeSize + 1]) {
      expect(failure(verifyBundle({ ...bundleOf(log), treeSize: size }, { logKey }))).toBe(
        `bundle treeSize ${size} differs from the checkpoint's tree size ${treeSize}`,
      );
      expect(failure(verifyProofFile({ ...proofFileOf(log, 2), treeSize: size }, { logKey }))).toBe(
        `proof treeSize ${size} differs from the checkpoint's tree size ${treeSize}`,
      );
    }
  });

  it('rejects a proof for another tree size under this checkpoint', () => {
    const checkpoint = checkpointOf(log, treeSize);
    for (let size = 4; size < treeSize; size += 1) {
      const stale = proofFileOf(log, 3, true, size);
      expect(failure(verifyProofFile({ ...stale, treeSize, checkpoint }, { logKey })), `size ${size}`).toBe(
        'inclusion path does not lead to the checkpoint root',
      );
      expect(failure(verifyProofFile({ ...stale, checkpoint }, { logKey }))).toBe(
        `proof treeSize ${size} differs from the checkpoint's tree size ${treeSize}`,
      );
    }
  });
});

describe('statements', () => {
  it('rejects a statement that is not canonical JSON though hash, signature and inclusion match it', () => {
    const genuine = log.events[3] ?? expect.fail('leaf 3');
    const spaced = JSON.stringify(JSON.parse(genuine.statement), null, 1);
    expect(canonicalJson(JSON.parse(spaced))).toBe(genuine.statement);
    const eventHash = sha256(spaced);
    const lax = {
      ...log,
      events: log.events.map((event, index) =>
        index === 3
          ? { ...event, statement: spaced, eventHash, signature: signAsPartyOf(3, eventHash) }
          : event,
      ),
    };
    const bundle = bundleOf(lax);
    const position = bundleLeaves.indexOf(3);
    const event = bundle.events[position] ?? expect.fail('an event');
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      `${eventLabel(event, position)}: statement is not canonical JSON (RFC 8785)`,
    );
    expect(failure(verifyProofFile(proofFileOf(lax, 3), { logKey }))).toBe(
      'statement is not canonical JSON (RFC 8785)',
    );
    expect(failure(verifyProofFile(proofFileOf(lax, 3, false), { logKey }))).toBe('VALID');
  });

  it('rejects a kind that is not the statement kind', () => {
    const bundle = clone(bundleOf(log));
    const position = bundleLeaves.indexOf(7);
    const event = bundle.events[position] ?? expect.fail('an event');
    event.kind = 'receivable.financed';
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      `${eventLabel(event, position)}: kind "receivable.financed" is not the kind its statement states ("receivable.transferred")`,
    );
  });

  it('rejects a separately given statement of another event, or one differing from the file', () => {
    const other = log.events[4]?.statement ?? expect.fail('leaf 4');
    expect(failure(verifyProofFile(proofFileOf(log, 3, false), { logKey, statement: other }))).toBe(
      'statement does not hash to eventHash',
    );
    expect(failure(verifyProofFile(proofFileOf(log, 3), { logKey, statement: other }))).toBe(
      'statement given separately differs from the statement in the proof file',
    );
  });
});

describe('consistency with an older checkpoint', () => {
  it('rejects an older checkpoint that the rewritten history does not extend', () => {
    const rewritten = newLog({
      key: log,
      rewrite: (index) =>
        index === 4 ? { ...envelopeAt(4), payload: { amountMinor: '1', history: 'rewritten' } } : null,
    });
    const older = consistencyFileOf(log, olderSize, treeSize, rewritten);
    expect(failure(verifyBundle(bundleOf(rewritten), { logKey }))).toBe('VALID');
    expect(failure(verifyBundle(bundleOf(rewritten), { logKey, older }))).toBe(
      `consistency: older checkpoint (size ${olderSize}) is not a prefix of this one (size ${treeSize})`,
    );
    const honestProofOlderLie = consistencyFileOf(rewritten, olderSize, treeSize, rewritten);
    expect(failure(verifyBundle(bundleOf(log), { logKey, older: honestProofOlderLie }))).toBe(
      `consistency: older checkpoint (size ${olderSize}) is not a prefix of this one (size ${treeSize})`,
    );
  });

  it('rejects a consistency file with wrong sizes, a foreign key, or a flipped path bit', () => {
    const older = consistencyFileOf(log, olderSize);
    const bundle = bundleOf(log);
    const check = (file: unknown) => failure(verifyBundle(bundle, { logKey, older: file }));
    expect(check({ ...older, fromSize: olderSize + 1 })).toBe(
      `consistency: fromSize ${olderSize + 1} differs from the older checkpoint's tree size ${olderSize}`,
    );
    expect(check({ ...older, toSize: treeSize + 1 })).toBe(
      `consistency: toSize ${treeSize + 1} differs from this checkpoint's tree size ${treeSize}`,
    );
    expect(check({ ...older, checkpoint: checkpointOf(log, olderSize, newLogKey()) })).toMatch(
      /^consistency: older checkpoint: has no signature by log key /,
    );
    expect(check({ ...older, extra: 1 })).toMatch(/^consistency: file shape: /);
    older.consistencyPath.forEach((hash, position) => {
      const path = [...older.consistencyPath];
      path[position] = `${hash.slice(0, 63)}${(Number.parseInt(hash.slice(63), 16) ^ 1).toString(16)}`;
      expect(check({ ...older, consistencyPath: path })).toBe(
        `consistency: older checkpoint (size ${olderSize}) is not a prefix of this one (size ${treeSize})`,
      );
    });
  });
});
