/**
 * Where `npm run sign -- keygen` may put a private key. A key file committed by accident is a key
 * published, and `git add -A` is one habit away, so by default keys go to a folder outside every
 * checkout, ~/.tradeproof/keys/<name>.json; a file named explicitly inside this repository must have
 * a name its .gitignore ignores (`*.key.json`, or the top-level folder `keys/`). test/client/key-location
 * .test.ts checks the rule here against `git check-ignore`, so the two cannot drift apart.
 */
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** The checkout this script runs from. */
export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');

/** The folder keys go to unless the user names a file, relative to the home folder. */
export const keyFolderInHome = path.join('.tradeproof', 'keys');

export const keyNameLengthMax = 64;
const keyNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The suffix and folder name the repository's .gitignore ignores. */
export const ignoredKeySuffix = '.key.json';
export const ignoredKeyFolder = 'keys';

export class KeyLocationError extends Error {
  override name = 'KeyLocationError';
}

export function defaultKeyFolder(home = homedir()): string {
  return path.join(home, keyFolderInHome);
}

/** The default key file of `name`: ~/.tradeproof/keys/<name>.json. */
export function defaultKeyPath(name: string, home = homedir()): string {
  if (name.length > keyNameLengthMax || !keyNamePattern.test(name)) {
    throw new KeyLocationError(
      `--name must be 1 to ${keyNameLengthMax} letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  if (name.endsWith('.json')) {
    throw new KeyLocationError(
      `--name is a name, not a file name: give "${name.slice(0, -5)}", or use --out`,
    );
  }
  return path.join(defaultKeyFolder(home), `${name}.json`);
}

/**
 * Whether a path relative to the repository root is one its .gitignore ignores: a name ending in
 * .key.json anywhere, or anything in the top-level keys/ folder (only there: a source folder named
 * keys deeper down must stay tracked).
 */
export function isIgnoredKeyPath(relative: string): boolean {
  const parts = relative.split(path.sep);
  return relative.endsWith(ignoredKeySuffix) || (parts.length > 1 && parts[0] === ignoredKeyFolder);
}

/** The real path of `file`, resolving links through its nearest existing ancestor (it may not exist yet). */
async function realPathOf(file: string): Promise<string> {
  const absolute = path.resolve(file);
  const rest: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    try {
      return path.join(await realpath(current), ...rest);
    } catch {
      if (path.dirname(current) === current) return absolute;
      rest.unshift(path.basename(current));
    }
  }
}

/**
 * Refuses a key file path inside the repository unless git ignores it; returns the path to write.
 * Outside the repository any path is the user's business.
 */
export async function checkKeyFilePath(file: string, root = repositoryRoot): Promise<string> {
  const [target, realRoot] = await Promise.all([realPathOf(file), realPathOf(root)]);
  const relative = path.relative(realRoot, target);
  const inside = relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..';
  if (inside && !path.isAbsolute(relative) && !isIgnoredKeyPath(relative)) {
    throw new KeyLocationError(
      `${file} is inside the repository under a name git does not ignore, so the private key could be committed: ` +
        `name it *${ignoredKeySuffix} or put it in the repository's ${ignoredKeyFolder}/ folder, or leave out --out to write ` +
        `it to ~/${keyFolderInHome.split(path.sep).join('/')}/`,
    );
  }
  return file;
}
