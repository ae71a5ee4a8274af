/** Payables grouped by the week they fall due (weeks start on Monday), summed exactly per currency. */
import { sumDecimals } from '../../format/decimal';

export interface Owed {
  invoiceId: string;
  dueDate: string;
  currency: string;
  outstanding: string;
}

export interface DueWeek {
  /** The Monday that starts the week, "2026-12-07". */
  weekOf: string;
  currency: string;
  invoices: number;
  owed: string;
}

export function mondayOf(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const utc = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
  const sinceMonday = (utc.getUTCDay() + 6) % 7;
  utc.setUTCDate(utc.getUTCDate() - sinceMonday);
  return utc.toISOString().slice(0, 10);
}

export function dueWeeks(owed: readonly Owed[]): DueWeek[] {
  const groups = new Map<
    string,
    { weekOf: string; currency: string; invoices: Set<string>; amounts: string[] }
  >();
  for (const item of owed) {
    const weekOf = mondayOf(item.dueDate);
    const key = `${weekOf} ${item.currency}`;
    const group = groups.get(key) ?? { weekOf, currency: item.currency, invoices: new Set(), amounts: [] };
    group.invoices.add(item.invoiceId);
    group.amounts.push(item.outstanding);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) =>
      a.weekOf === b.weekOf ? a.currency.localeCompare(b.currency) : a.weekOf.localeCompare(b.weekOf),
    )
    .map((group) => ({
      weekOf: group.weekOf,
      currency: group.currency,
      invoices: group.invoices.size,
      owed: sumDecimals(group.amounts),
    }));
}
