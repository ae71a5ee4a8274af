/** Where keygen may write a private key: outside the repository, or under a name git ignores. */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkKeyFilePath,
  defaultKeyPath,
  isIgnoredKeyPath,
  KeyLocationError,
  repositoryRoot,
} from '../../scripts/client/key-location.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'tradeproof-key-location-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** What git itself says of a path under the repository's .gitignore, tracked or not. */
function gitIgnores(relative: string): boolean {
  const result = spawnSync('git', ['check-ignore', '--no-index', '--quiet', relative], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`git check-ignore failed (${result.status}): ${result.stderr || result.error}`);
  }
  return result.status === 0;
}

describe('key file locations', () => {
  it.each([
    'supplier.key.json',
    'deep/folder/supplier.key.json',
    'keys/supplier.json',
    'keys/2026/supplier.json',
    'supplier-key.json',
    'key.json',
    'keys.json',
    'supplier.key.json.bak',
    'services/keys/supplier.json',
    'test/keys.key/supplier.json',
  ])('agree with git check-ignore about %s', (relative) => {
    expect(isIgnoredKeyPath(relative)).toBe(gitIgnores(relative));
  });

  it('take any path outside the repository and git-ignored names inside it', async () => {
    expect(await checkKeyFilePath(path.join(directory, 'supplier.json'))).toBe(
      path.join(directory, 'supplier.json'),
    );
    const inside = path.join(repositoryRoot, 'keys', 'supplier.json');
    expect(await checkKeyFilePath(inside)).toBe(inside);
    expect(await checkKeyFilePath(path.join(repositoryRoot, 'supplier.key.json'))).toBeTruthy();
  });

  it('refuse a name git would not ignore inside the repository, even through a link from outside', async () => {
    await expect(checkKeyFilePath(path.join(repositoryRoot, 'supplier-key.json'))).rejects.toThrow(
      /inside the repository under a name git does not ignore/,
    );
    await expect(
      checkKeyFilePath(path.join(repositoryRoot, 'scripts', 'x', 'y.json')),
    ).rejects.toBeInstanceOf(KeyLocationError);
    const link = path.join(directory, 'checkout');
    await symlink(repositoryRoot, link);
    await expect(checkKeyFilePath(path.join(link, 'supplier-key.json'))).rejects.toBeInstanceOf(
      KeyLocationError,
    );
    expect(await checkKeyFilePath(path.join(link, 'supplier.key.json'))).toBeTruthy();
  });

  it('judge against the repository given, whatever folder it is', async () => {
    const root = path.join(directory, 'other-checkout');
    await mkdir(root);
    await expect(checkKeyFilePath(path.join(root, 'a.json'), root)).rejects.toBeInstanceOf(KeyLocationError);
    expect(await checkKeyFilePath(path.join(root, 'keys', 'a.json'), root)).toBeTruthy();
    expect(await checkKeyFilePath(path.join(directory, 'a.json'), root)).toBeTruthy();
  });

  it('put a named key in ~/.tradeproof/keys, and refuse names that are paths or file names', () => {
    expect(defaultKeyPath('supplier', '/home/lender')).toBe('/home/lender/.tradeproof/keys/supplier.json');
    expect(defaultKeyPath('bank-a_2026.1', '/h')).toBe('/h/.tradeproof/keys/bank-a_2026.1.json');
    for (const name of ['', '../x', 'a/b', '.hidden', 'a b', 'x'.repeat(65)]) {
      expect(() => defaultKeyPath(name, '/h'), name).toThrow(KeyLocationError);
    }
    expect(() => defaultKeyPath('supplier.json', '/h')).toThrow(/give "supplier"/);
  });
});
