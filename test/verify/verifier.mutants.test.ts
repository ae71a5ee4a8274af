/**
 * The verifier's own sentences, each where a lender reads it: a file of the wrong shape (or no
 * object at all) is refused as such, and each per-event check names its event, its leaf and what
 * failed; a valid proof file and a valid bundle list every check they passed, in order.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keyIdOf } from '../../services/crypto/index.js';
import { bundleFormat } from '../../services/verify/bundle-file.js';
import { verifyBundle, verifyProofFile } from '../../services/verify/verifier.js';
import { bundleOf, clone, eventLabel, flipHexBit, newLog, proofFileOf, treeSize } from './material.js';

function failed(result: ReturnType<typeof verifyBundle>): string {
  return result.valid ? 'VALID' : result.failed;
}

describe('files that are not what they claim', () => {
  it('refuses a proof file of the wrong shape as such', () => {
    const log = newLog();
    expect(failed(verifyProofFile({}, { logKey: log.vkey }))).toMatch(/^file shape: \S/);
  });

  it('refuses a bundle that is no object, or has no format, as a file of the wrong shape', () => {
    const log = newLog();
    for (const input of [null, 'a bundle', 42, [], { format: bundleFormat }]) {
      expect(failed(verifyBundle(input, { logKey: log.vkey })), JSON.stringify(input)).toMatch(
        /^file shape: \S/,
      );
    }
    const { format: _none, ...formatless } = bundleOf(log);
    expect(failed(verifyBundle(formatless, { logKey: log.vkey }))).toMatch(/^file shape: \S/);
    expect(failed(verifyBundle(formatless, { logKey: log.vkey }))).not.toMatch(/older format/);
  });
});

describe('a valid proof file', () => {
  it('lists its checks from the file shape on', () => {
    const log = newLog();
    const result = verifyProofFile(proofFileOf(log, 6), { logKey: log.vkey });
    expect(result.valid).toBe(true);
    expect(result.checks[0]).toBe('file shape: proof file');
    expect(result.checks).toContain('statement is canonical JSON');
  });

  it('says when it takes the event hash without a statement', () => {
    const log = newLog();
    const result = verifyProofFile(proofFileOf(log, 6, false), { logKey: log.vkey });
    expect(result.valid).toBe(true);
    expect(result.checks).toContain('statement: none given; eventHash is taken as the file states it');
  });
});

describe("each event's own checks, named", () => {
  function tampered(change: (event: ReturnType<typeof bundleOf>['events'][number]) => void, position = 4) {
    const log = newLog();
    const bundle = clone(bundleOf(log));
    const event = bundle.events[position] ?? expect.fail('event');
    change(event);
    return { result: verifyBundle(bundle, { logKey: log.vkey }), label: eventLabel(event, position) };
  }

  it('refuses a keyId that is not the hash of the signer key', () => {
    const { result, label } = tampered((event) => {
      event.keyId = keyIdOf(generateKeyPair().publicKey);
    });
    expect(failed(result)).toBe(`${label}: keyId is not SHA-256 of the signer public key`);
  });

  it('refuses a signature that does not verify', () => {
    const { result, label } = tampered((event) => {
      event.signature = flipHexBit(event.signature, 3);
    });
    expect(failed(result)).toBe(`${label}: signature does not verify with the signer's public key`);
  });

  it('refuses an inclusion path that leads elsewhere, naming the event', () => {
    const { result, label } = tampered((event) => {
      event.inclusionPath[0] = flipHexBit(event.inclusionPath[0] ?? '', 0);
    });
    expect(failed(result)).toBe(`${label}: inclusion path does not lead to the checkpoint root`);
  });

  it('refuses a leaf index at the tree size, not only beyond it', () => {
    const { result, label } = tampered((event) => {
      event.leafIndex = treeSize;
    });
    expect(failed(result)).toBe(`${label}: leafIndex ${treeSize} is not below the tree size ${treeSize}`);
  });

  it('lists the leaf and inclusion checks of every event of a valid bundle', () => {
    const log = newLog();
    const bundle = bundleOf(log);
    const result = verifyBundle(bundle, { logKey: log.vkey });
    expect(result.valid).toBe(true);
    for (const [position, event] of bundle.events.entries()) {
      const label = eventLabel(event, position);
      expect(result.checks).toContain(
        `${label}: leafIndex ${event.leafIndex} is below the tree size ${treeSize}`,
      );
      expect(result.checks).toContain(`${label}: inclusion path leads to the checkpoint root`);
    }
  });
});
