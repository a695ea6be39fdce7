/**
 * An invoice as the customer sees it — the JSON view, the HTML document and the PDF, with its payments
 * and refunds from the ledger. Shared by the manage link's billing endpoint and the customer portal,
 * so both show the same invoice.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { customerInvoiceView, invoiceHtml } from './invoice-html';
import { invoicePdf } from './invoice-pdf';
import { invoiceDetail } from './ledger';

export type InvoiceFormat = 'json' | 'html' | 'pdf';

export interface InvoiceDocument {
  number: number;
  contentType: string;
  /** The file name offered for a download (html, pdf); none for json. */
  filename?: string;
  body: unknown;
}

/** Undefined when there is no such invoice or it is still a draft (staff are still adding to it). */
export async function invoiceDocument(
  db: Kysely<Database>,
  invoiceId: string,
  format: InvoiceFormat,
): Promise<InvoiceDocument | undefined> {
  const invoice = await invoiceDetail(db, invoiceId);
  if (!invoice || invoice.status === 'draft') return undefined;
  const business = await db.selectFrom('business').selectAll().executeTakeFirstOrThrow();
  if (format === 'pdf') {
    const body = await invoicePdf(invoice, business);
    return { number: invoice.number, contentType: 'application/pdf', filename: `invoice-${invoice.number}.pdf`, body };
  }
  if (format === 'html') {
    return {
      number: invoice.number,
      contentType: 'html',
      filename: `invoice-${invoice.number}.html`,
      body: invoiceHtml(invoice, business),
    };
  }
  return { number: invoice.number, contentType: 'json', body: { invoice: customerInvoiceView(invoice, business) } };
}
