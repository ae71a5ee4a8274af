/** The log over GraphQL: anchoring status, checkpoints, inclusion and consistency proofs, proof bundles. */
import { describe, expect, it } from 'vitest';
import { parseVerifierKey } from '../../services/crypto/signed-note.js';
import { verifyCheckpoint } from '../../services/ledger/checkpoint.js';
import { leafHash } from '../../services/ledger/merkle.js';
import { verifyConsistency, verifyInclusion } from '../../services/ledger/verify.js';
import { anchorAll } from '../support/anchor.js';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

const anchor = () => anchorAll(ledger);

describe('the log over GraphQL', () => {
  it('shows pending events, then proves their inclusion against a checkpoint signed by the published key', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const events = await ledger.gql(
      '{ events(last: 1) { edges { node { id leafIndex eventHash } } } }',
      {},
      supplier.apiKey,
    );
    const event = events.data.events.edges[0].node;
    expect(event.leafIndex).toBeNull();
    const pending = await ledger.gql(
      `{ inclusionProof(eventId: "${event.id}") { __typename ... on DomainError { code retryable } } }`,
      {},
      supplier.apiKey,
    );
    expect(pending.data.inclusionProof).toEqual({
      __typename: 'DomainError',
      code: 'EVENT_NOT_ANCHORED',
      retryable: true,
    });

    const treeSize = await anchor();
    const answer = await ledger.gql(
      `{ logVerifierKey checkpoint { ... on Checkpoint { treeSize rootHash note } }
         inclusionProof(eventId: "${event.id}") { ... on InclusionProof { eventHash leafIndex treeSize inclusionPath checkpoint } } }`,
      {},
      supplier.apiKey,
    );
    if (!answer.data) throw new Error(JSON.stringify(answer.errors));
    const { logVerifierKey, checkpoint, inclusionProof } = answer.data;
    expect(checkpoint.treeSize).toBe(treeSize);
    const key = parseVerifierKey(logVerifierKey);
    if (!key) throw new Error('the published verifier key does not parse');
    const verified = verifyCheckpoint(inclusionProof.checkpoint, key, 'tradeproof.test/log');
    if (!verified.ok) throw new Error(verified.reason);
    expect(inclusionProof.eventHash).toBe(event.eventHash);
    const path = inclusionProof.inclusionPath.map((hex: string) => Buffer.from(hex, 'hex'));
    const leaf = leafHash(Buffer.from(event.eventHash, 'hex'));
    expect(
      verifyInclusion(leaf, inclusionProof.leafIndex, treeSize, path, verified.checkpoint.rootHash),
    ).toBe(true);
  });

  it('refuses an inclusion proof of an event the caller may not see', async () => {
    const owner = await ledger.newParty(['supplier']);
    const stranger = await ledger.newParty(['supplier']);
    await anchor();
    const events = await ledger.gql('{ events(last: 1) { edges { node { id } } } }', {}, owner.apiKey);
    const answer = await ledger.gql(
      `{ inclusionProof(eventId: "${events.data.events.edges[0].node.id}") { ... on DomainError { code } } }`,
      {},
      stranger.apiKey,
    );
    expect(answer.data.inclusionProof).toEqual({ code: 'EVENT_NOT_FOUND' });
  });

  it('proves that an older checkpoint is a prefix of a newer one', async () => {
    const older = await anchor();
    await ledger.newParty(['supplier']);
    const newer = await anchor();
    const answer = await ledger.gql(
      `{ consistencyProof(fromSize: ${older}, toSize: ${newer}) { ... on ConsistencyProof { consistencyPath fromCheckpoint toCheckpoint } }
         old: checkpoint(treeSize: ${older}) { ... on Checkpoint { rootHash } }
         new: checkpoint(treeSize: ${newer}) { ... on Checkpoint { rootHash } } }`,
    );
    const proof = answer.data.consistencyProof.consistencyPath.map((hex: string) => Buffer.from(hex, 'hex'));
    const roots = [answer.data.old.rootHash, answer.data.new.rootHash].map((hex: string) =>
      Buffer.from(hex, 'hex'),
    );
    expect(
      verifyConsistency(older, newer, roots[0] ?? Buffer.alloc(0), roots[1] ?? Buffer.alloc(0), proof),
    ).toBe(true);
    const missing = await ledger.gql('{ checkpoint(treeSize: 999999) { ... on DomainError { code } } }');
    expect(missing.data.checkpoint).toEqual({ code: 'CHECKPOINT_NOT_FOUND' });
  });
});
