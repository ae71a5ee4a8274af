/**
 * RFC 8785 (JCS) canonical JSON: the exact bytes that are hashed and signed. The `canonicalize`
 * package does the serialization; this module first refuses anything that is not plain JSON, because
 * JSON.stringify would otherwise drop or coerce it silently and two parties would sign different facts.
 */
import canonicalize from 'canonicalize';

// A lone surrogate cannot be encoded as UTF-8; in unicode mode only unpaired halves match \p{Cs}.
// (String.prototype.isWellFormed exists on Node 20 but not in the ES2023 lib this project targets.)
const loneSurrogate = /\p{Cs}/u;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(path: string, key: string): string {
  return identifier.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name} instance` : 'a non-plain object';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function assertString(value: string, path: string, what: string): void {
  if (loneSurrogate.test(value)) {
    throw new TypeError(`canonicalJson: ${what} at ${path} contains a lone UTF-16 surrogate`);
  }
}

// `ancestors` catches cycles; a value shared by two branches (a DAG) is fine and serializes twice.
function assertPlainJson(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      assertString(value, path, 'string');
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${value} at ${path} is not a JSON number`);
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${describe(value)} at ${path} is not JSON`);
  }
  if (value === null) return;
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: circular reference at ${path}`);
  if (!Array.isArray(value) && !isPlainObject(value)) {
    throw new TypeError(`canonicalJson: ${describe(value)} at ${path} is not a plain object or array`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new TypeError(`canonicalJson: symbol-keyed property at ${path} is not JSON`);
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    // Indexing (not forEach) so that holes in sparse arrays are seen as undefined and refused.
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === undefined) throw new TypeError(`canonicalJson: undefined at ${path}[${index}]`);
      assertPlainJson(item, `${path}[${index}]`, ancestors);
    }
  } else {
    for (const [key, item] of Object.entries(value)) {
      const itemPath = childPath(path, key);
      assertString(key, itemPath, 'key');
      if (item === undefined) throw new TypeError(`canonicalJson: undefined at ${itemPath}`);
      assertPlainJson(item, itemPath, ancestors);
    }
  }
  ancestors.delete(value);
}

/**
 * RFC 8785 canonical JSON text of a plain JSON value: keys sorted by UTF-16 code units, ECMAScript
 * number serialization, minimal string escaping. Throws a TypeError naming the path of the first
 * value that is not plain JSON (undefined, functions, symbols, bigint, NaN/Infinity, Dates, Maps,
 * class instances, cycles, lone surrogates); callers build payloads, so such a value is a bug.
 */
export function canonicalJson(value: unknown): string {
  assertPlainJson(value, '$', new Set());
  const text = canonicalize(value);
  if (text === undefined)
    throw new Error('canonicalJson: canonicalize returned undefined for a checked value');
  return text;
}

/** UTF-8 bytes of {@link canonicalJson}: what is hashed, signed and stored. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
