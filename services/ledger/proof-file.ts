/**
 * The files a lender keeps: the inclusion proof of docs/design.md and a consistency file (an older
 * checkpoint with the proof that the log only grew since). The proof bundle behind a receivable is
 * services/verify/bundle-file.ts. The offline verifier reads these and nothing else.
 */
import { z } from 'zod';

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes of lowercase hex`);
const index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** docs/design.md's proof file: one event's inclusion in the tree the checkpoint signs. */
export const proofFileSchema = z.strictObject({
  eventHash: hex(32),
  leafIndex: index,
  treeSize: index,
  inclusionPath: z.array(hex(32)).max(64),
  checkpoint: z.string().min(1).max(1_048_576),
  statement: z.string().optional(),
});
export type ProofFile = z.infer<typeof proofFileSchema>;

/** An older checkpoint and the consistency proof from its size to the newer one's. */
export const consistencyFileSchema = z.strictObject({
  checkpoint: z.string().min(1).max(1_048_576),
  fromSize: index,
  toSize: index,
  consistencyPath: z.array(hex(32)).max(128),
});
export type ConsistencyFile = z.infer<typeof consistencyFileSchema>;
