/** The customer's invoices: status and total, view the lines, download, pay an open one (the pay page); saved cards. */
import { useEffect, useState } from 'react';
import { api, errorText } from '../../api';
import { formatMoney } from '../../format';
import { SavedCards } from './SavedCards';
import type { PortalInvoice } from './types';

interface InvoiceDetail {
  number: number;
  lines: Array<{ description: string; quantity: number; amountMinor: number }>;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  currency: string;
}

export function Invoices() {
  const [invoices, setInvoices] = useState<PortalInvoice[] | null>(null);
  const [open, setOpen] = useState<InvoiceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ invoices: PortalInvoice[] }>('GET', '/api/portal/invoices')
      .then((r) => setInvoices(r.invoices))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  function view(id: string) {
    api<{ invoice: InvoiceDetail }>('GET', `/api/portal/invoices/${id}`)
      .then((r) => setOpen(r.invoice))
      .catch((e: unknown) => setError(errorText(e)));
  }

  // "Pay" hands over to the pay page (the same card form and payment as the emailed pay link).
  function pay(id: string) {
    api<{ url: string }>('POST', `/api/portal/invoices/${id}/pay-link`)
      .then((r) => window.location.assign(r.url))
      .catch((e: unknown) => setError(errorText(e)));
  }

  return (
    <>
      <h1>Your invoices</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!invoices && !error && <p>Loading…</p>}
      {invoices?.length === 0 && <p>No invoices yet.</p>}
      <ul className="account-list">
        {invoices?.map((i) => (
          <li key={i.id}>
            <h3>
              Invoice {i.number}: {i.description}
            </h3>
            <p>
              {formatMoney(i.total.amountMinor, i.total.currency)} — {i.status === 'open' ? 'to pay' : i.status}
            </p>
            <div className="account-actions">
              <button type="button" onClick={() => view(i.id)}>
                View invoice {i.number}
              </button>
              <a href={`/api/portal/invoices/${i.id}?format=html`} download>
                Download
              </a>
              {(i.status === 'open' || i.status === 'uncollectible') && (
                <button type="button" className="primary" onClick={() => pay(i.id)}>
                  Pay invoice {i.number}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {open && (
        <section aria-label={`Invoice ${open.number}`}>
          <h2>Invoice {open.number}</h2>
          <table>
            <tbody>
              {open.lines.map((l, n) => (
                <tr key={n}>
                  <td>{l.description}</td>
                  <td>{l.quantity}</td>
                  <td>{formatMoney(l.amountMinor, open.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Subtotal {formatMoney(open.subtotalMinor, open.currency)}, tax {formatMoney(open.taxMinor, open.currency)},{' '}
            <strong>total {formatMoney(open.totalMinor, open.currency)}</strong>
          </p>
        </section>
      )}
      <SavedCards />
    </>
  );
}
