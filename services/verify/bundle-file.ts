/**
 * The proof bundle a lender keeps: every event behind one receivable with its inclusion proof, the
 * checkpoint they are proven against, and the log's signed chain head, which lets the verifier walk
 * the invoice's fact chain and notice a fact left out. An event whose statement the requester may
 * not read (a trade document between two other parties) travels as its hash, signature and
 * inclusion proof only: `statement` null, `actor` naming who signed it.
 */
import { z } from 'zod';

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes of lowercase hex`);
const index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const bundleFormat = 'tradeproof-proof-bundle/v2';

export const bundleEventSchema = z
  .strictObject({
    eventId: z.string(),
    kind: z.string(),
    /** The canonical statement; null when withheld from the requester. */
    statement: z.string().min(2).nullable(),
    /** The party that signed it; stated here only when the statement is withheld (else it is in it). */
    actor: z.string().optional(),
    eventHash: hex(32),
    signature: hex(64),
    signerPublicKey: hex(32),
    keyId: hex(32),
    custodial: z.boolean(),
    leafIndex: index,
    inclusionPath: z.array(hex(32)).max(64),
  })
  .refine((event) => event.statement !== null || event.actor !== undefined, {
    message: 'an event without its statement must name its actor',
    path: ['actor'],
  });
export type BundleEvent = z.infer<typeof bundleEventSchema>;

export const proofBundleSchema = z.strictObject({
  format: z.literal(bundleFormat),
  receivableId: z.string(),
  treeSize: index,
  checkpoint: z.string().min(1).max(1_048_576),
  /** The log's signed statement of the invoice's chain head at this checkpoint (chain-head.ts). */
  chainHead: z.strictObject({ statement: z.string().min(2).max(4096), signature: hex(64) }),
  events: z.array(bundleEventSchema).min(1).max(10_000),
});
export type ProofBundle = z.infer<typeof proofBundleSchema>;
