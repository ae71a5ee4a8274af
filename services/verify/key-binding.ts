/**
 * The key-binding check of a proof bundle. A leaf commits to an event's statement only, not to who
 * signed it, so anyone can re-sign a statement with a key of their own (and its own keyId). Hence
 * every event's signer key must be registered to the statement's actor by a registry event in the
 * same bundle: a `party.registered` or `party_key.added` stated by the platform naming that party,
 * keyId and public key. Each registry event's own key must be bound the same way, in a chain that
 * ends at the platform's self-registration, the one event allowed to bind its own signer key. A key
 * revoked by a `party_key.revoked` at an earlier leaf binds no later event. An event's `custodial`
 * mark must be what the registry event says of its key: the mark is not covered by any signature,
 * so it could otherwise be flipped to make a platform-signed fact look signed by the party. An event
 * whose statement is withheld from the requester names its actor beside it; its key must be bound
 * to that party, which is how the verifier knows who signed the hash it cannot read.
 *
 * Runs after the per-event checks: every statement is canonical JSON that hashes to its eventHash,
 * every keyId is the SHA-256 of its public key, every signature verifies.
 */
import { z } from 'zod';
import type { BundleEvent } from './bundle-file.js';
import { type Binding, keyAuthorityOutcome, type Revocation } from './key-authority.js';

