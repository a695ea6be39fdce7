/**
 * The pay page (`/manage/<token>/pay`) for an open invoice: what is owed, then the Payment Element
 * (cards and wallets) on a PaymentIntent for that amount; once confirmed, the server reads it back and
 * credits it. Also where "authentication required" sends the customer.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatMoney } from '../format';
import { type Intent, PaymentForm, usePaymentsConfig } from './PaymentForm';

interface PayInvoice {
  number: number;
  status: string;
  currency: string;
  totalMinor: number;
  balanceMinor: number;
}

export function PayPage({ token }: { token: string }) {
  const config = usePaymentsConfig();
  const base = `/api/manage/${encodeURIComponent(token)}/pay`;
  const [invoice, setInvoice] = useState<PayInvoice | null>(null);
  const [intent, setIntent] = useState<Intent | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ invoice: PayInvoice }>('GET', base).then(
      (r) => setInvoice(r.invoice),
      (e: unknown) => setError(errorText(e)),
    );
  }, [base]);

  async function start() {
    setError(null);
    try {
      const created = await api<{ paymentIntentId: string; clientSecret: string }>('POST', base, {});
      setIntent({ id: created.paymentIntentId, clientSecret: created.clientSecret });
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function paid(paymentIntentId: string) {
    const result = await api<{ invoice: PayInvoice }>('POST', `${base}/complete`, { paymentIntentId });
    setInvoice(result.invoice);
    setIntent(null);
  }

  const owed = invoice && (invoice.status === 'open' || invoice.status === 'uncollectible') && invoice.balanceMinor > 0;
  return (
    <main className="customer">
      <h1>{invoice ? `Invoice #${invoice.number}` : 'Pay your invoice'}</h1>
      {invoice && (
        <p data-testid="pay-summary">
          {owed
            ? `Amount due: ${formatMoney(invoice.balanceMinor, invoice.currency)}`
            : `Paid — thank you. Total ${formatMoney(invoice.totalMinor, invoice.currency)}.`}
        </p>
      )}
      {owed && !intent && (
        <button type="button" className="primary" onClick={() => void start()}>
          Pay {formatMoney(invoice.balanceMinor, invoice.currency)}
        </button>
      )}
      {owed && intent && config && invoice && (
        <PaymentForm
          kind="payment"
          intent={intent}
          config={config}
          submitLabel={`Pay ${formatMoney(invoice.balanceMinor, invoice.currency)}`}
          onConfirmed={paid}
        />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <Link to="../invoice">See the invoice</Link> · <Link to="..">Back to your appointment</Link>
      </p>
    </main>
  );
}
