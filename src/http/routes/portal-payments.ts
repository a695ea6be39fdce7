/**
 * Cards and payments in the portal (issue 16): the signed-in customer's saved cards (list, remove) and
 * paying an open invoice, which hands over to the existing pay page (`/manage/<token>/pay`, the same
 * Payment Element or simulated card form and the same settle-once ledger credit) through a short-lived
 * manage link minted for the invoice's appointment. Every id is looked up with the signed-in contact:
 * another customer's card or invoice is a 404 like an unknown one.
 */
import { Router } from 'express';
import { z } from 'zod';
import { invoiceDetail } from '../../billing/ledger';
import { createManageToken } from '../../manage/tokens';
import type { PaymentGateway } from '../../payments/gateway';
import { ownInvoice } from '../../portal/account';
import { type PortalCardView, portalCards, removePortalCard } from '../../portal/cards';
import type { AppDeps } from '../app';
import { HttpError } from '../errors';
import { portalContact, requirePortalSession } from '../portal-auth';
import { parseInput } from '../validate';
import { portalIdParams } from './portal-account';

/** How long the pay link the portal hands over works: the customer is on the page now. */
export const PORTAL_PAY_LINK_MS = 60 * 60_000;

export const cardIdParams = z.object({
  id: z
    .string({ error: 'expected a card id' })
    .regex(/^[A-Za-z0-9_]{1,255}$/, 'expected a card id (letters, digits and _)'),
});

export function portalPaymentsRouter(deps: AppDeps & { payments: PaymentGateway }): Router {
  const router = Router();
  const { db } = deps.database;
  router.use(['/api/portal/cards', '/api/portal/invoices'], requirePortalSession(db));

  router.get('/api/portal/cards', async (_req, res) => {
    const cards = await portalCards(db, deps.payments, portalContact(res));
    const views: PortalCardView[] = cards.map(({ atGateway: _atGateway, ...card }) => card);
    res.json({ cards: views });
  });

  router.delete('/api/portal/cards/:id', async (req, res) => {
    const { id } = parseInput(cardIdParams, req.params, 'params');
    if (!(await removePortalCard(db, deps.payments, portalContact(res), id))) {
      throw new HttpError(404, 'not_found', 'You have no saved card with that id.');
    }
    res.status(204).end();
  });

  router.post('/api/portal/invoices/:id/pay-link', async (req, res) => {
    const { id } = parseInput(portalIdParams, req.params, 'params');
    const own = await ownInvoice(db, portalContact(res), id);
    if (!own) throw new HttpError(404, 'not_found', 'You have no invoice with that id.');
    const invoice = await invoiceDetail(db, own.id);
    if (!invoice || (invoice.status !== 'open' && invoice.status !== 'uncollectible') || invoice.balanceMinor === 0) {
      throw new HttpError(409, 'nothing_owed', `Invoice ${own.number} is ${own.status}; nothing is owed.`);
    }
    if (!own.appointment_id) {
      throw new HttpError(409, 'not_payable_online', 'Please call us to pay this invoice.');
    }
    const token = await createManageToken(db, own.appointment_id, new Date(Date.now() + PORTAL_PAY_LINK_MS));
    res.status(201).json({ url: `/manage/${token}/pay` });
  });

  return router;
}
