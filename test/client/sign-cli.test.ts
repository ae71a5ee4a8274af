/** `npm run sign` end to end, as a party would run it: a child process in the repository root. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, parseHex, sha256, verify } from '../../services/crypto/index.js';
import { keyAdditionStatement, registrationStatement } from '../../services/parties/key-statement.js';
import { preparedStatement } from './statements.js';

const root = new URL('../../', import.meta.url).pathname;
let directory: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input?: string): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sign.ts', ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function flipBit(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes[10] = (bytes[10] ?? 0) ^ 0x01;
  return bytes.toString('hex');
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-sign-cli-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('npm run sign', () => {
  it('makes a key, signs a statement from stdin and from a file, and verifies the signature', async () => {
    const keyFile = path.join(directory, 'key.json');
    const keygen = run(['keygen', '--out', keyFile]);
    expect(keygen.status).toBe(0);
    const publicKey = /publicKey (\w+)/.exec(keygen.stdout)?.[1] ?? '';
    const key = JSON.parse(await readFile(keyFile, 'utf8'));
    expect(publicKey).toBe(key.publicKey);
    expect(keygen.stdout).toContain(`keyId     ${keyIdOf(Buffer.from(publicKey, 'hex'))}`);

    const { statement, eventHash } = preparedStatement();
    const fromStdin = run(['sign', '--key', keyFile], statement);
    expect(fromStdin.status).toBe(0);
    const signed = JSON.parse(fromStdin.stdout);
    expect(signed.eventHash).toBe(eventHash);
    expect(
      verify(
        Buffer.from(publicKey, 'hex'),
        Buffer.from(eventHash, 'hex'),
        parseHex(signed.signature, 64) ?? Buffer.alloc(0),
      ),
    ).toBe(true);

    // Saved by an editor, with a trailing newline: the same statement, the same signature.
    const statementFile = path.join(directory, 'statement.json');
    await writeFile(statementFile, `${statement}\n`);
    const fromFile = run(['sign', '--key', keyFile, '--statement', statementFile, '--signature-only']);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout.trim()).toBe(signed.signature);

    const valid = run([
      'verify',
      '--public-key',
      publicKey,
      '--statement',
      statementFile,
      '--signature',
      signed.signature,
    ]);
    expect(valid.stdout).toMatch(/^valid/);
    expect(valid.status).toBe(0);

    const flipped = flipBit(signed.signature);
    const invalid = run([
      'verify',
      '--public-key',
      publicKey,
      '--statement',
      statementFile,
      '--signature',
      flipped,
    ]);
    expect(invalid.stdout).toMatch(/^invalid/);
    expect(invalid.status).toBe(1);
  });

  it('refuses to sign a statement that is not canonical, exiting 2', async () => {
    const keyFile = path.join(directory, 'refuse.json');
    expect(run(['keygen', '--out', keyFile]).status).toBe(0);
    const { envelope } = preparedStatement();
    const refused = run(['sign', '--key', keyFile], JSON.stringify(envelope, null, 2));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('statement_not_canonical');
    expect(refused.stdout).toBe('');
  });

  it('proves possession of a key for a registration, and signs a key addition statement', async () => {
    const keyFile = path.join(directory, 'prove.json');
    expect(run(['keygen', '--out', keyFile]).status).toBe(0);
    const key = JSON.parse(await readFile(keyFile, 'utf8'));
    const publicKey = Buffer.from(key.publicKey, 'hex');

    const registration = run(['prove', '--key', keyFile, '--registration-id', '91350100m000100y43 ']);
    expect(registration.status).toBe(0);
    const proof = JSON.parse(registration.stdout);
    const expected = registrationStatement('91350100M000100Y43', key.publicKey);
    expect(proof).toMatchObject({ publicKey: key.publicKey, statement: expected.statement });
    expect(verify(publicKey, expected.statementHash, Buffer.from(proof.proofOfPossession, 'hex'))).toBe(true);

    const addition = keyAdditionStatement({
      partyId: '0b5e1c3a-7d2f-4e8a-9c41-6f0a2b3c4d5e',
      publicKey: null,
      custodial: true,
      previousKeyId: key.keyId,
    });
    const signed = run(['prove', '--key', keyFile], `${addition.statement}\n`);
    expect(signed.status).toBe(0);
    const { statementHash, signature } = JSON.parse(signed.stdout);
    expect(statementHash).toBe(sha256(addition.statement).toString('hex'));
    expect(verify(publicKey, addition.statementHash, Buffer.from(signature, 'hex'))).toBe(true);
  });

  it('refuses to prove over anything but a key statement, such as an event statement, exiting 2', async () => {
    const keyFile = path.join(directory, 'prove-refuse.json');
    expect(run(['keygen', '--out', keyFile]).status).toBe(0);
    const refused = run(['prove', '--key', keyFile], preparedStatement().statement);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('not a canonical party.registration or party_key.addition statement');
    expect(refused.stdout).toBe('');
  });

  it('refuses to overwrite a key file, exiting 2', async () => {
    const keyFile = path.join(directory, 'twice.json');
    expect(run(['keygen', '--out', keyFile]).status).toBe(0);
    const again = run(['keygen', '--out', keyFile]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite');
  });

  it('prints usage for an unknown command and exits 2', () => {
    const unknown = run(['sing']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "sing"');
    expect(unknown.stderr).toContain('Usage: npm run sign');
  });

  it.each([
    [['keygen'], /--out is required/],
    [['sign', '--key', 'k.json', '--verbose'], /Unknown option '--verbose'/],
    [['verify', '--public-key', 'abcd', '--statement', 'x', '--signature', '00'], /--public-key must be/],
    [[], /a command is required/],
  ])('rejects bad arguments %j with a message and exit 2', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('prints usage on --help and exits 0', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('keygen --out <key.json>');
    expect(run(['sign', '--help']).status).toBe(0);
  });
});
