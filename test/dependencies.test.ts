/** What package.json promises about the runtime and the dependency tree. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url).pathname;

async function findPackages(name: string, directory = path.join(root, 'node_modules')): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    const full = path.join(directory, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...(await findPackages(name, full)));
      continue;
    }
    if (entry.name === name) found.push(full);
    found.push(...(await findPackages(name, path.join(full, 'node_modules'))));
  }
  return found;
}

describe('dependencies', () => {
  it('hold exactly one copy of graphql, so that schema objects are recognised everywhere', async () => {
    const copies = await findPackages('graphql');
    expect(copies.map((copy) => path.relative(root, copy))).toEqual(['node_modules/graphql']);
  });

  it('pin the majors that still run on Node 20', async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    const installed = async (name: string) =>
      JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8'))
        .version as string;
    expect(await installed('kysely')).toMatch(/^0\.28\./);
    expect(await installed('vitest')).toMatch(/^4\./);
    expect(await installed('testcontainers')).toMatch(/^11\./);
    expect(await installed('graphql')).toMatch(/^16\./);
    expect(manifest.engines.node).toContain('20');
  });

  it('run on the Node version this process has, within the engines range', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const supported = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 24;
    expect(supported).toBe(true);
  });
});
