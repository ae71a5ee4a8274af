/**
 * The files a lender keeps: the inclusion proof of DESIGN.md, and the proof bundle behind a receivable
 * (every event with its statement, signature, signer key and inclusion proof, plus the checkpoint).
 * The offline verifier reads these and nothing else.
 */
import { z } from 'zod';

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes of lowercase hex`);
const index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** DESIGN.md's proof file: one event's inclusion in the tree the checkpoint signs. */
export const proofFileSchema = z.strictObject({
  eventHash: hex(32),
  leafIndex: index,
  treeSize: index,
  inclusionPath: z.array(hex(32)).max(64),
  checkpoint: z.string().min(1).max(1_048_576),
  statement: z.string().optional(),
});
export type ProofFile = z.infer<typeof proofFileSchema>;

export const bundleFormat = 'tradeproof-proof-bundle/v1';

export const bundleEventSchema = z.strictObject({
  eventId: z.string(),
  kind: z.string(),
  statement: z.string().min(2),
  eventHash: hex(32),
  signature: hex(64),
  signerPublicKey: hex(32),
  keyId: hex(32),
  custodial: z.boolean(),
  leafIndex: index,
  inclusionPath: z.array(hex(32)).max(64),
});
export type BundleEvent = z.infer<typeof bundleEventSchema>;

/** Everything behind one receivable, proven against one checkpoint. */
export const proofBundleSchema = z.strictObject({
  format: z.literal(bundleFormat),
  receivableId: z.string(),
  treeSize: index,
  checkpoint: z.string().min(1).max(1_048_576),
  events: z.array(bundleEventSchema).min(1).max(10_000),
});
export type ProofBundle = z.infer<typeof proofBundleSchema>;

/** An older checkpoint and the consistency proof from its size to the newer one's. */
export const consistencyFileSchema = z.strictObject({
  checkpoint: z.string().min(1).max(1_048_576),
  fromSize: index,
  toSize: index,
  consistencyPath: z.array(hex(32)).max(128),
});
export type ConsistencyFile = z.infer<typeof consistencyFileSchema>;
