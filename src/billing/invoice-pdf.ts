/**
 * The invoice (or receipt, once paid) as a PDF the customer downloads, with pdfkit: a maintained,
 * pure-JavaScript PDF writer with text layout (wrapping, alignment) and the standard PDF fonts built
 * in, so no browser or native renderer is needed on the server. Lines, tax, total, the payments
 * credited (with method and date), refunds and what is still owed.
 */
import PDFDocument from 'pdfkit';
import { formatMoney } from './invoice';
import type { InvoiceDetail } from './ledger';

export interface PdfBusiness {
  name: string;
  address: string | null;
  email: string;
  phone: string | null;
}

const STATUS_TITLES: Record<InvoiceDetail['status'], string> = {
  draft: 'Draft invoice',
  open: 'Invoice',
  paid: 'Receipt',
  void: 'Invoice (void)',
  uncollectible: 'Invoice',
};

export function invoicePdf(invoice: InvoiceDetail, business: PdfBusiness): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Invoice ${invoice.number}`, Author: business.name },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

  doc.font('Helvetica-Bold').fontSize(20).text(`${STATUS_TITLES[invoice.status]} #${invoice.number}`);
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
  doc.text(business.name);
  if (business.address) doc.text(business.address);
  doc.text([business.email, business.phone].filter(Boolean).join(' · '));
  doc.moveDown();
  doc.text(`Issued: ${date(invoice.issuedAt) || '—'}`);
  doc.text(`Status: ${invoice.status}${invoice.paidAt ? ` (paid ${date(invoice.paidAt)})` : ''}`);
  doc.moveDown();

  const columns = { description: 50, quantity: 320, unit: 380, amount: 470 };
  const row = (cells: [string, string, string, string], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(cells[0], columns.description, y, { width: 260 });
    const after = doc.y;
    doc.text(cells[1], columns.quantity, y, { width: 50, align: 'right' });
    doc.text(cells[2], columns.unit, y, { width: 80, align: 'right' });
    doc.text(cells[3], columns.amount, y, { width: 75, align: 'right' });
    doc.y = Math.max(after, doc.y);
    doc.x = columns.description;
  };
  row(['Description', 'Qty', 'Unit', 'Amount'], true);
  for (const line of invoice.lines) {
    row([
      `${line.description}${line.taxable === false ? ' (no tax)' : ''}`,
      String(line.quantity),
      money(line.unitMinor),
      money(line.amountMinor),
    ]);
  }
  doc.moveDown();
  const total = (label: string, value: string, bold = false) => row([label, '', '', value], bold);
  total('Subtotal', money(invoice.subtotalMinor));
  total(`Tax (${invoice.taxRateBps / 100}%)`, money(invoice.taxMinor));
  total('Total', money(invoice.totalMinor), true);
  if (invoice.payments.length > 0) {
    doc.moveDown();
    for (const payment of invoice.payments) {
      total(`Paid ${date(payment.receivedAt)} — ${payment.methodLabel}`, `-${money(payment.amountMinor)}`);
    }
  }
  total('Amount due', money(invoice.balanceMinor), true);
  const refunds = invoice.refunds.filter((r) => r.status !== 'failed');
  if (refunds.length > 0) {
    doc.moveDown();
    for (const refund of refunds) {
      total(
        `Refunded ${date(refund.createdAt)}${refund.reason ? ` — ${refund.reason}` : ''}${refund.status === 'pending' ? ' (pending)' : ''}`,
        money(refund.amountMinor),
      );
    }
  }
  doc.end();
  return done;
}
