/**
 * Staff's invoice (API key or admin session): see it with its payments and refunds, add lines before
 * charging (parts, extra time, fees, discounts), record payments taken outside Stripe (cash, cheque,
 * bank transfer, other) with who and when, refund through the gateway, void or write off, download
 * the PDF. The ledger (src/billing/ledger.ts) does the work; this translates and validates.
 * A payment that settles the invoice wakes the appointment's workflow so it stops collecting; a
 * finished workflow needs nothing (the ledger is the record).
 */
import { text } from '../text';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { extraLine, extraLineSchema } from '../../billing/extra-lines';
import { wakeBillingWorkflow } from '../../billing/late-settlement';
import {
  addInvoiceLine,
  changeInvoiceStatus,
  creditPayment,
  InvoiceRefusal,
  invoiceDetail,
  invoiceIdOfAppointment,
  OUTSIDE_METHODS,
} from '../../billing/ledger';
import { invoicePdf } from '../../billing/invoice-pdf';
import { RefundPendingError, refundInvoice } from '../../billing/refunds';
import type { PaymentGateway } from '../../payments/gateway';
import type { AppDeps } from '../app';
import { both, callerActor, requireApiKey, requireOfficeRole, technicianOwnAppointments } from '../auth';
import { HttpError } from '../errors';
import { uuid } from '../schemas';
import { parseInput } from '../validate';

const idParams = z.object({ id: uuid });
const idempotencyKey = z
  .string({ error: 'is required: a key of your choosing, the same when the request is sent again' })
  .trim()
  .min(8, 'at least 8 characters')
  .max(100, 'at most 100 characters');

export const recordPaymentBody = z.object({
  method: z.enum(OUTSIDE_METHODS, { error: `expected one of ${OUTSIDE_METHODS.join(', ')}` }),
  amountMinor: z
    .number({ error: 'must be a whole number of minor units (cents)' })
    .int({ error: 'must be a whole number of minor units (cents)' })
    .positive({ error: 'must be more than 0' }),
  reference: text(200, { error: 'must be text' }).optional(),
  receivedAt: z.iso
    .datetime({ offset: true, error: 'must be a date and time such as 2026-03-01T10:00:00Z' })
    .optional(),
  idempotencyKey: idempotencyKey.optional(),
});

export const refundBody = z.object({
  amountMinor: z
    .number({ error: 'must be a whole number of minor units (cents)' })
    .int({ error: 'must be a whole number of minor units (cents)' })
    .positive({ error: 'must be more than 0' })
    .optional(),
  reason: text(500, { error: 'must be text' }).default(''),
  idempotencyKey,
});

export const statusBody = z.object({
  note: text(500, { error: 'must be text' }).default(''),
});

/** The ledger's refusals as HTTP errors naming the field. */
export function httpErrorForInvoice(error: unknown): never {
  if (error instanceof InvoiceRefusal) {
    if (error.reason === 'not_found') throw new HttpError(404, 'not_found', error.message);
    if (error.reason === 'invalid_state') throw new HttpError(409, 'invalid_state', error.message);
    throw new HttpError(422, 'invalid_request', error.message, {}, [
      { field: error.field ?? '(body)', message: error.message },
    ]);
  }
  if (error instanceof RefundPendingError) throw new HttpError(503, 'refund_pending', error.message);
  throw error;
}

