/** The appointment card's invoice row: the latest invoice's number, status and total (from the extras). */
import { formatMoney } from '../format';
import type { Extras } from './appointment-types';

export function InvoiceRow({ extras }: { extras: Extras | null }) {
  const invoice = extras?.invoices[extras.invoices.length - 1];
  return (
    <>
      <dt>Invoice</dt>
      <dd>
        {invoice
          ? `#${invoice.number} · ${invoice.status} · ${formatMoney(invoice.totalMinor, invoice.currency)}`
          : '—'}
      </dd>
    </>
  );
}
