/**
 * Payload shapes are zod schemas; a failure becomes invalid_input naming the field path
 * ("lines.2.quantity"), so a client can point at the exact input at fault.
 */
import { z } from 'zod';
import {
  businessDateMax,
  businessDateMin,
  isBusinessDateInRange,
  isUuid,
  type TextKind,
  textCharacterProblem,
} from './input-rules.js';
import { notDecimalMessage, type PositiveDecimalRule, positiveDecimalProblem } from './money/decimal-text.js';
import { amountWholeDigitsMax, isCurrencyCode } from './money/money.js';
import { fail, ok, type Result } from './result.js';

export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Result<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid input';
  return fail('invalid_input', message, field);
}

/** A calendar date "YYYY-MM-DD" that exists. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year = 0, month = 0, day = 0] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"). */
export function daysBetween(from: string, to: string): number {
  // Both are UTC midnights, so the difference is a whole number of days: the division is exact.
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

export const uuidSchema = z.string().refine(isUuid, 'must be a lowercase UUID');
export const dateSchema = z
  .string()
  .refine(isCalendarDate, 'must be a date YYYY-MM-DD that exists')
  .refine(isBusinessDateInRange, `must lie between ${businessDateMin} and ${businessDateMax}`);
export const currencySchema = z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code');
/** A positive exact decimal string; a value that is not one is quoted with the reason (decimal-text.ts). */
export const positiveDecimalSchema = (rule: PositiveDecimalRule) =>
  z.string({ error: (issue) => notDecimalMessage(issue.input) }).superRefine((value, context) => {
    const problem = positiveDecimalProblem(value, rule);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
/** An amount; its currency's minor unit is checked where the currency is known (parsePositiveAmount). */
export const amountSchema = positiveDecimalSchema({
  what: 'an amount',
  wholeDigitsMax: amountWholeDigitsMax,
});
/** Text a party types: 1 to `lengthMax` characters, trimmed, obeying the text rule of its kind. */
export const textSchema = (lengthMax: number, kind: TextKind) =>
  z
    .string()
    .min(1)
    .max(lengthMax)
    .refine((value) => value === value.trim(), 'must not start or end with whitespace')
    .superRefine((value, context) => {
      const problem = textCharacterProblem(value, kind);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
