/**
 * Memberships over HTTP (issue 5):
 * - public: the plans for sale, buying one (card charged through the payment gateway; idempotent on
 *   the caller's key), and the membership card by certificate number (hard to guess by design);
 * - staff (API key): the card by membership id (with the workflow's live state and its
 *   Temporal Web UI link), and extending the validity (an update to the membership workflow).
 * Visits are booked through the normal booking endpoints with `certificateNumber` or `membershipId`.
 */
import { Router } from 'express';
import { z } from 'zod';
import { normalizeCertificate } from '../../memberships/certificate';
import { MembershipError, membershipCard, purchaseMembership, resolveValidityChange } from '../../memberships/service';
import { paymentGatewayFromConfig } from '../../payments/from-config';
import { PaymentGatewayError } from '../../payments/gateway';
import {
  extendValidityUpdate,
  membershipStateQuery,
  type MembershipState,
  membershipWorkflowId,
} from '../../../workflows/membership/messages';
import type { Actor } from '../../../workflows/appointment/messages';
import { both, callerActor, requireApiKey, requireOfficeRole } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { extendValidityBody, membershipPurchaseBodyFor, uuid } from '../schemas';
import { businessCountry } from '../business-country';
import { parseInput } from '../validate';
import { knownContactMode } from '../customer-identity';
import { clientAddress, RateLimiter } from '../rate-limits';
import { text } from '../text';
import { updateWorkflow } from '../workflow-updates';

export const certificateParams = z.object({ certificateNumber: text(40, { min: 1 }) });

function membershipHttpError(error: unknown): unknown {
  if (error instanceof MembershipError) {
    return new HttpError(error.status, error.code, error.message, {}, [{ field: error.field, message: error.message }]);
  }
  if (error instanceof PaymentGatewayError && !error.retryable) {
    return new HttpError(402, 'payment_failed', error.message, {}, [
      { field: 'paymentMethodId', message: error.message },
    ]);
  }
  return error;
}

export function membershipsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const payments = deps.payments ?? paymentGatewayFromConfig(deps.config);
  const staffOnly = both(requireApiKey(db), requireOfficeRole);
  const limiter = new RateLimiter(db, deps.config.http.rateLimits);

  router.get('/api/membership-plans', async (_req, res) => {
    const plans = await db
      .selectFrom('membership_plans')
      .selectAll()
      .where('active', '=', true)
      .orderBy('name')
      .execute();
    const covered = plans.length
      ? await db
          .selectFrom('membership_plan_services')
          .select(['plan_id', 'service_id'])
          .where(
            'plan_id',
            'in',
            plans.map((p) => p.id),
          )
          .execute()
      : [];
    res.json({
      plans: plans.map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        visitsTotal: p.visits_total,
        validityDays: p.validity_days,
        price: { amountMinor: p.price_minor, currency: p.currency.trim() },
        serviceIds: covered.filter((c) => c.plan_id === p.id).map((c) => c.service_id),
        policy: {
          lateCancelHours: p.late_cancel_hours,
          lateCancelForfeits: p.late_cancel_forfeits,
          noShowForfeits: p.no_show_forfeits,
          expiryReminderDays: p.expiry_reminder_days,
        },
      })),
    });
  });

  // Creating and changing plans: routes/membership-plans.ts (admin only, audited).

  router.post('/api/memberships', async (req, res) => {
    const body = parseInput(membershipPurchaseBodyFor(await businessCountry(db)), req.body, 'body');
    await limiter.hit(res, [
      ['purchase.ip', clientAddress(req)],
      ['purchase.contact', body.customer.email],
    ]);
    try {
      const bought = await purchaseMembership(
        { db, temporal: deps.temporal, config: deps.config, payments },
        {
          planId: body.planId,
          customer: body.customer,
          paymentMethodId: body.paymentMethodId,
          timeZone: body.timeZone,
          idempotencyKey: body.idempotencyKey,
          actor: { kind: 'customer', name: body.customer.name },
          channel: 'web',
          knownContact: await knownContactMode(db, req, body.customer.email),
        },
      );
      const card = await membershipCard(db, deps.config, bought.membershipId, 'customer');
      res.status(bought.created ? 201 : 200).json({ membership: card });
    } catch (error) {
      throw membershipHttpError(error);
    }
  });

  router.get('/api/memberships/certificates/:certificateNumber', async (req, res) => {
    const { certificateNumber } = parseInput(certificateParams, req.params, 'params');
    const normalized = normalizeCertificate(certificateNumber);
    if (!normalized) {
      throw new HttpError(400, 'invalid_certificate', 'That certificate number is not valid.', {}, [
        { field: 'certificateNumber', message: 'not a valid certificate number (check symbol mismatch)' },
      ]);
    }
    const row = await db
      .selectFrom('memberships')
      .select('id')
      .where('certificate_number', '=', normalized)
      .executeTakeFirst();
    if (!row) throw new HttpError(404, 'not_found', 'No membership has that certificate number.');
    res.json({ membership: await membershipCard(db, deps.config, row.id, 'customer') });
  });

  router.get('/api/memberships/:id', ...staffOnly, async (req, res) => {
    const { id } = parseInput(z.object({ id: uuid }), req.params, 'params');
    const card = await membershipCard(db, deps.config, id, 'staff');
    if (!card) throw new HttpError(404, 'not_found', `Membership ${id} does not exist.`);
    let workflow: MembershipState | null = null;
    try {
      workflow = await deps.temporal.workflow.getHandle(membershipWorkflowId(id)).query(membershipStateQuery);
    } catch {
      workflow = null; // not started yet, finished long ago, or the cluster is unreachable
    }
    res.json({ membership: card, workflow });
  });

  router.post('/api/memberships/:id/extend', ...staffOnly, async (req, res) => {
    const { id } = parseInput(z.object({ id: uuid }), req.params, 'params');
    const body = parseInput(extendValidityBody, req.body, 'body');
    const actor: Actor = body.actor
      ? { kind: body.actor.kind, name: body.actor.name, ...(body.actor.id ? { id: body.actor.id } : {}) }
      : callerActor(res);
    const validUntil = await resolveValidityChange(db, id, body).catch((error: unknown) => {
      throw membershipHttpError(error);
    });
    // Answers once the workflow has written the change, so the card below shows it.
    await updateWorkflow(deps.temporal, res, {
      workflowId: membershipWorkflowId(id),
      update: extendValidityUpdate,
      args: [{ validUntil, actor, channel: body.channel }],
      field: body.validUntilDate !== undefined ? 'validUntilDate' : 'validUntil',
    });
    res.json({ membership: await membershipCard(db, deps.config, id, 'staff') });
  });

  return router;
}
