/**
 * The shape of a proof bundle as the offline verifier reads it, before any signature is checked:
 * hashes, keys and signatures are lowercase hex of their exact length, and an event withheld from
 * the requester must name who signed it. Each refusal says which field is wrong and what it must be.
 */
import { describe, expect, it } from 'vitest';
import type { ProofBundle } from '../../services/verify/bundle-file.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import { bundleOf, clone, eventLabel, newLog } from './material.js';

const log = newLog();
const bundle = bundleOf(log);

/** The verifier's outcome for the bundle with its first event changed by `patch`. */
function withFirstEvent(patch: (event: ProofBundle['events'][number]) => void) {
  const changed = clone(bundle);
  patch(changed.events[0] ?? expect.fail('no event'));
  const result = verifyBundle(changed, { logKey: log.vkey });
  return { failed: result.valid ? 'VALID' : result.failed, checks: result.checks };
}

describe('hex fields', () => {
  it.each([
    ['in upper case', (hex: string) => hex.toUpperCase()],
    ['one byte short', (hex: string) => hex.slice(2)],
    ['one byte long', (hex: string) => `${hex}00`],
  ])('refuses an event hash %s, saying it must be 32 bytes of lowercase hex', (_label, change) => {
    const { failed } = withFirstEvent((event) => {
      event.eventHash = change(event.eventHash);
    });
    expect(failed).toBe('file shape: events[0].eventHash: must be 32 bytes of lowercase hex');
  });

  it('refuses a signature of 32 bytes, saying it must be 64', () => {
    const { failed } = withFirstEvent((event) => {
      event.signature = event.signature.slice(0, 64);
    });
    expect(failed).toBe('file shape: events[0].signature: must be 64 bytes of lowercase hex');
  });

  it("refuses a chain head signature that is not hex, in the chain head's own field", () => {
    const changed = clone(bundle);
    changed.chainHead.signature = 'z'.repeat(128);
    const result = verifyBundle(changed, { logKey: log.vkey });
    expect(result.valid ? 'VALID' : result.failed).toBe(
      'file shape: chainHead.signature: must be 64 bytes of lowercase hex',
    );
  });
});

describe('an event withheld from the requester', () => {
  it('is refused when it does not name its actor', () => {
    const { failed } = withFirstEvent((event) => {
      event.statement = null;
    });
    expect(failed).toBe('file shape: events[0].actor: an event without its statement must name its actor');
  });

  it('passes the shape and is checked by hash, signature and inclusion when it names its actor', () => {
    // Leaf 5 is a document between the two parties, outside the invoice's chain.
    const withFiller = bundleOf(log, undefined, [0, 1, 2, 3, 5, 6, 7, 12]);
    const event = withFiller.events[4] ?? expect.fail('no event at leaf 5');
    event.actor = JSON.parse(event.statement ?? '{}').actor;
    event.statement = null;
    const result = verifyBundle(withFiller, { logKey: log.vkey });
    expect(result.valid ? 'VALID' : result.failed).toBe('VALID');
    expect(result.checks).toContain(
      `${eventLabel(event, 4)}: statement withheld from this requester; its hash, signature and inclusion are checked`,
    );
  });
});
