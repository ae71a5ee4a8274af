/**
 * Completeness of a bundle, offline: the log's signed chain head, the walk back through refs[0], the
 * receivable the chain created, and statements withheld from a requester. Built without a database
 * (material.ts): every event is really in the tree and really signed, so only the check at hand fails.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../services/crypto/index.js';
import { signChainHead } from '../../services/verify/chain-head.js';
import { type Verification, verifyBundle } from '../../services/verify/verifier.js';
import {
  bundleOf,
  chainHeadOf,
  clone,
  eventLabel,
  invoiceId,
  newLog,
  newLogKey,
  origin,
  rootReceivableId,
} from './material.js';

const log = newLog();
const logKey = log.vkey;
const genuine = bundleOf(log);

function failure(result: Verification): string {
  return result.valid ? 'VALID' : result.failed;
}

const positionOf = (kind: string) => genuine.events.findIndex((event) => event.kind === kind);

describe('the chain of facts behind a bundle', () => {
  it('proves the root receivable too, with what its holder passed on', () => {
    const result = verifyBundle({ ...clone(genuine), receivableId: rootReceivableId }, { logKey });
    if (!result.valid) throw new Error(result.failed);
    expect(result.proven).toMatchObject({
      tier: 0,
      face: '1000.00',
      transferred: '400.00',
      settled: '60.00',
      outstanding: '540.00',
    });
  });

  it.each(['invoice.confirmed', 'receivable.transferred', 'payment.recorded'])(
    'fails with %s left out',
    (kind) => {
      const bundle = clone(genuine);
      const left = bundle.events.splice(positionOf(kind), 1)[0];
      const link =
        ['invoice.issued', 'invoice.confirmed', 'receivable.transferred', 'payment.recorded'].indexOf(kind) +
        1;
      expect(failure(verifyBundle(bundle, { logKey }))).toBe(
        `chain: link ${link} of 4 of the chain of invoice ${invoiceId} (event ${left?.eventHash.slice(0, 8)}…) is not in the bundle: a fact was left out`,
      );
    },
  );

  it('passes with the invoice withheld from the requester, its signer named beside it', () => {
    const bundle = clone(genuine);
    const position = positionOf('invoice.issued');
    const invoice = bundle.events[position] ?? expect.fail('no invoice');
    const actor = JSON.parse(invoice.statement ?? '{}').actor;
    Object.assign(invoice, { statement: null, actor });
    const result = verifyBundle(bundle, { logKey });
    expect(failure(result)).toBe('VALID');
    expect(result.checks).toContain(
      `${eventLabel(invoice, position)}: statement withheld from this requester; its hash, signature and inclusion are checked`,
    );
  });

  it('fails when a withheld invoice names another actor than its key belongs to', () => {
    const bundle = clone(genuine);
    const position = positionOf('invoice.issued');
    const invoice = bundle.events[position] ?? expect.fail('no invoice');
    const payer = JSON.parse(bundle.events[positionOf('payment.recorded')]?.statement ?? '{}').actor;
    Object.assign(invoice, { statement: null, actor: payer });
    expect(failure(verifyBundle(bundle, { logKey }))).toMatch(
      new RegExp(
        `^events\\[${position}\\] \\(invoice\\.issued [0-9a-f]{8}…\\): signer key [0-9a-f]{8}… is not registered to actor ${payer}`,
      ),
    );
  });

  it('fails when a fact after the invoice is withheld: its refs cannot be walked', () => {
    const bundle = clone(genuine);
    const position = positionOf('invoice.confirmed');
    const confirmation = bundle.events[position] ?? expect.fail('no confirmation');
    Object.assign(confirmation, { statement: null, actor: JSON.parse(confirmation.statement ?? '{}').actor });
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      `chain: link 2 of 4 of the chain of invoice ${invoiceId} (event ${confirmation.eventHash.slice(0, 8)}…), ${eventLabel(confirmation, position)}, carries no readable statement`,
    );
  });

  it('fails with a chain head that claims fewer facts, hiding the payment', () => {
    const bundle = clone(genuine);
    const transfer = bundle.events[positionOf('receivable.transferred')] ?? expect.fail('no transfer');
    const { format: _format, ...head } = JSON.parse(bundle.chainHead.statement);
    // Signed by someone else than the log: a requester cannot shorten the head.
    const forged = signChainHead(
      { ...head, length: 3, headEventHash: transfer.eventHash },
      newLogKey().privateKey,
    );
    expect(failure(verifyBundle({ ...bundle, chainHead: forged }, { logKey }))).toBe(
      'chain head: its signature does not verify with the log key',
    );
  });

  it('fails with the chain head of an older checkpoint', () => {
    const bundle = { ...clone(genuine), chainHead: chainHeadOf(log, 8) };
    expect(failure(verifyBundle(bundle, { logKey }))).toBe(
      `chain head: it is for ${origin} at size 8, not this checkpoint`,
    );
  });

  it('fails with a chain head the log signed for another tree of the same size', () => {
    const { format: _format, ...head } = JSON.parse(genuine.chainHead.statement);
    const chainHead = signChainHead({ ...head, rootHash: toHex(Buffer.alloc(32, 7)) }, log.privateKey);
    expect(failure(verifyBundle({ ...clone(genuine), chainHead }, { logKey }))).toBe(
      "chain head: its root hash is not the checkpoint's",
    );
  });

  it('fails a bundle of the older format, which cannot prove that nothing is missing', () => {
    const { chainHead: _head, ...rest } = clone(genuine);
    expect(failure(verifyBundle({ ...rest, format: 'tradeproof-proof-bundle/v1' }, { logKey }))).toMatch(
      /^file shape: format "tradeproof-proof-bundle\/v1" is not tradeproof-proof-bundle\/v2; .*ask the ledger for a new one$/,
    );
  });
});
