/**
 * An invoice as the customer sees it: the JSON view and the downloadable HTML document. Shared by the
 * manage link's billing endpoint and the customer portal, so both show the same invoice.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, InvoicesTable } from '../db/schema';

type Invoice = Selectable<InvoicesTable>;
import { escapeHtml } from '../messaging/templates';
import { formatMoney } from './invoice';

export async function invoiceDocument(db: Kysely<Database>, invoice: Invoice) {
  const business = await db.selectFrom('business').selectAll().executeTakeFirstOrThrow();
  const currency = invoice.currency.trim();
  const view = {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    currency,
    issuedAt: invoice.issued_at?.toISOString() ?? null,
    paidAt: invoice.paid_at?.toISOString() ?? null,
    lines: invoice.lines,
    subtotalMinor: invoice.subtotal_minor,
    taxRateBps: invoice.tax_rate_bps,
    taxMinor: invoice.tax_minor,
    totalMinor: invoice.total_minor,
    business: { name: business.name, address: business.address, email: business.email },
  };
  const money = (minor: number) => escapeHtml(formatMoney(minor, currency));
  const rows = invoice.lines
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.description)}</td><td>${l.quantity}</td><td>${money(l.unitMinor)}</td><td>${money(l.amountMinor)}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Invoice ${invoice.number}</title></head><body>
<h1>Invoice ${invoice.number}</h1><p>${escapeHtml(business.name)}<br>${escapeHtml(business.address ?? '')}</p>
<p>Status: ${escapeHtml(invoice.status)}${invoice.paid_at ? ` (paid ${escapeHtml(invoice.paid_at.toISOString().slice(0, 10))})` : ''}</p>
<table><thead><tr><th>Description</th><th>Quantity</th><th>Unit</th><th>Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p>Subtotal ${money(invoice.subtotal_minor)}<br>Tax (${invoice.tax_rate_bps / 100}%) ${money(invoice.tax_minor)}<br><strong>Total ${money(invoice.total_minor)}</strong></p>
</body></html>`;
  return { view, html };
}
