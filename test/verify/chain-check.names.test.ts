/**
 * The proven receivable names its obligor and holder as the bundle's own registrations state them
 * ("Legal name (party id)"), and falls back to the bare id where the registration gives no name.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../services/events/envelope.js';
import { verifyBundle } from '../../services/verify/verifier.js';
import { bundleOf, clone, envelopeAt, eventLabel, newLog, partyIds, rootReceivableId } from './material.js';

const [partyA, partyB] = partyIds;

function proven(rewrite: Record<number, Envelope> = {}) {
  const log = newLog({ rewrite: (leaf) => rewrite[leaf] ?? null });
  const result = verifyBundle({ ...bundleOf(log), receivableId: rootReceivableId }, { logKey: log.vkey });
  if (!result.valid) throw new Error(result.failed);
  return result.proven;
}

describe('the parties of the proven receivable', () => {
  it('are named by the registrations in the bundle', () => {
    expect(proven()).toMatchObject({
      obligor: `Test party 1 (${partyA})`,
      holder: `Test party 2 (${partyB})`,
    });
  });

  it('are given by id where the registration carries no legal name', () => {
    const registration = envelopeAt(2);
    const { legalName: _none, ...payload } = registration.payload as Record<string, unknown>;
    expect(proven({ 2: { ...registration, payload } })).toMatchObject({
      obligor: `Test party 1 (${partyA})`,
      holder: partyB,
    });
  });
});

describe('the facts the platform signed for a party', () => {
  it('are none when every party of the chain signed with its own key', () => {
    expect(proven()?.custodialFacts).toEqual([]);
  });

  it("are named, each of them, when a party's key is custodial", () => {
    // Party B registered with a custodial key: its chain facts (the issue, the transfer) are the
    // platform's word, and the proof says which.
    const registration = envelopeAt(2);
    const payload = clone(registration.payload) as { key: Record<string, unknown> };
    payload.key.custodial = true;
    const log = newLog({ rewrite: (leaf) => (leaf === 2 ? { ...registration, payload } : null) });
    const bundle = clone({ ...bundleOf(log), receivableId: rootReceivableId });
    for (const event of bundle.events) {
      if (event.statement?.includes(`"actor":"${partyB}"`) && event.leafIndex > 2) event.custodial = true;
    }
    const result = verifyBundle(bundle, { logKey: log.vkey });
    if (!result.valid) throw new Error(result.failed);
    const expected = bundle.events.flatMap((event, position) =>
      [3, 7].includes(event.leafIndex) ? [eventLabel(event, position)] : [],
    );
    expect(result.proven?.custodialFacts).toEqual(expected);
  });
});