export function invoicesRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/invoices', requireApiKey(db));
  router.use('/api/appointments/:id/invoice', both(requireApiKey(db), technicianOwnAppointments(db)));

  async function detailOr404(invoiceId: string) {
    const detail = await invoiceDetail(db, invoiceId);
    if (!detail) throw new HttpError(404, 'not_found', `Invoice ${invoiceId} does not exist.`);
    return detail;
  }

  async function respond(res: Response, invoiceId: string, status = 200) {
    res.status(status).json({ invoice: await detailOr404(invoiceId) });
  }

  /** Wakes the appointment's workflow once the invoice is paid; a finished one needs nothing. */
  async function paidNow(invoiceId: string) {
    const row = await db
      .selectFrom('invoices as i')
      .innerJoin('appointments as a', 'a.id', 'i.appointment_id')
      .select('a.workflow_id')
      .where('i.id', '=', invoiceId)
      .executeTakeFirst();
    if (row) await wakeBillingWorkflow(deps.temporal, row.workflow_id, 'staff');
  }

  router.get('/api/appointments/:id/invoice', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const invoiceId = await invoiceIdOfAppointment(db, id);
    if (!invoiceId) throw new HttpError(404, 'not_found', 'This appointment has no invoice yet.');
    await respond(res, invoiceId);
  });

  router.post('/api/appointments/:id/invoice/lines', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(extraLineSchema, req.body, 'body');
    const actor = callerActor(res);
    const invoiceId = await addLineOr(id, body, actor.name);
    await respond(res, invoiceId, 201);
  });

  async function addLineOr(appointmentId: string, body: z.infer<typeof extraLineSchema>, actor: string) {
    try {
      return await addInvoiceLine(db, { appointmentId, line: extraLine(body), actor, channel: 'admin' });
    } catch (error) {
      return httpErrorForInvoice(error);
    }
  }

  router.get('/api/invoices/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    await respond(res, id);
  });

  router.get('/api/invoices/:id/pdf', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const detail = await detailOr404(id);
    const business = await db.selectFrom('business').selectAll().executeTakeFirstOrThrow();
    const pdf = await invoicePdf(detail, business);
    res
      .set('content-disposition', `attachment; filename="invoice-${detail.number}.pdf"`)
      .type('application/pdf')
      .send(pdf);
  });

  router.post('/api/invoices/:id/payments', requireOfficeRole, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(recordPaymentBody, req.body, 'body');
    const receivedAt = body.receivedAt ? new Date(body.receivedAt) : new Date();
    if (receivedAt.getTime() > Date.now() + 5 * 60_000) {
      throw new HttpError(422, 'invalid_request', 'receivedAt: the payment cannot be received in the future.', {}, [
        { field: 'receivedAt', message: 'cannot be in the future' },
      ]);
    }
    const actor = callerActor(res);
    let result;
    try {
      result = await creditPayment(db, {
        invoiceId: id,
        method: body.method,
        amountMinor: body.amountMinor,
        reference: body.reference ?? null,
        recordedBy: actor.name,
        channel: 'admin',
        receivedAt,
        // Without a key of the caller's, each request is a payment of its own.
        idempotencyKey: `outside:${id}:${body.idempotencyKey ?? crypto.randomUUID()}`,
        refuseOverpayment: true,
      });
    } catch (error) {
      httpErrorForInvoice(error);
    }
    if (result.newlyPaid) await paidNow(id);
    await respond(res, id, result.credited ? 201 : 200);
  });

  router.post('/api/invoices/:id/refunds', requireOfficeRole, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(refundBody, req.body, 'body');
    const actor = callerActor(res);
    try {
      await refundInvoice(db, deps.payments, {
        invoiceId: id,
        ...(body.amountMinor !== undefined ? { amountMinor: body.amountMinor } : {}),
        reason: body.reason,
        requestedBy: actor.name,
        channel: 'admin',
        idempotencyKey: body.idempotencyKey,
      });
    } catch (error) {
      httpErrorForInvoice(error);
    }
    await respond(res, id, 201);
  });

  for (const to of ['void', 'uncollectible'] as const) {
    router.post(`/api/invoices/:id/${to}`, requireOfficeRole, async (req, res) => {
      const { id } = parseInput(idParams, req.params, 'params');
      const body = parseInput(statusBody, req.body ?? {}, 'body');
      try {
        await changeInvoiceStatus(db, {
          invoiceId: id,
          to,
          note: body.note,
          actor: callerActor(res).name,
          channel: 'admin',
        });
      } catch (error) {
        httpErrorForInvoice(error);
      }
      await respond(res, id);
    });
  }

  return router;
}
