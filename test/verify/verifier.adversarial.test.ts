/**
 * Tampering with an event of a bundle or proof file: every bit of every hex field, the statement
 * text, the leaf index and the inclusion path. Each is rejected, naming the check that failed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, keyIdOf, toHex } from '../../services/crypto/index.js';
import type { BundleEvent, ProofBundle } from '../../services/verify/bundle-file.js';
import { type Verification, verifyBundle, verifyProofFile } from '../../services/verify/verifier.js';
import { bundleOf, clone, eventLabel, flipHexBit, newLog, proofFileOf, treeSize } from './material.js';

const log = newLog();
const logKey = log.vkey;
const genuine = bundleOf(log);

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

/** The bundle with event `position` changed by `change`, and the label the verifier gives it. */
function tampered(position: number, change: (event: BundleEvent) => void): [ProofBundle, string] {
  const bundle = clone(genuine);
  const event = bundle.events[position] ?? expect.fail(`event ${position}`);
  change(event);
  return [bundle, eventLabel(event, position)];
}

const positions = genuine.events.map((_, position) => position);

// Every bit of every one of the seven events, each tampered bundle verified from scratch: slow on a busy CI.
describe('a flipped bit in an event of a bundle', { timeout: 120_000 }, () => {
  it('passes untouched', () => {
    expect(failure(verifyBundle(genuine, { logKey }))).toBe('VALID');
  });

  const cases: [
    field: 'eventHash' | 'signature' | 'signerPublicKey' | 'keyId',
    bits: number,
    check: string,
  ][] = [
    ['eventHash', 256, 'statement does not hash to eventHash'],
    ['signature', 512, "signature does not verify with the signer's public key"],
    ['signerPublicKey', 256, 'keyId is not SHA-256 of the signer public key'],
    ['keyId', 256, 'keyId is not SHA-256 of the signer public key'],
  ];
  it.each(cases)('in %s (%i bits), every bit of every event: %s', (field, bits, check) => {
    for (const position of positions) {
      for (let bit = 0; bit < bits; bit += 1) {
        const [bundle, label] = tampered(position, (event) => {
          event[field] = flipHexBit(event[field], bit);
        });
        expect(failure(verifyBundle(bundle, { logKey })), `${field} bit ${bit}`).toBe(`${label}: ${check}`);
      }
    }
  });

  it('in a substituted signer key with its own matching keyId: the signature no longer verifies', () => {
    const stranger = generateKeyPair().publicKey;
    for (const position of positions) {
      const [bundle, label] = tampered(position, (event) => {
        event.signerPublicKey = toHex(stranger);
        event.keyId = keyIdOf(stranger);
      });
      expect(failure(verifyBundle(bundle, { logKey }))).toBe(
        `${label}: signature does not verify with the signer's public key`,
      );
    }
  });

  it('in any inclusion path element, every bit of every event', () => {
    for (const position of positions) {
      const pathLength = genuine.events[position]?.inclusionPath.length ?? 0;
      expect(pathLength).toBeGreaterThan(0);
      for (let element = 0; element < pathLength; element += 1) {
        for (let bit = 0; bit < 256; bit += 1) {
          const [bundle, label] = tampered(position, (event) => {
            const hash = event.inclusionPath[element] ?? expect.fail('a path element');
            event.inclusionPath[element] = flipHexBit(hash, bit);
          });
          expect(failure(verifyBundle(bundle, { logKey }))).toBe(
            `${label}: inclusion path does not lead to the checkpoint root`,
          );
        }
      }
    }
  });

  it('in the statement text, inside a string value: the hash no longer matches', () => {
    for (const position of positions) {
      const statement = genuine.events[position]?.statement ?? expect.fail('a statement');
      const start = statement.indexOf('"salt":"') + '"salt":"'.length;
      for (let offset = 0; offset < 32; offset += 1) {
        const index = start + offset;
        const flipped = String.fromCharCode(statement.charCodeAt(index) ^ 1);
        const [bundle, label] = tampered(position, (event) => {
          event.statement = statement.slice(0, index) + flipped + statement.slice(index + 1);
        });
        expect(failure(verifyBundle(bundle, { logKey }))).toBe(
          `${label}: statement does not hash to eventHash`,
        );
      }
    }
  });

  it('in the statement text, anywhere: not canonical JSON or not the hashed statement', () => {
    const statement = genuine.events[0]?.statement ?? expect.fail('a statement');
    const flips = fc.record({ index: fc.nat(statement.length - 1), bit: fc.nat(15) });
    fc.assert(
      fc.property(flips, ({ index, bit }) => {
        const [bundle, label] = tampered(0, (event) => {
          const flipped = String.fromCharCode(statement.charCodeAt(index) ^ (1 << bit));
          event.statement = statement.slice(0, index) + flipped + statement.slice(index + 1);
        });
        expect([
          `${label}: statement is not canonical JSON (RFC 8785)`,
          `${label}: statement does not hash to eventHash`,
        ]).toContain(failure(verifyBundle(bundle, { logKey })));
      }),
      { numRuns: 500 },
    );
  });
});

