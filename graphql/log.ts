/** The Merkle log on the API: checkpoints, inclusion and consistency proofs, proof bundles, anchoring status. */
import type { LedgerEvent } from '../services/events/event.js';
import { findCheckpointOfSize, leafIndexesOf } from '../services/ledger/log-query.service.js';
import type { StoredCheckpoint } from '../services/ledger/proof.repository.js';
import { type ConsistencyProof, consistencyProof, inclusionProof } from '../services/ledger/proof.service.js';
import type { ProofFile } from '../services/ledger/proof-file.js';
import { proofBundle } from '../services/verify/bundle.service.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { EventRef } from './event.js';

export const CheckpointRef = builder.objectRef<StoredCheckpoint>('Checkpoint').implement({
  description: 'A C2SP tlog-checkpoint signed note: origin, tree size and root hash, signed by the log key.',
  fields: (t) => ({
    treeSize: t.exposeInt('treeSize'),
    rootHash: t.field({ type: 'HexBytes', resolve: (checkpoint) => checkpoint.rootHash }),
    note: t.exposeString('note', { description: 'The signed note text, byte for byte.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const InclusionProofRef = builder.objectRef<ProofFile>('InclusionProof').implement({
  description: 'RFC 9162 inclusion of one event in the tree the checkpoint signs.',
  fields: (t) => ({
    eventHash: t.exposeString('eventHash'),
    leafIndex: t.exposeInt('leafIndex'),
    treeSize: t.exposeInt('treeSize'),
    inclusionPath: t.exposeStringList('inclusionPath'),
    checkpoint: t.exposeString('checkpoint'),
    statement: t.string({ nullable: true, resolve: (proof) => proof.statement ?? null }),
    file: t.string({
      description: 'The proof file (JSON) that `npm run verify` checks offline.',
      resolve: (proof) => JSON.stringify(proof, null, 2),
    }),
  }),
});

const ConsistencyProofRef = builder.objectRef<ConsistencyProof>('ConsistencyProof').implement({
  description: 'RFC 9162 proof that the tree of fromSize is a prefix of the tree of toSize.',
  fields: (t) => ({
    fromSize: t.exposeInt('fromSize'),
    toSize: t.exposeInt('toSize'),
    consistencyPath: t.exposeStringList('consistencyPath'),
    fromCheckpoint: t.exposeString('fromCheckpoint'),
    toCheckpoint: t.exposeString('toCheckpoint'),
    file: t.string({
      description: 'The older-checkpoint file for `npm run verify -- … --older <file>`.',
      resolve: (proof) =>
        JSON.stringify(
          {
            checkpoint: proof.fromCheckpoint,
            fromSize: proof.fromSize,
            toSize: proof.toSize,
            consistencyPath: proof.consistencyPath,
          },
          null,
          2,
        ),
    }),
  }),
});

const ProofBundleRef = builder
  .objectRef<{ json: string; treeSize: number; eventCount: number }>('ProofBundle')
  .implement({
    description: 'Every event behind a receivable with its proofs and the checkpoint: what a lender keeps.',
    fields: (t) => ({
      json: t.exposeString('json', { description: 'Save it as a file; `npm run verify` checks it offline.' }),
      treeSize: t.exposeInt('treeSize'),
      eventCount: t.exposeInt('eventCount'),
    }),
  });

// One query for every event of a page, not one per event.
builder.objectField(EventRef, 'leafIndex', (t) =>
  t.loadable({
    type: 'Int',
    nullable: true,
    description: 'Its position in the log, or null while it waits to be anchored (about a second).',
    load: async (events: LedgerEvent[], context) => {
      const found = await leafIndexesOf(context.ledger, events);
      return events.map((event) => found.get(event.id) ?? null);
    },
    loaderOptions: { cacheKeyFn: (event: LedgerEvent) => event.id },
    resolve: (event: LedgerEvent) => event,
  }),
);

builder.queryFields((t) => ({
  logVerifierKey: t.string({
    description: 'The C2SP verifier key of the log: pin it, and give it to `npm run verify --log-key`.',
    resolve: (_root, _args, context) => context.logSigner.verifierKey,
  }),
  checkpoint: t.field({
    type: CheckpointRef,
    errors: domainErrors('CheckpointResult'),
    description: 'The latest checkpoint, or the one of the given tree size.',
    args: { treeSize: t.arg.int({ required: false }) },
    resolve: async (_root, args, context) =>
      unwrap(await findCheckpointOfSize(context.ledger, args.treeSize ?? null)),
  }),
  inclusionProof: t.field({
    type: InclusionProofRef,
    authScopes: { authenticated: true },
    errors: domainErrors('InclusionProofResult'),
    args: { eventId: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await inclusionProof(context.ledger, actorOf(context), args.eventId)),
  }),
  consistencyProof: t.field({
    type: ConsistencyProofRef,
    errors: domainErrors('ConsistencyProofResult'),
    args: { fromSize: t.arg.int({ required: true }), toSize: t.arg.int({ required: true }) },
    resolve: async (_root, args, context) =>
      unwrap(await consistencyProof(context.ledger, args.fromSize, args.toSize)),
  }),
  proofBundle: t.field({
    type: ProofBundleRef,
    authScopes: { authenticated: true },
    errors: domainErrors('ProofBundleResult'),
    args: { receivableId: t.arg({ type: 'UUID', required: true }) },
    resolve: async (_root, args, context) => {
      const bundle = unwrap(
        await proofBundle(context.ledger, context.logSigner, actorOf(context), args.receivableId),
      );
      return {
        json: JSON.stringify(bundle, null, 2),
        treeSize: bundle.treeSize,
        eventCount: bundle.events.length,
      };
    },
  }),
}));
