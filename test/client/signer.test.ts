import { describe, expect, it } from 'vitest';
import { StatementRefusedError, signStatement } from '../../scripts/client/signer.js';
import { generateKeyPair, parseHex, sha256, toHex, verify } from '../../services/crypto/index.js';
import { preparedStatement } from './statements.js';

function refusalOf(statement: string): string {
  try {
    signStatement(statement, generateKeyPair().privateKey);
  } catch (error) {
    if (error instanceof StatementRefusedError) return error.code;
    throw error;
  }
  return 'signed';
}

describe('signStatement', () => {
  it('signs the SHA-256 of the statement, verifiable with services/crypto', () => {
    const pair = generateKeyPair();
    const { statement, eventHash } = preparedStatement();
    const signed = signStatement(statement, pair.privateKey);
    expect(signed.eventHash).toBe(eventHash);
    expect(signed.eventHash).toBe(toHex(sha256(Buffer.from(statement, 'utf8'))));
    const signature = parseHex(signed.signature, 64);
    expect(signature).not.toBeNull();
    expect(verify(pair.publicKey, Buffer.from(eventHash, 'hex'), signature ?? Buffer.alloc(0))).toBe(true);
  });

  it('hashes non-ASCII text as UTF-8', () => {
    const { statement } = preparedStatement({ payload: { buyer: '上海电气', note: 'naïve €' } });
    const signed = signStatement(statement, generateKeyPair().privateKey);
    expect(signed.eventHash).toBe(toHex(sha256(Buffer.from(statement, 'utf8'))));
  });

  it('refuses a statement whose keys are reordered', () => {
    const { envelope } = preparedStatement();
    const { actor, ...rest } = envelope;
    expect(refusalOf(JSON.stringify({ ...rest, actor }))).toBe('statement_not_canonical');
  });

  it('refuses a statement with whitespace added', () => {
    const { envelope } = preparedStatement();
    expect(refusalOf(JSON.stringify(envelope, null, 2))).toBe('statement_not_canonical');
    expect(refusalOf(`${preparedStatement().statement}\n`)).toBe('statement_not_canonical');
  });

  it('refuses a statement with an extra field', () => {
    const { statement } = preparedStatement();
    expect(refusalOf(`${statement.slice(0, -1)},"signedBy":"me"}`)).toBe('statement_not_envelope');
  });

  it('refuses a statement with a field missing', () => {
    const { envelope } = preparedStatement();
    const { refs: _refs, ...rest } = envelope;
    const canonical = JSON.stringify(
      Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    expect(refusalOf(canonical)).toBe('statement_not_envelope');
  });

  it('refuses canonical JSON whose fields are not a valid envelope', () => {
    expect(refusalOf(preparedStatement({ actor: 'Not-A-UUID' }).statement)).toBe('statement_not_envelope');
    expect(refusalOf('{"a":1}')).toBe('statement_not_envelope');
    expect(refusalOf('[]')).toBe('statement_not_envelope');
  });

  it('refuses text that is not JSON', () => {
    expect(refusalOf('{"kind":')).toBe('statement_not_json');
  });
});
