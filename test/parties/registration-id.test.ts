import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  validateRegistrationId,
  withLeiCheck,
  withUsccCheck,
} from '../../services/parties/registration-id.js';

const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const digits = '0123456789';
const leiAlphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const validUscc = ['91350100M000100Y43', '9111000071093123XX', '914403001922038216', '91330100716105852F'];
// Bloomberg's sample LEI, Deutsche Bank, Apple, GLEIF.
const validLei = [
  '5493001KJTIIGC8Y1R12',
  '7LTWFZYICNSX8D621K86',
  'HWUPKR0MPOU8FGXBT394',
  '529900T8BM49AURSDO55',
];

function replaceAt(text: string, index: number, character: string): string {
  return text.slice(0, index) + character + text.slice(index + 1);
}

const fromAlphabet = (alphabet: string, length: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length })
    .map((chars) => chars.join(''));

const usccPrefix = fc
  .tuple(fromAlphabet(usccAlphabet, 2), fromAlphabet(digits, 6), fromAlphabet(usccAlphabet, 9))
  .map((parts) => parts.join(''));
const leiPrefix = fromAlphabet(leiAlphabet, 18);

describe('validateRegistrationId', () => {
  it.each(validUscc)('accepts the USCC %s', (code) => {
    expect(validateRegistrationId(code)).toEqual({ ok: true, scheme: 'uscc', value: code });
  });

  it.each(validLei)('accepts the LEI %s', (code) => {
    expect(validateRegistrationId(code)).toEqual({ ok: true, scheme: 'lei', value: code });
  });

  it.each([
    ['91350100m000100y43', 'uscc', '91350100M000100Y43'],
    ['  9111000071093123xx\t', 'uscc', '9111000071093123XX'],
    [' hwupkr0mpou8fgxbt394 ', 'lei', 'HWUPKR0MPOU8FGXBT394'],
    ['\n7ltwfzyicnsx8d621k86', 'lei', '7LTWFZYICNSX8D621K86'],
  ])('normalizes %j to upper case without surrounding space', (input, scheme, value) => {
    expect(validateRegistrationId(input)).toEqual({ ok: true, scheme, value });
  });

  it('names the expected and the found check character', () => {
    expect(validateRegistrationId('91350100M000100Y44')).toEqual({
      ok: false,
      code: 'registration_id_check_failed',
      message: 'USCC check character should be 3, found 4',
    });
    expect(validateRegistrationId('5493001KJTIIGC8Y1R13')).toEqual({
      ok: false,
      code: 'registration_id_check_failed',
      message: 'LEI check digits should be 12, found 13',
    });
  });

  it.each(validUscc)('rejects every wrong check character of %s', (code) => {
    for (const character of usccAlphabet) {
      if (character === code.charAt(17)) continue;
      const result = validateRegistrationId(replaceAt(code, 17, character));
      expect(result).toMatchObject({ ok: false, code: 'registration_id_check_failed' });
    }
  });

  it.each(validLei)('rejects every wrong pair of check digits of %s', (code) => {
    for (let check = 0; check < 100; check++) {
      const digitsText = String(check).padStart(2, '0');
      if (digitsText === code.slice(18)) continue;
      const result = validateRegistrationId(code.slice(0, 18) + digitsText);
      expect(result).toMatchObject({ ok: false, code: 'registration_id_check_failed' });
    }
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['21 characters', '5493001KJTIIGC8Y1R120'],
    ['a USCC with a forbidden I', '91350100M000I00Y43'],
    ['a USCC with a forbidden O', '91350100M000O00Y43'],
    ['a USCC with a forbidden S', '91350100MS00100Y43'],
    ['a USCC with a forbidden V', 'V1350100M000100Y43'],
    ['a USCC with a forbidden Z', '91350100M000100Y4Z'],
    ['a USCC with a forbidden lowercase i', '91350100m000i00y43'],
    ['a USCC with a letter in the division code', '9135A100M000100Y43'],
    ['a USCC with a letter at position 8', '9135010AM000100Y43'],
    ['a USCC with a hyphen', '91350100-000100Y43'],
    ['an LEI with a hyphen', '5493001KJT-IGC8Y1R12'],
    ['an LEI with an underscore', '5493001KJTIIGC8Y1R_2'],
    ['an LEI with letters as check digits', '5493001KJTIIGC8Y1RAB'],
    ['an inner space', '5493001KJT IGC8Y1R12'],
    ['non-ASCII that uppercases to ASCII', '5493001KJTIIGC8Y1R1\u00df'],
    ['a dotless i', '91350100M000\u0131 00Y4'],
  ])('rejects %s as invalid format', (_label, input) => {
    const result = validateRegistrationId(input);
    expect(result).toMatchObject({ ok: false, code: 'registration_id_invalid_format' });
    expect(result.ok === false && result.message.length).toBeGreaterThan(10);
  });
});

