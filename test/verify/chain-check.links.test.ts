/**
 * The walk of an invoice's chain where it breaks: a link that names no earlier fact, a chain whose
 * first fact is not the invoice's issue, a fact naming another invoice (wherever the bundle lists
 * it), facts that do not follow from one another, and a receivable the chain never created.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../services/crypto/index.js';
import type { Envelope } from '../../services/events/envelope.js';
import { rootFromLeafHashes } from '../../services/ledger/merkle.js';
import type { ProofBundle } from '../../services/verify/bundle-file.js';
import { signChainHead } from '../../services/verify/chain-head.js';
import { type Verification, verifyBundle } from '../../services/verify/verifier.js';
import {
  bundleOf,
  clone,
  envelopeAt,
  eventLabel,
  invoiceId,
  leafHashesOf,
  newLog,
  origin,
  treeSize,
} from './material.js';

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

function labelOf(bundle: ProofBundle, leaf: number): string {
  const position = bundle.events.findIndex((event) => event.leafIndex === leaf);
  return eventLabel(bundle.events[position] ?? expect.fail(`leaf ${leaf}`), position);
}

function logWith(rewrite: Record<number, Envelope>) {
  return newLog({ rewrite: (leaf) => rewrite[leaf] ?? null });
}

/** A bundle whose signed chain head says the chain of `chainId` has `length` facts, ending at `leaf`. */
function withHead(
  log: ReturnType<typeof newLog>,
  leaf: number,
  length: number,
  chainId = invoiceId,
  size = treeSize,
) {
  const bundle = clone(bundleOf(log));
  const head = log.events[leaf] ?? expect.fail(`leaf ${leaf}`);
  bundle.chainHead = signChainHead(
    {
      origin,
      treeSize: size,
      rootHash: toHex(rootFromLeafHashes(leafHashesOf(log, treeSize))),
      chainId,
      length,
      headEventHash: toHex(head.eventHash),
    },
    log.privateKey,
  );
  return bundle;
}

const hash8 = (log: ReturnType<typeof newLog>, leaf: number) =>
  toHex(log.events[leaf]?.eventHash ?? Buffer.alloc(0)).slice(0, 8);

describe('the chain head', () => {
  it('must be for the checkpoint of the bundle', () => {
    const log = newLog();
    const bundle = withHead(log, 12, 4, invoiceId, treeSize - 1);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `chain head: it is for ${origin} at size ${treeSize - 1}, not this checkpoint`,
    );
  });
});

describe('the walk back from the chain head', () => {
  it('stops at a link that names no earlier fact', () => {
    const payment = envelopeAt(12);
    const log = logWith({ 12: { ...payment, refs: [] } });
    const bundle = bundleOf(log);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `chain: link 4 of 4 of the chain of invoice ${invoiceId} (event ${hash8(log, 12)}…), ${labelOf(bundle, 12)}, names no earlier fact in refs[0]`,
    );
  });

  it('needs its first fact to be the issue of the invoice: not its confirmation', () => {
    const log = newLog();
    const bundle = withHead(log, 6, 1);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `chain: link 1 of 1 of the chain of invoice ${invoiceId} (event ${hash8(log, 6)}…), ${labelOf(bundle, 6)}, is not the issue of invoice ${invoiceId}`,
    );
  });

  it('needs its first fact to be the issue of this invoice, not of another', () => {
    const log = newLog();
    const other = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const bundle = withHead(log, 3, 1, other);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `chain: link 1 of 1 of the chain of invoice ${other} (event ${hash8(log, 3)}…), ${labelOf(bundle, 3)}, is not the issue of invoice ${other}`,
    );
  });
});

describe('the facts of the chain', () => {
  it('refuse a fact that names another invoice, wherever the bundle lists it', () => {
    const payment = envelopeAt(12);
    const other = '0f0e0d0c-0b0a-4908-8706-050403020100';
    const log = logWith({ 12: { ...payment, payload: { ...payment.payload, invoiceId: other } } });
    const bundle = bundleOf(log);
    const expected = `chain: ${labelOf(bundle, 12)} names invoice ${other}, not ${invoiceId}`;
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(expected);
    // Listed first, the payment is still a later link of the chain.
    const first = clone(bundle);
    const moved = first.events.splice(bundle.events.length - 1, 1)[0] ?? expect.fail('payment');
    first.events.unshift(moved);
    expect(failure(verifyBundle(first, { logKey: log.vkey }))).toBe(
      `chain: ${labelOf(first, 12)} names invoice ${other}, not ${invoiceId}`,
    );
  });

  it('refuse a fact that does not follow from those before it, naming it', () => {
    const payment = envelopeAt(12);
    const log = logWith({ 12: { ...payment, payload: { ...payment.payload, amount: '5000.00' } } });
    const bundle = bundleOf(log);
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toMatch(
      new RegExp(
        `^chain: ${labelOf(bundle, 12).replace(/[[\]().…]/g, '\\$&')} does not follow from the facts before it: \\S`,
      ),
    );
  });

  it('refuse a receivable the chain never created', () => {
    const log = newLog();
    const stranger = '1f1e1d1c-1b1a-4918-8716-151413121110';
    const bundle = { ...bundleOf(log), receivableId: stranger };
    expect(failure(verifyBundle(bundle, { logKey: log.vkey }))).toBe(
      `receivable: ${stranger} is not created by any fact of the chain of invoice ${invoiceId}`,
    );
  });
});
