import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from '../../services/crypto/canonical-json.js';

function fromIeee754(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units, as in the RFC 8785 section 3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Compared as text: a parsed object would list the integer-like key "1" first, whatever the order.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('produces the RFC 8785 section 3.2.2 example output', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their required serialization.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the double 0x%s as %s', (bits, expected) => {
    expect(canonicalJson(fromIeee754(bits))).toBe(expected);
  });

  // Parsed from JSON text so that the literals are exactly the RFC's, digits beyond a double included.
  it.each([
    ['1e21', '1e+21'],
    ['1e-7', '1e-7'],
    ['-0', '0'],
    ['0.1', '0.1'],
    ['333333333.33333329', '333333333.3333333'],
    ['4.50', '4.5'],
    ['2e-3', '0.002'],
    ['1E30', '1e+30'],
    ['0.000000000000000000000000001', '1e-27'],
    ['1e20', '100000000000000000000'],
    ['-1.5', '-1.5'],
    ['10', '10'],
  ])('serializes the JSON number %s as %s', (text, expected) => {
    expect(canonicalJson(JSON.parse(text))).toBe(expected);
  });

  it.each([
    ['\u000f', '"\\u000f"'],
    ['\u0000', '"\\u0000"'],
    ['\u001f', '"\\u001f"'],
    ['\b\t\n\f\r', '"\\b\\t\\n\\f\\r"'],
    ['"', '"\\""'],
    ['\\', '"\\\\"'],
    ['a/b', '"a/b"'],
    ['\u007f', '"\u007f"'],
    ['caf\u00e9 \u20ac \u4e2d\u6587 \ud83d\ude00', '"caf\u00e9 \u20ac \u4e2d\u6587 \ud83d\ude00"'],
  ])('escapes the string %j minimally', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('canonicalizes nested objects and arrays, keeping array order', () => {
    const value = { z: [3, { b: null, a: [true, false] }, 'x'], a: { d: {}, c: [] }, m: 1 };
    expect(canonicalJson(value)).toBe('{"a":{"c":[],"d":{}},"m":1,"z":[3,{"a":[true,false],"b":null},"x"]}');
  });

  it('accepts objects without a prototype and values shared by two branches', () => {
    const bare: Record<string, unknown> = Object.create(null);
    bare.k = 1;
    const shared = { v: 1 };
    expect(canonicalJson({ bare, x: shared, y: shared })).toBe('{"bare":{"k":1},"x":{"v":1},"y":{"v":1}}');
  });

  it('returns the UTF-8 bytes of the canonical text', () => {
    expect(canonicalBytes({ b: '\u20ac', a: 1 })).toEqual(Buffer.from('{"a":1,"b":"\u20ac"}', 'utf8'));
    expect(canonicalBytes('\u20ac').toString('hex')).toBe('22e282ac22');
  });

  class Money {
    amount = 1;
  }
  const sparse: number[] = [];
  sparse[0] = 1;
  sparse[2] = 3;
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;

  it.each<[string, unknown, RegExp]>([
    ['undefined at the top', undefined, /undefined at \$/],
    ['undefined in an object', { a: { b: undefined } }, /undefined at \$\.a\.b/],
    ['undefined in an array', { a: [1, undefined] }, /undefined at \$\.a\[1\]/],
    ['a hole in a sparse array', { a: sparse }, /undefined at \$\.a\[1\]/],
    ['NaN', { n: Number.NaN }, /NaN at \$\.n/],
    ['Infinity', [Number.POSITIVE_INFINITY], /Infinity at \$\[0\]/],
    ['-Infinity', { n: Number.NEGATIVE_INFINITY }, /-Infinity at \$\.n/],
    ['a bigint', { amount: 10n }, /bigint at \$\.amount/],
    ['a function', { f: () => 1 }, /function at \$\.f/],
    ['a symbol value', { s: Symbol('s') }, /symbol at \$\.s/],
    ['a symbol key', { [Symbol('k')]: 1 }, /symbol-keyed property at \$/],
    ['a Date', { at: new Date(0) }, /Date instance at \$\.at/],
    ['a Map', { m: new Map() }, /Map instance at \$\.m/],
    ['a Set', [new Set()], /Set instance at \$\[0\]/],
    ['a class instance', { money: new Money() }, /Money instance at \$\.money/],
    ['a Buffer', { b: Buffer.from('x') }, /Buffer instance at \$\.b/],
    [
      'a lone high surrogate in a value',
      { s: 'a\ud800' },
      /string at \$\.s contains a lone UTF-16 surrogate/,
    ],
    ['a lone low surrogate in a value', ['\udc00b'], /string at \$\[0\] contains a lone/],
    ['a reversed surrogate pair', ['\ude00\ud83d'], /lone UTF-16 surrogate/],
    ['a lone surrogate in a key', { ok: { '\ud83dx': 1 } }, /key at \$\.ok\["\\ud83dx"\] contains a lone/],
    ['a cycle', cyclic, /circular reference at \$\.self/],
  ])('rejects %s with a TypeError naming the path', (_label, value, message) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('is a fixed point: canonicalizing the parsed canonical text gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('does not depend on the insertion order of keys', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      }),
    );
  });
});

describe('canonicalJson refusals of objects that have no usable class name', () => {
  function Renamed() {}
  Object.defineProperty(Renamed, 'name', { value: 7 });

  it.each<[string, () => unknown]>([
    ['a prototype without a constructor', () => ({ x: Object.create(Object.create(null)) })],
    ['an anonymous class', () => ({ x: new (class {})() })],
    ['a constructor whose name is not a string', () => ({ x: Object.create(Renamed.prototype) })],
  ])('rejects %s as a non-plain object, naming the path', (_label, make) => {
    expect(() => canonicalJson(make())).toThrow(
      new TypeError('canonicalJson: a non-plain object at $.x is not a plain object or array'),
    );
  });

  it('names a key that is not an identifier in brackets, even when it starts like one', () => {
    expect(() => canonicalJson({ 'a-b': undefined })).toThrow('canonicalJson: undefined at $["a-b"]');
  });
});
