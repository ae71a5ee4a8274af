/** Valid, unique test data: registration ids with correct check characters, idempotency keys. */
import { randomBytes, randomInt } from 'node:crypto';
import { withLeiCheck, withUsccCheck } from '../../services/parties/registration-id.js';

const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const alphanumeric = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function pick(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** A USCC: registration department 9, type 1, a 6-digit division code, 9 organisation characters. */
export function freshUscc(): string {
  return withUsccCheck(`91${pick('0123456789', 6)}${pick(usccAlphabet, 9)}`);
}

export function freshLei(): string {
  return withLeiCheck(`${pick(alphanumeric, 4)}00${pick(alphanumeric, 12)}`);
}

export function freshKey(label = 'k'): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}
