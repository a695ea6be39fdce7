/**
 * The manage link's billing pages, which keep working after the visit: the card update (/card, /pay;
 * a clearly labelled test-mode form with the simulated gateway) and the invoice (/invoice).
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatMoney } from '../format';
import { CustomerLayout } from './business';

const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa 4242 — succeeds' },
  { id: 'pm_card_visa_chargeDeclined', label: 'Card declined' },
  { id: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Insufficient funds' },
];

export function CardPage({ token }: { token: string }) {
  const [card, setCard] = useState(TEST_CARDS[0]!.id);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function save(event: SubmitEvent) {
    event.preventDefault();
    setError(null);
    try {
      const result = await api<{ gateway: string; saved?: string }>(
        'POST',
        `/api/manage/${encodeURIComponent(token)}/card`,
        { paymentMethodId: card },
      );
      setDone(
        result.gateway === 'simulated'
          ? `Test card saved (${result.saved}).`
          : 'Card form ready: production shows Stripe Elements here.',
      );
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <CustomerLayout>
      <h1>Update your card</h1>
      <p className="test-banner" role="note">
        Test mode: payments are simulated, so no real card is taken. In production this page shows Stripe's secure card
        form (Stripe Elements).
      </p>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={save}>
        <fieldset>
          <legend>Test card</legend>
          {TEST_CARDS.map((c) => (
            <div className="check" key={c.id}>
              <input
                type="radio"
                id={c.id}
                name="card"
                value={c.id}
                checked={card === c.id}
                onChange={() => setCard(c.id)}
              />
              <label htmlFor={c.id}>{c.label}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          Save card
        </button>
      </form>
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
