/**
 * The console's first page load stays small: the JavaScript that index.html loads before any screen
 * is opened (the entry chunk and everything it imports statically) is at most 300 KB gzipped. Charts,
 * the verifier and each screen come in chunks loaded on demand. Measured on the production build,
 * as `npm start` builds it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, sourceStamp, webDist } from '../../scripts/web-build.js';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const budgetBytes = 300 * 1024;

function manifest(): Record<string, ManifestChunk> {
  return JSON.parse(readFileSync(path.join(webDist, '.vite', 'manifest.json'), 'utf8'));
}

/** The entry's chunk and, transitively, every chunk it imports statically. */
function initialChunks(chunks: Record<string, ManifestChunk>): string[] {
  const entry = Object.entries(chunks).find(([, chunk]) => chunk.isEntry)?.[0];
  if (!entry) throw new Error('the manifest has no entry');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of chunks[key]?.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...seen].map((key) => chunks[key]?.file ?? key);
}

describe('the console bundle budget', () => {
  beforeAll(async () => {
    await ensureWebBuild(() => {});
  }, 120_000);

  it('loads at most 300 KB of gzipped JavaScript before a screen is opened', () => {
    const chunks = manifest();
    const files = initialChunks(chunks).filter((file) => file.endsWith('.js'));
    const sizes = files.map((file) => gzipSync(readFileSync(path.join(webDist, file))).length);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    console.log(
      `[bundle budget] initial JavaScript ${(total / 1024).toFixed(1)} KB gzipped of ${budgetBytes / 1024} KB ` +
        `(${files.map((file, index) => `${path.basename(file)} ${((sizes[index] ?? 0) / 1024).toFixed(1)} KB`).join(', ')})`,
    );
    expect(files.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(budgetBytes);
  });

  it('keeps every screen, and the chart library, out of the first load', () => {
    const chunks = manifest();
    const initial = new Set(initialChunks(chunks));
    const screens = Object.values(chunks).filter((chunk) => chunk.src?.startsWith('src/pages/'));
    expect(screens.length).toBeGreaterThan(0);
    for (const screen of screens) expect(initial.has(screen.file), screen.src).toBe(false);
    const charts = Object.values(chunks).filter((chunk) => chunk.src?.includes('node_modules/echarts/'));
    for (const chart of charts) expect(initial.has(chart.file), chart.src).toBe(false);
  });
});

describe("npm start's build of the console", () => {
  it("is current once built: the stamp is the sources' and a start does not build again", async () => {
    const stamp = readFileSync(path.join(webDist, '.build-stamp'), 'utf8').trim();
    expect(stamp).toBe(await sourceStamp());
    expect(await ensureWebBuild(() => {})).toBe('current');
  });
});