describe('withUsccCheck / withLeiCheck', () => {
  it('reproduces the published check characters', () => {
    for (const code of validUscc) expect(withUsccCheck(code.slice(0, 17))).toBe(code);
    for (const code of validLei) expect(withLeiCheck(code.slice(0, 18))).toBe(code);
  });

  it('throws on prefixes that are not valid, which is a bug', () => {
    expect(() => withUsccCheck('91350100M000100Y')).toThrow(RangeError);
    expect(() => withUsccCheck('9135A100M000100Y4')).toThrow(RangeError);
    expect(() => withUsccCheck('91350100m000100y4')).toThrow(RangeError);
    expect(() => withLeiCheck('5493001KJTIIGC8Y1')).toThrow(RangeError);
    expect(() => withLeiCheck('5493001kjtiigc8y1r')).toThrow(RangeError);
  });

  it('makes USCCs that validate, and any single changed character is caught', () => {
    fc.assert(
      fc.property(usccPrefix, fc.nat(17), fc.nat(30), (prefix, index, pick) => {
        const code = withUsccCheck(prefix);
        expect(validateRegistrationId(code)).toEqual({ ok: true, scheme: 'uscc', value: code });
        const allowed = index >= 2 && index <= 7 ? digits : usccAlphabet;
        const others = [...allowed].filter((character) => character !== code.charAt(index));
        const changed = replaceAt(code, index, others[pick % others.length] ?? '');
        expect(validateRegistrationId(changed)).toMatchObject({
          ok: false,
          code: 'registration_id_check_failed',
        });
      }),
    );
  });

  it('makes LEIs that validate, and a changed character of the same kind is caught', () => {
    fc.assert(
      fc.property(leiPrefix, fc.nat(19), fc.nat(35), (prefix, index, pick) => {
        const code = withLeiCheck(prefix);
        expect(validateRegistrationId(code)).toEqual({ ok: true, scheme: 'lei', value: code });
        const isDigit = digits.includes(code.charAt(index));
        const allowed = isDigit ? digits : leiAlphabet.slice(10);
        const others = [...allowed].filter((character) => character !== code.charAt(index));
        const changed = replaceAt(code, index, others[pick % others.length] ?? '');
        expect(validateRegistrationId(changed)).toMatchObject({
          ok: false,
          code: 'registration_id_check_failed',
        });
      }),
    );
  });

  // ISO 7064 MOD 97-10 reads a letter as two digits, so swapping a digit for a letter shifts the
  // rest of the number and escapes the check about once in 97 tries. This is ISO 17442's own limit.
  it('documents that a digit swapped for a letter can pass the LEI check', () => {
    expect(validateRegistrationId('549300LKJTIIGC8Y1R12')).toMatchObject({ ok: true });
    expect(validateRegistrationId('54930017JTIIGC8Y1R12')).toMatchObject({ ok: true });
  });
});

describe('registration identifier edges', () => {
  it.each([
    ['empty', '', 0],
    ['17 characters', '91350100M000100Y4', 17],
    ['19 characters', '91350100M000100Y433', 19],
    ['21 characters', '5493001KJTIIGC8Y1R120', 21],
  ])('says a wrong length (%s) is neither a USCC nor an LEI, and how long it is', (_label, input, length) => {
    expect(validateRegistrationId(input)).toEqual({
      ok: false,
      code: 'registration_id_invalid_format',
      message: `registration identifier must be 18 characters (USCC) or 20 (LEI), found ${length}`,
    });
  });

  it('refuses to extend a string that is longer than the prefix, naming it', () => {
    expect(() => withUsccCheck('91350100M000100Y43')).toThrow(
      new RangeError('not the first 17 characters of a USCC: 91350100M000100Y43'),
    );
    expect(() => withUsccCheck('X91350100M000100Y4')).toThrow(RangeError);
    expect(() => withLeiCheck('5493001KJTIIGC8Y1R12')).toThrow(
      new RangeError('not the first 18 characters of an LEI: 5493001KJTIIGC8Y1R12'),
    );
    expect(() => withLeiCheck('X5493001KJTIIGC8Y1R')).toThrow(RangeError);
  });
});
