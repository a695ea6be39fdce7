/**
 * The manage link's billing pages, which keep working after the visit: the card update (/card: the
 * Payment Element, or a clearly labelled test-card form with the simulated gateway) and the invoice
 * (/invoice); paying an open invoice is web/src/payments/PayPage.tsx (/pay).
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatMoney } from '../format';
import { CardUpdate } from '../payments/CardUpdate';
import { CustomerLayout } from './business';

/** The card update: the Payment Element on a SetupIntent (or the simulated gateway's test-card form). */
export function CardPage({ token }: { token: string }) {
  return (
    <CustomerLayout>
      <h1>Update your card</h1>
      <CardUpdate token={token} />
      <p>
        <Link to="..">Back to your appointment</Link>
      </p>
    </CustomerLayout>
  );
}

interface Invoice {
  number: number;
  status: string;
  currency: string;
  lines: Array<{ description: string; quantity: number; amountMinor: number }>;
  subtotalMinor: number;
  taxRateBps: number;
  taxMinor: number;
  totalMinor: number;
}

export function InvoicePage({ token }: { token: string }) {
  const [invoice, setInvoice] = useState<Invoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ invoice: Invoice }>('GET', `/api/manage/${encodeURIComponent(token)}/invoice`)
      .then((r) => setInvoice(r.invoice))
      .catch((e: unknown) => setError(errorText(e)));
  }, [token]);
  return (
    <CustomerLayout>
      <h1>Invoice</h1>
      {error && <p className="notice">{error}</p>}
      {invoice && (
        <>
          <p>
            Invoice #{invoice.number} — {invoice.status}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Qty</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {invoice.lines.map((line, i) => (
                <tr key={i}>
                  <td>{line.description}</td>
                  <td>{line.quantity}</td>
                  <td>{formatMoney(line.amountMinor, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Subtotal {formatMoney(invoice.subtotalMinor, invoice.currency)}
            <br />
            Tax ({invoice.taxRateBps / 100}%) {formatMoney(invoice.taxMinor, invoice.currency)}
            <br />
            <strong>Total {formatMoney(invoice.totalMinor, invoice.currency)}</strong>
          </p>
          <p>
            <a href={`/api/manage/${encodeURIComponent(token)}/invoice?format=html`} download>
              Download invoice
            </a>
          </p>
        </>
      )}
      <p>
        <Link to="..">Back to your appointment</Link>
      </p>
    </CustomerLayout>
  );
}
