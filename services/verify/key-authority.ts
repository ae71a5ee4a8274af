/**
 * The key-authority check of a proof bundle: a registry binding says the platform put a key on a
 * party, not that the party agreed. Each key statement travels in its registry event, so that:
 * - a self-held key proves possession: its signature of the registration or key addition statement;
 * - a `party_key.added` names the party's previous key, which must be the latest key bound to the
 *   party earlier in the bundle; replacing a self-held key needs that key's signature of the
 *   statement (not revoked before), unless the event is marked administrator recovery, which the
 *   check line then says; replacing a custodial key rests on the platform's word, and says so.
 * Without this, a platform (or a thief with a party's API key) could bind a key of its own to a
 * self-signing party and sign as that party in a bundle that passes every other check.
 */
import { z } from 'zod';
import { parseHex, sha256, verify } from '../crypto/index.js';
import { parseKeyAdditionStatement, parseRegistrationStatement } from '../parties/key-statement.js';

/** A registry event's claim that a key belongs to a party. */
export interface Binding {
  /** Position of the registry event in the bundle. */
  by: number;
  leafIndex: number;
  partyId: string;
  keyId: string;
  publicKey: string;
  custodial: boolean;
  /** Stated by the platform: only such an event binds a key. */
  byPlatform: boolean;
  /** Installed by administrator recovery, without the previous key's signature. */
  recovered: boolean;
}

export interface Revocation {
  by: number;
  partyId: string;
  keyId: string;
  leafIndex: number;
}

/** The registry statements the check reads, by position; null where an event is no envelope. */
export interface RegistryStatement {
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
}

const registeredKeySchema = z.object({
  registrationId: z.string(),
  key: z.object({
    publicKey: z.string(),
    // Left out, key-binding reads the key as self-held, so it must prove possession like one.
    custodial: z.boolean().optional(),
    statement: z.string().nullish(),
    proofOfPossession: z.string().nullish(),
  }),
});
const addedSchema = z.object({
  partyId: z.string(),
  keyId: z.string(),
  publicKey: z.string(),
  custodial: z.boolean(),
  previousKeyId: z.string().nullable(),
  authorization: z.enum(['rotated_by_previous_key', 'api_key', 'administrator_recovery']),
  statement: z.string(),
  currentKeySignature: z.string().nullable(),
  proofOfPossession: z.string().nullable(),
});
type Added = z.infer<typeof addedSchema>;

const short = (keyId: string) => `${keyId.slice(0, 8)}…`;

function signs(publicKeyHex: string, statement: string, signatureHex: string | null | undefined): boolean {
  const publicKey = parseHex(publicKeyHex, 32);
  const signature = typeof signatureHex === 'string' ? parseHex(signatureHex, 64) : null;
  if (publicKey === null || signature === null) return false;
  return verify(publicKey, sha256(Buffer.from(statement, 'utf8')), signature);
}

export interface AuthorityInput {
  labels: readonly string[];
  statements: readonly (RegistryStatement | null)[];
  leafIndexes: readonly number[];
  platform: string;
  anchors: ReadonlySet<number>;
  bindings: readonly Binding[];
  revocations: readonly Revocation[];
}

/** A failed check's sentence, or null when every registry key is authorized (recorded in `checks`). */
export function keyAuthorityOutcome(input: AuthorityInput, checks: string[]): string | null {
  for (const [position, statement] of input.statements.entries()) {
    if (statement?.actor !== input.platform || input.anchors.has(position)) continue;
    const label = input.labels[position] ?? `events[${position}]`;
    const failed =
      statement.kind === 'party.registered'
        ? registrationOutcome(label, statement, checks)
        : statement.kind === 'party_key.added'
          ? additionOutcome(label, position, statement, input, checks)
          : null;
    if (failed !== null) return failed;
  }
  return null;
}

