/**
 * Every fact kind x every role: a party that is exactly the party the fact needs, registered with
 * that one role, either records the fact or is refused with forbidden and nothing written. A new
 * fact kind without a row here fails the coverage test.
 */
import { describe, expect, it } from 'vitest';
import { factKinds, factSpec } from '../../services/events/fact.js';
import { prepareFact, recordFact, submitFact } from '../../services/events/fact.service.js';
import { type PartyRole, partyRoles } from '../../services/parties/party.js';
import '../../services/financing/index.js';
import '../../services/receivables/index.js';
import '../../services/trade/index.js';
import { freshKey } from '../support/fixtures.js';
import { useTestLedger } from '../support/ledger.js';
import { worlds } from './worlds.js';

const t = useTestLedger();

/** The roles of which the actor must hold one; which party may state it is the fact's own check. */
const allowed: Record<string, readonly PartyRole[]> = {
  'credit_limit.set': ['lender'],
  'credit_note.issued': ['supplier'],
  'financing.declined': ['lender'],
  'financing.disbursed': ['lender'],
  'financing.offer_accepted': ['supplier'],
  'financing.offered': ['lender'],
  'financing.requested': ['supplier'],
  'financing.withdrawn': ['supplier'],
  'goods_receipt.recorded': ['core_enterprise', 'supplier'],
  'invoice.cancelled': ['supplier'],
  'invoice.confirmed': ['core_enterprise', 'supplier'],
  'invoice.hold_resolved': ['core_enterprise', 'supplier'],
  'invoice.issued': ['supplier'],
  'payment.recorded': ['core_enterprise', 'supplier'],
  'purchase_order.recorded': ['core_enterprise', 'supplier'],
  'receivable.defaulted': ['core_enterprise', 'supplier', 'platform_admin'],
  'receivable.transferred': ['supplier'],
  'shipment.recorded': ['supplier'],
};

function allowedRoles(kind: string): readonly PartyRole[] {
  const roles = allowed[kind];
  if (!roles) throw new Error(`no row for ${kind}`);
  return roles;
}

function world(kind: string) {
  const build = worlds[kind];
  if (!build) throw new Error(`no world for ${kind}`);
  return build;
}

const rows = Object.keys(allowed).flatMap((kind) =>
  partyRoles.map((role): [string, PartyRole, 'allowed' | 'denied'] => [
    kind,
    role,
    allowedRoles(kind).includes(role) ? 'allowed' : 'denied',
  ]),
);

describe('the role table', () => {
  it('has a row and a world for every registered fact kind, and for nothing else', () => {
    expect(Object.keys(allowed).sort()).toEqual(factKinds());
    expect(Object.keys(worlds).sort()).toEqual(factKinds());
  });

  it.each(Object.keys(allowed))('is what the %s spec enforces', (kind) => {
    expect(factSpec(kind)?.roles).toEqual(allowed[kind]);
  });
});

/**
 * A statement the same party prepared while it held an allowed role: submitFact checks the role
 * again, so a party that lost it cannot append what it prepared before.
 */
async function preparedEarlier(kind: string, partyId: string, payload: Record<string, unknown>) {
  const roles = allowedRoles(kind).slice(0, 1);
  const prepared = await prepareFact(t.ledger, { partyId, roles }, kind, payload, freshKey(kind));
  if (!prepared.ok) throw new Error(`${prepared.code}: ${prepared.message}`);
  return prepared.value.statement;
}

describe.each(Object.keys(allowed))('%s', (kind) => {
  it.each(rows.filter((row) => row[0] === kind))('stated by a %s party: %s', async (_kind, role, verdict) => {
    const { caller, payload } = await world(kind)(t, role);
    expect(caller.actor.roles).toEqual([role]);
    const before = await t.snapshot();
    const result = await recordFact(t.ledger, caller.actor, kind, payload, freshKey(kind));
    if (verdict === 'allowed') {
      if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
      expect(result.value.event).toMatchObject({ kind, actorPartyId: caller.party.id });
      return;
    }
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(result).not.toHaveProperty('field');
    if (!result.ok) expect(result.message).toMatch(new RegExp(`states ${kind}; this party is ${role}$`));
    const statement = await preparedEarlier(kind, caller.party.id, payload);
    const submitted = await submitFact(t.ledger, caller.actor, statement, null);
    expect(submitted).toMatchObject({ ok: false, code: 'forbidden' });
    expect(submitted).not.toHaveProperty('field');
    expect(await t.snapshot()).toBe(before);
  });
});
