/**
 * The chain head statement: the log's own signature that, at a given checkpoint, the fact chain of
 * an invoice (every fact about it and its receivable tree, each naming the previous one in refs[0])
 * had `length` links ending at `headEventHash`. A proof bundle carries it, so a verifier can walk the
 * chain back from the head and notice any fact the bundle leaves out. Bound to the checkpoint by its
 * tree size and root hash; signed with the log key over its canonical JSON, which has no newline and
 * so can never be read as a signed note's text (checkpoints are signed notes of the same key).
 */
import { z } from 'zod';
import { canonicalJson, parseHex, sign, toHex, verify } from '../crypto/index.js';

export const chainHeadFormat = 'tradeproof-chain-head/v1';

export interface ChainHead {
  format: typeof chainHeadFormat;
  /** The log's origin line, as the checkpoint states it. */
  origin: string;
  treeSize: number;
  /** The checkpoint's root hash, lowercase hex. */
  rootHash: string;
  /** The subject of the chain: the invoice id. */
  chainId: string;
  length: number;
  headEventHash: string;
}

export interface SignedChainHead {
  /** Canonical JSON (RFC 8785) of a ChainHead. */
  statement: string;
  /** Ed25519 signature of the statement's UTF-8 bytes by the log key, hex. */
  signature: string;
}

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const chainHeadSchema = z.strictObject({
  format: z.literal(chainHeadFormat),
  origin: z.string().min(1),
  treeSize: z.number().int().min(1),
  rootHash: hex32,
  chainId: z.string().min(1),
  length: z.number().int().min(1),
  headEventHash: hex32,
});

export function signChainHead(head: Omit<ChainHead, 'format'>, logPrivateKey: Uint8Array): SignedChainHead {
  const statement = canonicalJson({ format: chainHeadFormat, ...head });
  return { statement, signature: toHex(sign(logPrivateKey, Buffer.from(statement))) };
}

/** The head, once its signature verifies with the log key and it is well formed; else why not. */
export function openChainHead(signed: SignedChainHead, logPublicKey: Uint8Array): ChainHead | string {
  const signature = parseHex(signed.signature, 64);
  if (signature === null) return 'its signature is not 64 bytes of hex';
  if (!verify(logPublicKey, Buffer.from(signed.statement), signature)) {
    return 'its signature does not verify with the log key';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(signed.statement);
  } catch {
    return 'its statement is not JSON';
  }
  if (canonicalJson(parsed) !== signed.statement) return 'its statement is not canonical JSON';
  const head = chainHeadSchema.safeParse(parsed);
  if (!head.success) return `its statement is not a chain head: ${head.error.issues[0]?.message ?? ''}`;
  return head.data;
}