describe('a tampered leaf index or inclusion path', () => {
  it('rejects every other leaf index below the tree size', () => {
    for (const position of positions) {
      for (let leafIndex = 0; leafIndex < treeSize; leafIndex += 1) {
        if (leafIndex === genuine.events[position]?.leafIndex) continue;
        const [bundle, label] = tampered(position, (event) => {
          event.leafIndex = leafIndex;
        });
        expect(failure(verifyBundle(bundle, { logKey })), `leaf ${leafIndex}`).toBe(
          `${label}: inclusion path does not lead to the checkpoint root`,
        );
      }
    }
  });

  it('rejects a leaf index at or past the tree size', () => {
    for (const leafIndex of [treeSize, treeSize + 1, 2 ** 40]) {
      const [bundle, label] = tampered(0, (event) => {
        event.leafIndex = leafIndex;
      });
      expect(failure(verifyBundle(bundle, { logKey }))).toBe(
        `${label}: leafIndex ${leafIndex} is not below the tree size ${treeSize}`,
      );
    }
  });

  const pathChanges: [string, (path: string[]) => string[]][] = [
    ['truncated at the top', (path) => path.slice(0, -1)],
    ['truncated at the bottom', (path) => path.slice(1)],
    ['extended at the top', (path) => [...path, path[0] ?? '']],
    ['extended at the bottom', (path) => [genuine.events[1]?.eventHash ?? '', ...path]],
    ['emptied', () => []],
  ];
  it.each(pathChanges)('rejects a path %s', (_, change) => {
    for (const position of positions) {
      const [bundle, label] = tampered(position, (event) => {
        event.inclusionPath = change(event.inclusionPath);
      });
      expect(failure(verifyBundle(bundle, { logKey }))).toBe(
        `${label}: inclusion path does not lead to the checkpoint root`,
      );
    }
  });

  it('rejects every swap of adjacent siblings', () => {
    for (const position of positions) {
      const pathLength = genuine.events[position]?.inclusionPath.length ?? 0;
      expect(pathLength).toBeGreaterThan(1);
      for (let element = 0; element + 1 < pathLength; element += 1) {
        const [bundle, label] = tampered(position, (event) => {
          const { inclusionPath: path } = event;
          [path[element], path[element + 1]] = [path[element + 1] ?? '', path[element] ?? ''];
        });
        expect(failure(verifyBundle(bundle, { logKey }))).toBe(
          `${label}: inclusion path does not lead to the checkpoint root`,
        );
      }
    }
  });
});

describe('a tampered single proof file', () => {
  it('rejects a flipped bit in eventHash: by its statement when it has one, else by inclusion', () => {
    for (let bit = 0; bit < 256; bit += 1) {
      for (const withStatement of [true, false]) {
        const file = proofFileOf(log, 7, withStatement);
        const result = verifyProofFile({ ...file, eventHash: flipHexBit(file.eventHash, bit) }, { logKey });
        expect(failure(result)).toBe(
          withStatement
            ? 'statement does not hash to eventHash'
            : 'inclusion path does not lead to the checkpoint root',
        );
      }
    }
  });

  it('rejects a flipped bit in a path element, a wrong index and a swapped path', () => {
    const file = proofFileOf(log, 7, false);
    const inclusion = 'inclusion path does not lead to the checkpoint root';
    file.inclusionPath.forEach((hash, element) => {
      for (let bit = 0; bit < 256; bit += 1) {
        const inclusionPath = file.inclusionPath.with(element, flipHexBit(hash, bit));
        expect(failure(verifyProofFile({ ...file, inclusionPath }, { logKey }))).toBe(inclusion);
      }
    });
    for (const leafIndex of [6, 8]) {
      expect(failure(verifyProofFile({ ...file, leafIndex }, { logKey }))).toBe(inclusion);
    }
    const reversed = [...file.inclusionPath].reverse();
    expect(failure(verifyProofFile({ ...file, inclusionPath: reversed }, { logKey }))).toBe(inclusion);
  });

  it('rejects a file that does not match the format, naming the field', () => {
    const file = proofFileOf(log, 7);
    expect(failure(verifyProofFile({ ...file, eventHash: file.eventHash.toUpperCase() }, { logKey }))).toBe(
      'file shape: eventHash: must be 32 bytes of lowercase hex',
    );
    expect(failure(verifyProofFile({ ...file, leafIndex: -1 }, { logKey }))).toMatch(
      /^file shape: leafIndex: /,
    );
    expect(
      failure(verifyBundle({ ...genuine, events: [{ ...genuine.events[0], signature: 'ab' }] }, { logKey })),
    ).toBe('file shape: events[0].signature: must be 64 bytes of lowercase hex');
    expect(failure(verifyProofFile(null, { logKey }))).toMatch(/^file shape: /);
  });
});
