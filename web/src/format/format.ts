/**
 * Amounts and dates in the reader's locale. An amount arrives as an exact decimal string and is
 * formatted as that string (Intl.NumberFormat formats decimal strings exactly): it never becomes a
 * float on its way to the screen.
 */
import { localeOf } from '../i18n';

/** Minor-unit digits per currency, as Intl knows them (CNY 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

export function formatAmount(amount: string, currency: string, language: string): string {
  const digits = currencyDigits(currency);
  const format = new Intl.NumberFormat(localeOf(language), {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.max(digits, fractionDigits(amount)),
  });
  // The decimal string itself, not Number(amount): exact for any size.
  return format.format(amount as Intl.StringNumericLiteral);
}

/** A plain number (count, basis points) grouped for the locale. */
export function formatNumber(value: string | number | bigint, language: string): string {
  return new Intl.NumberFormat(localeOf(language)).format(value as Intl.StringNumericLiteral);
}

function fractionDigits(amount: string): number {
  const point = amount.indexOf('.');
  return point < 0 ? 0 : amount.length - point - 1;
}

/** A calendar date "2026-12-31", shown as that day wherever the browser is. */
export function formatDate(date: string, language: string): string {
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return date;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** An instant, in the browser's time zone. */
export function formatDateTime(instant: string, language: string): string {
  const value = new Date(instant);
  if (Number.isNaN(value.getTime())) return instant;
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'medium' }).format(
    value,
  );
}
