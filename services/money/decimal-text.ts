/**
 * What is wrong with a decimal string, said exactly: the value quoted, what it is, and what the input
 * needs ("-5.00" is a decimal string, but an amount must be positive). The GraphQL Decimal scalar,
 * the payload schemas and parseAmount all use these sentences, so a value is described alike whichever
 * layer refuses it.
 */

export const decimalExample = '"1250000.00"';

/** Characters of a value quoted in a message; a longer one is cut, so no input floods a log line. */
export const quotedLengthMax = 40;

/** The value as JSON (a string in quotes, escapes visible), cut to quotedLengthMax characters. */
export function quoted(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > quotedLengthMax ? `${value.slice(0, quotedLengthMax)}…` : value;
    return JSON.stringify(cut);
  }
  const text = typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? String(value));
  return text.length > quotedLengthMax ? `${text.slice(0, quotedLengthMax)}…` : text;
}

export interface DecimalParts {
  negative: boolean;
  whole: string;
  fraction: string;
}

const decimalShape = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "-12.50" -> { negative, whole: "12", fraction: "50" }; null when it is not a decimal string. */
export function decimalParts(text: string): DecimalParts | null {
  const match = decimalShape.exec(text);
  if (!match) return null;
  const [, sign, whole = '', fraction = ''] = match;
  return { negative: sign !== undefined, whole, fraction };
}

/** `shown` is the value as quoted() prints it; a number gets told why decimals are strings. */
export function notDecimalSentence(shown: string, isNumber: boolean): string {
  if (isNumber) {
    return `${shown} is a number, not a decimal string such as ${decimalExample}: decimals travel as strings so that no digit is lost`;
  }
  return `${shown} is not a decimal string such as ${decimalExample}`;
}

export function notDecimalMessage(value: unknown): string {
  return notDecimalSentence(quoted(value), typeof value === 'number' || typeof value === 'bigint');
}

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

export interface PositiveDecimalRule {
  /** What the input is, with its article: "an amount", "a quantity", "a unit price". */
  what: string;
  /** Digits before the decimal point (leading zeros count: they are stored as given). */
  wholeDigitsMax: number;
  /** Digits after it; leave out when another rule decides (a currency's minor unit). */
  fractionDigitsMax?: number;
}

/** The sentence saying why `text` is not a positive decimal under `rule`, or null when it is one. */
export function positiveDecimalProblem(text: unknown, rule: PositiveDecimalRule): string | null {
  if (typeof text !== 'string') return notDecimalMessage(text);
  const parts = decimalParts(text);
  if (!parts) return notDecimalMessage(text);
  if (parts.negative || /^0*$/.test(parts.whole + parts.fraction)) {
    return `${quoted(text)} is a decimal string, but ${rule.what} must be positive`;
  }
  if (parts.whole.length > rule.wholeDigitsMax) {
    return `${quoted(text)} is too large: ${rule.what} has at most ${plural(rule.wholeDigitsMax, 'digit')} before the decimal point`;
  }
  if (rule.fractionDigitsMax !== undefined && parts.fraction.length > rule.fractionDigitsMax) {
    return `${quoted(text)} has ${plural(parts.fraction.length, 'decimal')}, but ${rule.what} has at most ${rule.fractionDigitsMax}`;
  }
  return null;
}

/**
 * More decimals than the currency's minor unit: never rounded, refused with the unit named.
 * "5.001" CNY: `"5.001" has 3 decimals, but CNY has 2 (its minor unit is 0.01)`.
 */
export function currencyDecimalsMessage(text: string, decimals: number, currency: string, exponent: number) {
  const unit =
    exponent === 0
      ? 'no minor unit: whole amounts only'
      : `${exponent} (its minor unit is 0.${'0'.repeat(exponent - 1)}1)`;
  return `${quoted(text)} has ${plural(decimals, 'decimal')}, but ${currency} has ${unit}`;
}
