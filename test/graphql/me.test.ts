import { describe, expect, it } from 'vitest';
import { useTestLedger } from '../support/ledger.js';

const ledger = useTestLedger();

describe('me', () => {
  it('returns the party of the API key', async () => {
    const supplier = await ledger.newParty(['supplier']);
    const answer = await ledger.gql(
      '{ me { id roles registrationId keys { keyId status custodial } } }',
      {},
      supplier.apiKey,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.me).toMatchObject({ id: supplier.party.id, roles: ['SUPPLIER'] });
    expect(answer.data.me.keys).toHaveLength(1);
    expect(answer.data.me.keys[0]).toMatchObject({ status: 'ACTIVE', custodial: false });
  });
});
