/**
 * A link to ask lenders to finance one receivable (#/financing/new/<receivableId>), for the
 * receivables screen; small on purpose: the financing screen itself loads only when followed.
 */
import { useTranslation } from 'react-i18next';
import { href } from '../../router';

export function requestFinancingHref(receivableId: string): string {
  return href('financing', 'new', receivableId);
}

export function RequestFinancingButton({ receivableId }: { receivableId: string }) {
  const { t } = useTranslation('financing');
  return (
    <a className="button" href={requestFinancingHref(receivableId)}>
      {t('supplier.new')}
    </a>
  );
}
