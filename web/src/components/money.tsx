import { useTranslation } from 'react-i18next';
import { formatAmount, formatDate, formatDateTime } from '../format/format';

export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    amount: (amount: string | null | undefined, currency: string) =>
      amount == null ? '—' : formatAmount(amount, currency, language),
    date: (date: string | null | undefined) => (date ? formatDate(date, language) : '—'),
    dateTime: (instant: string | null | undefined) => (instant ? formatDateTime(instant, language) : '—'),
  };
}
