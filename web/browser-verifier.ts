/**
 * The offline verifier in the browser: the console's "Verify a bundle" page runs the very code of
 * `npm run verify` (services/verify/verifier.ts and what it imports), not a copy. That code is
 * written for Node; this plugin makes it run in a page without changing it:
 * - the three modules that use node:crypto are replaced, wherever the services import them, by
 *   web/src/verify/ modules with the same exports built on @noble/hashes and @noble/ed25519;
 * - every services module that uses the global Buffer gets `import { Buffer } from 'buffer'`;
 * - any other Node builtin imported by a services module fails the build, rather than the page.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const services = path.join(root, 'services') + path.sep;

/** services module -> its browser equivalent. */
export const browserReplacements: ReadonlyMap<string, string> = new Map(
  ['digest', 'ed25519', 'secret-box'].map((name) => [
    path.join(root, 'services', 'crypto', `${name}.ts`),
    path.join(root, 'web', 'src', 'verify', `${name}.ts`),
  ]),
);

// `buffer` is also the name of the npm package that stands in for Node's Buffer here.
const builtins = new Set(
  builtinModules.flatMap((name) => [name, `node:${name}`]).filter((name) => name !== 'buffer'),
);
const bufferImport = /\bimport\s*\{[^}]*\bBuffer\b[^}]*\}\s*from/;

function fromServices(importer: string | undefined): importer is string {
  return importer !== undefined && path.resolve(importer.split('?')[0] ?? '').startsWith(services);
}

export function browserVerifier(): Plugin {
  return {
    name: 'tradeproof-browser-verifier',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!fromServices(importer)) return null;
      if (builtins.has(source)) {
        this.error(
          `${path.relative(root, importer)} imports ${source}, which has no browser equivalent in web/browser-verifier.ts`,
        );
      }
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const replacement = resolved && browserReplacements.get(path.resolve(resolved.id));
      return replacement ?? resolved;
    },
    transform(code, id) {
      if (!fromServices(id) || !/\bBuffer\b/.test(code) || bufferImport.test(code)) return null;
      // On the first line, so that line numbers (and source maps) stay as they were.
      return { code: `import { Buffer } from 'buffer';${code}`, map: null };
    },
  };
}