function registrationOutcome(label: string, statement: RegistryStatement, checks: string[]): string | null {
  if (statement.payload.key == null) return null;
  const payload = registeredKeySchema.safeParse(statement.payload);
  // key-binding binds any stated key that has a keyId and a public key: skipping one this schema
  // cannot read (a statement that is no string, say) would bind a key of the platform's to a
  // self-signing party with no proof of possession.
  if (!payload.success) {
    return `${label}: party.registered states a key without what a registration carries (registrationId, key.publicKey, key.custodial, key.statement, key.proofOfPossession)`;
  }
  if (payload.data.key.custodial) return null;
  const { registrationId, key } = payload.data;
  const stated = parseRegistrationStatement(key.statement ?? '');
  const keyId = short(sha256(Buffer.from(key.publicKey, 'hex')).toString('hex'));
  if (stated?.registrationId !== registrationId || stated.publicKey !== key.publicKey) {
    return `${label}: the self-held key ${keyId} is registered without its registration statement for ${registrationId}`;
  }
  if (!signs(key.publicKey, key.statement ?? '', key.proofOfPossession)) {
    return `${label}: proof of possession of the registered key ${keyId} does not verify over its registration statement`;
  }
  checks.push(`${label}: the registered key ${keyId} proves possession over its registration statement`);
  return null;
}

function additionOutcome(
  label: string,
  position: number,
  statement: RegistryStatement,
  input: AuthorityInput,
  checks: string[],
): string | null {
  const parsed = addedSchema.safeParse(statement.payload);
  if (!parsed.success) {
    return `${label}: party_key.added carries no key addition statement with its signatures (previousKeyId, authorization, statement, currentKeySignature, proofOfPossession)`;
  }
  const added = parsed.data;
  const stated = parseKeyAdditionStatement(added.statement);
  if (
    stated?.partyId !== added.partyId ||
    stated.custodial !== added.custodial ||
    stated.publicKey !== (added.custodial ? null : added.publicKey) ||
    stated.previousKeyId !== added.previousKeyId
  ) {
    return `${label}: its key addition statement does not state this addition (party, key, custody or previous key differ)`;
  }
  if (!added.custodial) {
    if (!signs(added.publicKey, added.statement, added.proofOfPossession)) {
      return `${label}: proof of possession of the new key ${short(added.keyId)} does not verify over its key addition statement`;
    }
    checks.push(
      `${label}: the new key ${short(added.keyId)} proves possession over its key addition statement`,
    );
  }
  return previousKeyOutcome(label, position, added, input, checks);
}

function previousKeyOutcome(
  label: string,
  position: number,
  added: Added,
  input: AuthorityInput,
  checks: string[],
): string | null {
  const party = added.partyId;
  const leafIndex = input.leafIndexes[position] ?? 0;
  const latest = input.bindings
    .filter((binding) => binding.byPlatform && binding.partyId === party && binding.leafIndex < leafIndex)
    .reduce<Binding | undefined>(
      (last, binding) => (last && last.leafIndex > binding.leafIndex ? last : binding),
      undefined,
    );
  const previous = added.previousKeyId;
  if (previous === null) {
    if (latest === undefined) {
      checks.push(`${label}: the first key of party ${party}, by API key`);
      return null;
    }
    return `${label}: names no previous key, yet events[${latest.by}] bound key ${short(latest.keyId)} to party ${party} before it`;
  }
  if (latest === undefined) {
    return `${label}: replaces key ${short(previous)} of party ${party}, whose registration is not in the bundle`;
  }
  if (latest.keyId !== previous) {
    return `${label}: replaces key ${short(previous)}, yet the latest key bound to party ${party} before it is ${short(latest.keyId)} (events[${latest.by}])`;
  }
  const replaced = `key ${short(previous)} of party ${party}`;
  if (latest.custodial) {
    checks.push(
      `${label}: replaces the custodial ${replaced}: the platform's word, no signature of the party`,
    );
    return null;
  }
  if (added.authorization === 'administrator_recovery') {
    checks.push(
      `${label}: replaces the self-held ${replaced} by administrator recovery, without that key's signature`,
    );
    return null;
  }
  const revoked = input.revocations.find(
    (revocation) =>
      revocation.partyId === party && revocation.keyId === previous && revocation.leafIndex < leafIndex,
  );
  if (revoked !== undefined) {
    return `${label}: replaces the self-held ${replaced}, revoked by events[${revoked.by}] before it, and is not marked administrator recovery`;
  }
  if (signs(latest.publicKey, added.statement, added.currentKeySignature)) {
    checks.push(`${label}: signed by the self-held ${replaced} it replaces (bound by events[${latest.by}])`);
    return null;
  }
  return `${label}: replaces the self-held ${replaced} without a valid signature by that key, and is not marked administrator recovery`;
}
