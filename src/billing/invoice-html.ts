/**
 * The customer's invoice (a receipt once paid) as JSON for the manage page and as a downloadable HTML
 * page: lines, tax, total, payments with method and date, refunds and what is still owed.
 */
import { escapeHtml } from '../messaging/templates';
import { formatMoney } from './invoice';
import type { InvoiceDetail } from './ledger';

export interface InvoiceBusiness {
  name: string;
  address: string | null;
  email: string;
}

/** What the customer sees: no internal ids beyond the invoice number, no staff names. */
export function customerInvoiceView(invoice: InvoiceDetail, business: InvoiceBusiness) {
  return {
    number: invoice.number,
    status: invoice.status,
    currency: invoice.currency,
    issuedAt: invoice.issuedAt,
    paidAt: invoice.paidAt,
    lines: invoice.lines,
    subtotalMinor: invoice.subtotalMinor,
    taxRateBps: invoice.taxRateBps,
    taxMinor: invoice.taxMinor,
    totalMinor: invoice.totalMinor,
    paidMinor: invoice.paidMinor,
    refundedMinor: invoice.refundedMinor,
    balanceMinor: invoice.balanceMinor,
    payments: invoice.payments.map((p) => ({
      method: p.method,
      methodLabel: p.methodLabel,
      amountMinor: p.amountMinor,
      receivedAt: p.receivedAt,
    })),
    refunds: invoice.refunds
      .filter((r) => r.status !== 'failed')
      .map((r) => ({ amountMinor: r.amountMinor, status: r.status, reason: r.reason, createdAt: r.createdAt })),
    business: { name: business.name, address: business.address, email: business.email },
  };
}

export function invoiceHtml(invoice: InvoiceDetail, business: InvoiceBusiness): string {
  const money = (minor: number) => escapeHtml(formatMoney(minor, invoice.currency));
  const day = (iso: string | null) => escapeHtml(iso?.slice(0, 10) ?? '');
  const rows = invoice.lines
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.description)}${l.taxable === false ? ' (no tax)' : ''}</td><td>${l.quantity}</td><td>${money(l.unitMinor)}</td><td>${money(l.amountMinor)}</td></tr>`,
    )
    .join('');
  const payments = invoice.payments
    .map((p) => `<li>${day(p.receivedAt)}: ${escapeHtml(p.methodLabel)} ${money(p.amountMinor)}</li>`)
    .join('');
  const refunds = invoice.refunds
    .filter((r) => r.status !== 'failed')
    .map(
      (r) =>
        `<li>${day(r.createdAt)}: refunded ${money(r.amountMinor)}${r.reason ? ` (${escapeHtml(r.reason)})` : ''}${r.status === 'pending' ? ' — pending' : ''}</li>`,
    )
    .join('');
  const title = invoice.status === 'paid' ? 'Receipt' : 'Invoice';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} ${invoice.number}</title></head><body>
<h1>${title} ${invoice.number}</h1><p>${escapeHtml(business.name)}<br>${escapeHtml(business.address ?? '')}</p>
<p>Status: ${escapeHtml(invoice.status)}${invoice.paidAt ? ` (paid ${day(invoice.paidAt)})` : ''}</p>
<table><thead><tr><th>Description</th><th>Quantity</th><th>Unit</th><th>Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p>Subtotal ${money(invoice.subtotalMinor)}<br>Tax (${invoice.taxRateBps / 100}%) ${money(invoice.taxMinor)}<br><strong>Total ${money(invoice.totalMinor)}</strong></p>
${payments ? `<h2>Payments</h2><ul>${payments}</ul>` : ''}
<p><strong>Amount due ${money(invoice.balanceMinor)}</strong></p>
${refunds ? `<h2>Refunds</h2><ul>${refunds}</ul>` : ''}
</body></html>`;
}
