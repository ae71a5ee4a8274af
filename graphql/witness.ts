/** Witnesses on the API: registration, cosignatures on checkpoints, and the admin's verifyLog. */
import { z } from 'zod';
import { cosignaturesOf, cosignedNoteOf, witnessesOf } from '../services/ledger/log-query.service.js';
import type { StoredCheckpoint } from '../services/ledger/proof.repository.js';
import {
  type LogProblem,
  type LogVerification,
  logChecks,
  verifyLog,
} from '../services/ledger/verify-log.service.js';
import { type Cosignature, type Witness, witnessVerifierKey } from '../services/ledger/witness.js';
import { cosignCheckpoint, registerWitness } from '../services/ledger/witness.service.js';
import { clientIdempotencyKeyLengthMax } from '../services/parties/input-checks.js';
import { builder } from './builder.js';
import { actorOf } from './context.js';
import { domainErrors, unwrap } from './domain-error.js';
import { screamingValues } from './enums.js';
import { CheckpointRef } from './log.js';

const WitnessRef = builder.objectRef<Witness>('Witness').implement({
  description: "A lender's key that cosigns checkpoints after checking them against the last it cosigned.",
  fields: (t) => ({
    id: t.expose('id', { type: 'UUID' }),
    name: t.exposeString('name', { description: 'The note key name its cosignatures carry.' }),
    publicKey: t.expose('publicKey', { type: 'HexBytes' }),
    verifierKey: t.string({
      description: 'The C2SP cosignature/v1 verifier key (type 0x04) that checks its cosignatures.',
      resolve: (witness) => witnessVerifierKey(witness),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CosignatureRef = builder.objectRef<Cosignature>('Cosignature').implement({
  description: 'A c2sp.org/tlog-cosignature of a checkpoint by a registered witness.',
  fields: (t) => ({
    witness: t.exposeString('witnessName', { description: 'The name of the witness key.' }),
    witnessId: t.expose('witnessId', { type: 'UUID' }),
    cosignedAt: t.expose('cosignedAt', { type: 'DateTime', description: 'The time the witness signed.' }),
    signatureLine: t.exposeString('signatureLine', {
      description: 'The note signature line, as appended to the checkpoint note.',
    }),
  }),
});

const WitnessPayload = builder
  .objectRef<{ witness: Witness; replayed: boolean }>('WitnessPayload')
  .implement({
    fields: (t) => ({
      witness: t.expose('witness', { type: WitnessRef }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const CosignaturePayload = builder
  .objectRef<{ cosignature: Cosignature; replayed: boolean }>('CosignaturePayload')
  .implement({
    fields: (t) => ({
      cosignature: t.expose('cosignature', { type: CosignatureRef }),
      replayed: t.exposeBoolean('replayed', {
        description: 'True when the witness had cosigned this size already: the first one is kept.',
      }),
    }),
  });

const LogCheckEnum = builder.enumType('LogCheck', {
  description: 'A check of verifyLog: the statement hash, signature and leaf of each event; each checkpoint.',
  values: screamingValues(logChecks),
});

const LogProblemRef = builder.objectRef<LogProblem>('LogProblem').implement({
  fields: (t) => ({
    check: t.field({ type: LogCheckEnum, resolve: (problem) => problem.check }),
    eventId: t.field({ type: 'UUID', nullable: true, resolve: (problem) => problem.eventId ?? null }),
    leafIndex: t.int({ nullable: true, resolve: (problem) => problem.leafIndex ?? null }),
    treeSize: t.int({ nullable: true, resolve: (problem) => problem.treeSize ?? null }),
    detail: t.exposeString('detail'),
  }),
});

const LogVerificationRef = builder.objectRef<LogVerification>('LogVerification').implement({
  description: 'Every anchored event and checkpoint checked against what was signed and logged.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    treeSize: t.exposeInt('treeSize'),
    eventsChecked: t.exposeInt('eventsChecked'),
    checkpointsChecked: t.exposeInt('checkpointsChecked'),
    problems: t.field({
      type: [LogProblemRef],
      description: 'The first 100 problems, each naming the event or checkpoint at fault.',
      resolve: (verification) => verification.problems,
    }),
  }),
});

builder.objectField(CheckpointRef, 'cosignatures', (t) =>
  t.field({
    type: [CosignatureRef],
    description: 'The witnesses that cosigned this checkpoint, oldest first.',
    resolve: (checkpoint: StoredCheckpoint, _args, context) =>
      cosignaturesOf(context.ledger, checkpoint.treeSize),
  }),
);

builder.objectField(CheckpointRef, 'cosignedNote', (t) =>
  t.string({
    description: 'The signed note with every cosignature line appended; it still verifies with the log key.',
    resolve: (checkpoint: StoredCheckpoint, _args, context) => cosignedNoteOf(context.ledger, checkpoint),
  }),
);

const idempotencyKeyArg = {
  description: 'Client-chosen key (1-128 chars): a replay returns the first answer and writes nothing.',
  validate: z.string().min(1).max(clientIdempotencyKeyLengthMax),
};

builder.mutationFields((t) => ({
  registerWitness: t.field({
    type: WitnessPayload,
    authScopes: { authenticated: true },
    errors: domainErrors('RegisterWitnessResult'),
    description: "Registers a witness key for the caller's party (lenders and auditors).",
    args: {
      name: t.arg.string({ required: true, description: 'Note key name: no spaces, no "+".' }),
      publicKey: t.arg({ type: 'HexBytes', required: true, description: 'Ed25519 public key, 32 bytes.' }),
      idempotencyKey: t.arg.string({ required: true, ...idempotencyKeyArg }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await registerWitness(context.ledger, actorOf(context), args)),
  }),
  cosignCheckpoint: t.field({
    type: CosignaturePayload,
    authScopes: { authenticated: true },
    errors: domainErrors('CosignCheckpointResult'),
    description: 'Stores a witness cosignature of a checkpoint; sizes only grow per witness.',
    args: {
      witnessId: t.arg({ type: 'UUID', required: true }),
      treeSize: t.arg.int({ required: true }),
      cosignature: t.arg.string({ required: true, description: 'The signature line "— <name> <base64>".' }),
    },
    resolve: async (_root, args, context) =>
      unwrap(await cosignCheckpoint(context.ledger, actorOf(context), args)),
  }),
}));

builder.queryFields((t) => ({
  witnesses: t.field({
    type: [WitnessRef],
    authScopes: { authenticated: true },
    description: "The caller's party's witnesses, oldest first (at most 100).",
    resolve: (_root, _args, context) => witnessesOf(context.ledger, actorOf(context)),
  }),
  verifyLog: t.field({
    type: LogVerificationRef,
    authScopes: { authenticated: true },
    errors: domainErrors('VerifyLogResult'),
    description: 'Checks the whole log in the database (administrators and auditors); slow on big logs.',
    resolve: async (_root, _args, context) =>
      unwrap(
        await verifyLog(context.ledger, actorOf(context), {
          logVerifierKey: context.logSigner.verifierKey,
        }),
      ),
  }),
}));