const statementSchema = z.object({
  kind: z.string(),
  actor: z.string(),
  counterparty: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
type Statement = z.infer<typeof statementSchema>;

const registeredSchema = z.object({
  partyId: z.string(),
  roles: z.array(z.string()).optional(),
  key: z.object({ keyId: z.string(), publicKey: z.string(), custodial: z.boolean().optional() }).nullable(),
});
const addedSchema = z.object({
  partyId: z.string(),
  keyId: z.string(),
  publicKey: z.string(),
  custodial: z.boolean().optional(),
  authorization: z.string().optional(),
});
const revokedSchema = z.object({ partyId: z.string(), keyId: z.string() });

/** How the verifier names the event at `position` of a bundle. */
export function eventLabel(event: BundleEvent, position: number): string {
  return `events[${position}] (${event.kind} ${event.eventHash.slice(0, 8)}…)`;
}

/** A failed check's sentence, or null when every event's key is bound (each recorded in `checks`). */
export function keyBindingOutcome(events: readonly BundleEvent[], checks: string[]): string | null {
  const statements = events.map((event) =>
    event.statement === null ? null : parseStatement(event.statement),
  );
  const selfRegistrations = events.flatMap((event, position) => {
    const statement = statements[position];
    return isSelfRegistration(event, statement) ? [{ position, event, platform: statement.actor }] : [];
  });
  const [first] = selfRegistrations;
  if (first === undefined) {
    return 'key binding: the bundle holds no self-registration of the platform (a party.registered stated by a party about itself, signed by the key it registers)';
  }
  const { position: anchor, platform } = first;
  const rival = selfRegistrations.find((candidate) => candidate.platform !== platform);
  if (rival !== undefined) {
    return `key binding: events[${anchor}] and events[${rival.position}] are self-registrations of two different platforms`;
  }
  const anchors = selfRegistrations.map((candidate) => candidate.position);
  checks.push(
    `key binding: ${eventLabel(first.event, anchor)} is the self-registration of the platform ${platform}`,
  );
  const leafIndexes = events.map((event) => event.leafIndex);
  const bindings = statements.flatMap((statement, by) =>
    bindingsOf(statement, by, platform, leafIndexes[by] ?? 0),
  );
  const revocations = statements.flatMap((statement, by) =>
    revocationOf(statement, by, platform, leafIndexes[by] ?? 0),
  );
  const trusted = trustedRegistrations(events, statements, bindings, revocations, new Set(anchors));

  for (const [position, event] of events.entries()) {
    const label = eventLabel(event, position);
    const actor = event.statement === null ? event.actor : statements[position]?.actor;
    if (actor === undefined) {
      return `${label}: statement is not an event envelope (kind, actor, counterparty, payload)`;
    }
    const key = `signer key ${event.keyId.slice(0, 8)}…`;
    const claims = bindings.filter((binding) => binds(binding, actor, event));
    if (claims.length === 0) {
      return `${label}: ${key} is not registered to actor ${actor} by any registry event in the bundle`;
    }
    const stated = claims.filter((binding) => binding.byPlatform);
    if (stated.length === 0) {
      return `${label}: ${key} is registered to actor ${actor} only by ${positions(claims)}, not stated by the platform ${platform}`;
    }
    const binding = stated.find((candidate) => trusted.has(candidate.by));
    if (binding === undefined) {
      return `${label}: ${key} is registered to actor ${actor} only by ${positions(stated)}, whose own signer key is not bound to the platform's self-registration`;
    }
    const revoked = revokedBefore(revocations, actor, event);
    if (revoked !== undefined) {
      return `${label}: ${key} of actor ${actor} was revoked by events[${revoked.by}] (leaf ${revoked.leafIndex}) before this event (leaf ${event.leafIndex})`;
    }
    if (binding.custodial !== event.custodial) {
      const registered = binding.custodial
        ? 'a custodial key (the platform signs)'
        : 'a key the party holds itself';
      return `${label}: marked custodial: ${event.custodial}, but ${key} was registered by events[${binding.by}] as ${registered}`;
    }
    // Everything such a key signs rests on the platform's word, not the party's.
    const recovered = binding.recovered ? ', a key installed by administrator recovery' : '';
    checks.push(
      binding.by === position
        ? `${label}: ${key} is bound to actor ${actor} by this self-registration`
        : `${label}: ${key} is bound to actor ${actor} by events[${binding.by}]${recovered}`,
    );
  }
  const labels = events.map(eventLabel);
  const authority = { labels, statements, leafIndexes, platform, anchors: new Set(anchors) };
  return keyAuthorityOutcome({ ...authority, bindings, revocations }, checks);
}

/**
 * The registry events whose own signer key is bound, starting from the self-registrations: grown
 * until nothing more is bound, so a registry event never vouches for itself, even in a cycle.
 */
function trustedRegistrations(
  events: readonly BundleEvent[],
  statements: readonly (Statement | null)[],
  bindings: readonly Binding[],
  revocations: readonly Revocation[],
  anchors: ReadonlySet<number>,
): Set<number> {
  const trusted = new Set(anchors);
  let grown = true;
  while (grown) {
    grown = false;
    for (const { by } of bindings) {
      const event = events[by];
      const actor = statements[by]?.actor;
      if (trusted.has(by) || event === undefined || actor === undefined) continue;
      // Only an event already trusted can vouch, so one never vouches for itself.
      const bound = bindings.some(
        (binding) => binding.byPlatform && trusted.has(binding.by) && binds(binding, actor, event),
      );
      if (bound && revokedBefore(revocations, actor, event) === undefined) {
        trusted.add(by);
        grown = true;
      }
    }
  }
  return trusted;
}

function binds(binding: Binding, actor: string, event: BundleEvent): boolean {
  return (
    binding.partyId === actor && binding.keyId === event.keyId && binding.publicKey === event.signerPublicKey
  );
}

function revokedBefore(
  revocations: readonly Revocation[],
  actor: string,
  event: BundleEvent,
): Revocation | undefined {
  return revocations.find(
    (revocation) =>
      revocation.partyId === actor &&
      revocation.keyId === event.keyId &&
      revocation.leafIndex < event.leafIndex,
  );
}

/** A `party.registered` of a platform administrator by itself, signed by the key it registers. */
function isSelfRegistration(
  event: BundleEvent,
  statement: Statement | null | undefined,
): statement is Statement {
  if (statement?.kind !== 'party.registered') return false;
  const payload = registeredSchema.safeParse(statement.payload);
  if (!payload.success || payload.data.key === null) return false;
  const { partyId, roles, key } = payload.data;
  return (
    statement.actor === partyId &&
    statement.counterparty === partyId &&
    roles?.includes('platform_admin') === true &&
    key.keyId === event.keyId &&
    key.publicKey === event.signerPublicKey
  );
}

function bindingsOf(statement: Statement | null, by: number, platform: string, leafIndex: number): Binding[] {
  const byPlatform = statement?.actor === platform;
  if (statement?.kind === 'party.registered') {
    const payload = registeredSchema.safeParse(statement.payload);
    if (!payload.success || payload.data.key === null) return [];
    const { keyId, publicKey, custodial } = payload.data.key;
    const { partyId } = payload.data;
    return [
      {
        by,
        leafIndex,
        partyId,
        keyId,
        publicKey,
        custodial: custodial ?? false,
        byPlatform,
        recovered: false,
      },
    ];
  }
  if (statement?.kind === 'party_key.added') {
    const payload = addedSchema.safeParse(statement.payload);
    if (!payload.success) return [];
    const { partyId, keyId, publicKey, custodial, authorization } = payload.data;
    const recovered = authorization === 'administrator_recovery';
    return [
      { by, leafIndex, partyId, keyId, publicKey, custodial: custodial ?? false, byPlatform, recovered },
    ];
  }
  return [];
}

function revocationOf(
  statement: Statement | null,
  by: number,
  platform: string,
  leafIndex: number,
): Revocation[] {
  if (statement?.kind !== 'party_key.revoked' || statement.actor !== platform) return [];
  const payload = revokedSchema.safeParse(statement.payload);
  return payload.success ? [{ by, ...payload.data, leafIndex }] : [];
}

function parseStatement(statement: string): Statement | null {
  try {
    const parsed = statementSchema.safeParse(JSON.parse(statement));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function positions(bindings: readonly Binding[]): string {
  return bindings.map((binding) => `events[${binding.by}]`).join(', ');
}
