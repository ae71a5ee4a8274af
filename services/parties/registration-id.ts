/**
 * Company registration identifiers: the Chinese unified social credit code (USCC, GB 32100-2015) and
 * the Legal Entity Identifier (LEI, ISO 17442). Both carry check characters, so a typo is caught at
 * onboarding instead of creating a second, unrelated company.
 */

/** Which standard a registration identifier follows. */
export type RegistrationScheme = 'uscc' | 'lei';

/** A normalized identifier, or why it was refused. */
export type RegistrationIdResult =
  | { ok: true; scheme: RegistrationScheme; value: string }
  | { ok: false; code: 'registration_id_invalid_format' | 'registration_id_check_failed'; message: string };

// GB 32100-2015: 31 symbols; I, O, S, V, Z are left out because they read like 1, 0, 5, U, 2.
const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const usccBody = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}$/;
const usccLength = 18;
const leiBody = /^[0-9A-Z]{18}$/;
const leiLength = 20;

function usccCheckCharacter(first17: string): string {
  let sum = 0;
  usccWeights.forEach((weight, index) => {
    sum += usccAlphabet.indexOf(first17.charAt(index)) * weight;
  });
  return usccAlphabet.charAt((31 - (sum % 31)) % 31);
}

// ISO 7064 MOD 97-10 over the digit string where A=10 .. Z=35, folded one character at a time so
// that no intermediate value leaves the safe integer range.
function mod97(text: string): number {
  let remainder = 0;
  for (const character of text) {
    const value = Number.parseInt(character, 36);
    remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97;
  }
  return remainder;
}

function leiCheckDigits(first18: string): string {
  return String(98 - mod97(`${first18}00`)).padStart(2, '0');
}

function invalidFormat(message: string): RegistrationIdResult {
  return { ok: false, code: 'registration_id_invalid_format', message };
}

function validateUscc(value: string): RegistrationIdResult {
  const forbidden = /[IOSVZ]/.exec(value);
  if (forbidden) {
    return invalidFormat(`USCC does not use the letter ${forbidden[0]} (I, O, S, V and Z are excluded)`);
  }
  if (!/^[0-9]{6}$/.test(value.slice(2, 8))) {
    return invalidFormat('USCC characters 3 to 8 must be digits (the administrative division code)');
  }
  const first17 = value.slice(0, 17);
  const found = value.charAt(17);
  const expected = usccCheckCharacter(first17);
  if (found !== expected) {
    return {
      ok: false,
      code: 'registration_id_check_failed',
      message: `USCC check character should be ${expected}, found ${found}`,
    };
  }
  return { ok: true, scheme: 'uscc', value };
}

function validateLei(value: string): RegistrationIdResult {
  if (!/^[0-9]{2}$/.test(value.slice(18))) return invalidFormat('LEI must end in 2 check digits');
  if (mod97(value) !== 1) {
    return {
      ok: false,
      code: 'registration_id_check_failed',
      message: `LEI check digits should be ${leiCheckDigits(value.slice(0, 18))}, found ${value.slice(18)}`,
    };
  }
  return { ok: true, scheme: 'lei', value };
}

/**
 * Validates a USCC (18 characters) or an LEI (20 characters) after trimming and uppercasing, and
 * returns the normalized value. Failure codes: `registration_id_invalid_format` (length, alphabet,
 * non-digit division code), `registration_id_check_failed` (wrong check character or digits).
 */
export function validateRegistrationId(input: string): RegistrationIdResult {
  const trimmed = input.trim();
  // Checked before uppercasing: toUpperCase maps some non-ASCII letters onto A-Z ('ß' -> 'SS', 'ı' -> 'I').
  if (!/^[0-9A-Za-z]*$/.test(trimmed)) {
    return invalidFormat('registration identifier may only contain the letters A-Z and digits');
  }
  const value = trimmed.toUpperCase();
  if (value.length === usccLength) return validateUscc(value);
  if (value.length === leiLength) return validateLei(value);
  return invalidFormat(
    `registration identifier must be ${usccLength} characters (USCC) or ${leiLength} (LEI), found ${value.length}`,
  );
}

/** Appends the USCC check character to 17 valid characters; throws on anything else (a bug). */
export function withUsccCheck(first17: string): string {
  if (!usccBody.test(first17)) throw new RangeError(`not the first 17 characters of a USCC: ${first17}`);
  return first17 + usccCheckCharacter(first17);
}

/** Appends the two LEI check digits to 18 digits or capital letters; throws on anything else (a bug). */
export function withLeiCheck(first18: string): string {
  if (!leiBody.test(first18)) throw new RangeError(`not the first 18 characters of an LEI: ${first18}`);
  return first18 + leiCheckDigits(first18);
}
