/** `npm run sign` end to end, as a party would run it: a child process in the repository root. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, parseHex, sha256, verify } from '../../services/crypto/index.js';
import { keyAdditionStatement, registrationStatement } from '../../services/parties/key-statement.js';
import { preparedStatement } from './statements.js';

const root = new URL('../../', import.meta.url).pathname;
let directory: string;
let home: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with HOME set to the test's folder, so the default key folder is the test's own. */
function run(args: string[], input?: string): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/sign.ts', ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, HOME: home },
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
  home = path.join(directory, 'home');
  await mkdir(home);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

// Each run starts Node with tsx: seconds apiece on a busy 2-core machine.
describe('npm run sign', { timeout: 120_000 }, () => {
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

  it('writes a key to ~/.tradeproof/keys by default, outside the repository, in a folder only its owner reads', async () => {
    const keygen = run(['keygen']);
    expect(keygen.stderr).toBe('');
    expect(keygen.status).toBe(0);
    const keyId = /keyId {5}(\w+)/.exec(keygen.stdout)?.[1] ?? '';
    const file = path.join(home, '.tradeproof', 'keys', `key-${keyId.slice(0, 8)}.json`);
    expect(keygen.stdout).toContain(`wrote ${file} (mode 0600)`);
    expect(JSON.parse(await readFile(file, 'utf8')).keyId).toBe(keyId);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(home, '.tradeproof'))).mode & 0o777).toBe(0o700);

    const named = run(['keygen', '--name', 'supplier']);
    expect(named.status).toBe(0);
    const namedFile = path.join(home, '.tradeproof', 'keys', 'supplier.json');
    expect(named.stdout).toContain(`wrote ${namedFile} (mode 0600)`);
    const before = await readFile(namedFile, 'utf8');
    const again = run(['keygen', '--name', 'supplier']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`${namedFile}: exists already; refusing to overwrite a key file`);
    expect(await readFile(namedFile, 'utf8')).toBe(before);
    // The key it wrote signs: the path keygen printed is the one the other commands take.
    expect(run(['prove', '--key', namedFile, '--registration-id', '91350100M000100Y43']).status).toBe(0);
  });

  it('refuses a key file inside the repository under a name git would not ignore, writing nothing', async () => {
    const name = `sign-cli-test-${process.pid}.json`;
    const refused = run(['keygen', '--out', name]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      `sign: ${name} is inside the repository under a name git does not ignore, so the private key could be committed`,
    );
    expect(refused.stdout).toBe('');
    expect(existsSync(path.join(root, name))).toBe(false);
  });

  it.each([
    [['keygen', '--name', '../escape'], /--name must be 1 to 64 letters/],
    [['keygen', '--name', 'supplier.json'], /--name is a name, not a file name: give "supplier"/],
    [['keygen', '--name', 'a', '--out', 'b.key.json'], /give --name or --out, not both/],
  ])('refuses keygen %j with exit 2 and writes nothing', async (args, message) => {
    const before = await readdir(home, { recursive: true });
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await readdir(home, { recursive: true })).toEqual(before);
  });

  it('prints usage for an unknown command and exits 2', () => {
    const unknown = run(['sing']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "sing"');
    expect(unknown.stderr).toContain('Usage: npm run sign');
  });

  it.each([
    [['keygen', '--force'], /Unknown option '--force'/],
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
    expect(help.stdout).toContain('keygen [--name <name> | --out <file>]');
    expect(help.stdout).toContain('~/.tradeproof/keys/<name>.json');
    expect(run(['sign', '--help']).status).toBe(0);
  });
});
