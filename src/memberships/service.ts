/**
 * Memberships at the edge: buying one (charge through the payment gateway, the membership row with a
 * fresh certificate number, its purchase invoice, the `membership:<id>` workflow), checking a booking
 * against it (the booking service calls `resolveVisitMembership` before and `reserveVisit` inside its
 * transaction), and the membership card.
 *
 * A purchase is idempotent on the caller's idempotency key: the gateway charge uses a key derived from
 * it, and the membership row stores it (`purchase_key UNIQUE`), so a retried request answers with the
 * membership bought the first time and never charges twice. The workflow is started after the row
 * commits (conflict policy USE_EXISTING), like an appointment's. The purchase transaction records
 * `membership.purchased` and, for a paid plan, `payment.succeeded` with the membership as subject.
 */
import { formatMoney } from '../billing/invoice';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Kysely, Transaction } from 'kysely';
import { DateTime } from 'luxon';
import { activeStatuses, appendTimeline } from '../appointments/repository';
import { recordMembershipEvent } from './events';
import type { Config } from '../config';
import type { Database } from '../db/schema';
import { validityEnd } from './validity';
import type { PaymentGateway } from '../payments/gateway';
import { formatWhen } from '../messaging/templates';
import { CertificateNumber, ContactId, MembershipId, MembershipStage } from '../../temporal/search-attributes';
import type { Actor, Channel } from '../../workflows/appointment/messages';
import { MEMBERSHIP_WORKFLOW_TYPE, membershipWorkflowId } from '../../workflows/membership/messages';
import type { membershipWorkflow } from '../../workflows/membership/workflow';
import { certificateFromRandom, normalizeCertificate } from './certificate';
import { countVisits, nextVisit, visitOutcome, type VisitOutcome } from './policy';
import { loadMembership, type MembershipWithPlan } from './repository';

export interface MembershipDeps {
  db: Kysely<Database>;
  temporal: Client;
  config: Config;
  payments: PaymentGateway;
}

/** A membership refuses a booking or a purchase; `field` names the request field at fault. */
export class MembershipError extends Error {
  override name = 'MembershipError';
  constructor(
    readonly status: 402 | 404 | 409 | 422,
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The new end of a membership's validity, from an instant or a date (the end of that day in the
 * membership's time zone). Refused when the membership is unknown, when the end is not after its
 * start, or when a booked visit would fall outside it (move or cancel that visit first).
 */
export async function resolveValidityChange(
  db: Kysely<Database>,
  membershipId: string,
  request: { validUntil?: string | undefined; validUntilDate?: string | undefined },
): Promise<number> {
  const membership = await db
    .selectFrom('memberships')
    .select(['id', 'time_zone', 'valid_from'])
    .where('id', '=', membershipId)
    .executeTakeFirst();
  if (!membership) throw new MembershipError(404, 'not_found', 'id', 'No membership with this id.');
  const field = request.validUntilDate !== undefined ? 'validUntilDate' : 'validUntil';
  const validUntil =
    request.validUntilDate !== undefined
      ? DateTime.fromISO(request.validUntilDate, { zone: membership.time_zone }).endOf('day').toMillis()
      : Date.parse(request.validUntil ?? '');
  if (!Number.isFinite(validUntil)) throw new MembershipError(422, 'invalid_validity', field, 'Not a valid date.');
  if (validUntil <= membership.valid_from.getTime()) {
    throw new MembershipError(
      422,
      'invalid_validity',
      field,
      `The validity must end after it starts (${formatWhen(membership.valid_from.getTime(), membership.time_zone)}).`,
    );
  }
  const stranded = await db
    .selectFrom('appointments')
    .select('starts_at')
    .where('membership_id', '=', membershipId)
    .where('status', 'in', [...activeStatuses])
    .where('starts_at', '>=', new Date(validUntil))
    .orderBy('starts_at')
    .executeTakeFirst();
  if (stranded) {
    throw new MembershipError(
      422,
      'visit_outside_validity',
      field,
      `A visit is booked for ${formatWhen(stranded.starts_at.getTime(), membership.time_zone)}, after the new end; move or cancel it first.`,
    );
  }
  return validUntil;
}

export interface PurchaseRequest {
  planId: string;
  customer: { name: string; email: string; phone?: string | undefined; smsOptIn: boolean; locale?: string | undefined };
  /** The card to charge (a Stripe payment method id; the simulated gateway knows Stripe's test ids). */
  paymentMethodId: string;
  timeZone: string;
  idempotencyKey: string;
  actor: Actor;
  channel: Channel;
  /**
   * A known email's stored details: `apply` the request's (staff, a proven customer; the default) or
   * leave the contact as it is (an unauthenticated purchase: src/identity/pending-details.ts).
   */
  knownContact?: 'apply' | 'pending';
}

export interface PurchaseResult {
  membershipId: string;
  certificateNumber: string;
  workflowId: string;
  created: boolean;
}

function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  return constraint === undefined || e.constraint === constraint || (e.message ?? '').includes(constraint);
}

async function upsertContact(
  trx: Transaction<Database>,
  customer: PurchaseRequest['customer'],
  timeZone: string,
  channel: string,
  now: number,
  newId: string,
  stripeCustomerId: string | null,
): Promise<string> {
  const email = customer.email.trim().toLowerCase();
  const existing = await trx
    .selectFrom('contacts')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .forUpdate()
    .executeTakeFirst();
  if (existing) {
    const optIn = customer.smsOptIn && !existing.sms_opt_in;
    await trx
      .updateTable('contacts')
      .set({
        name: customer.name,
        phone: customer.phone ?? existing.phone,
        time_zone: timeZone,
        ...(stripeCustomerId ? { stripe_customer_id: stripeCustomerId } : {}),
        locale: customer.locale ?? existing.locale,
        ...(optIn
          ? { sms_opt_in: true, sms_opt_in_at: new Date(now), sms_opt_in_source: channel, sms_opted_out_at: null }
          : {}),
        updated_at: new Date(now),
      })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  }
  const created = await trx
    .insertInto('contacts')
    .values({
      id: newId,
      name: customer.name,
      email,
      phone: customer.phone ?? null,
      time_zone: timeZone,
      stripe_customer_id: stripeCustomerId,
      locale: customer.locale ?? null,
      sms_opt_in: customer.smsOptIn,
      sms_opt_in_at: customer.smsOptIn ? new Date(now) : null,
      sms_opt_in_source: customer.smsOptIn ? channel : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

export async function purchaseMembership(
  deps: MembershipDeps,
  request: PurchaseRequest,
  now = Date.now(),
): Promise<PurchaseResult> {
  const { db } = deps;
  const already = await db
    .selectFrom('memberships')
    .select(['id', 'certificate_number', 'workflow_id'])
    .where('purchase_key', '=', request.idempotencyKey)
    .executeTakeFirst();
  if (already) {
    await startMembershipWorkflow(deps, already.id).catch(() => undefined);
    return {
      membershipId: already.id,
      certificateNumber: already.certificate_number,
      workflowId: already.workflow_id,
      created: false,
    };
  }
  const plan = await db
    .selectFrom('membership_plans')
    .selectAll()
    .where('id', '=', request.planId)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!plan)
    throw new MembershipError(
      422,
      'unknown_reference',
      'planId',
      `Membership plan ${request.planId} does not exist or is not for sale.`,
    );

  // The contact: created only once the card is charged (a declined purchase leaves none behind). A known
  // email changes nothing stored unless the request may (`knownContact: 'apply'`), and then its Stripe
  // customer is reused; otherwise the charge gets a customer of its own, not the stored contact's.
  const email = request.customer.email.trim().toLowerCase();
  const existing = await db
    .selectFrom('contacts')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  const mayUpdate = existing === undefined || request.knownContact !== 'pending';
  const contactId = existing?.id ?? randomUUID();
  const currency = plan.currency.trim();

  let payment: { paymentId: string | null } = { paymentId: null };
  let stripeCustomerId: string | null = null;
  if (plan.price_minor > 0) {
    const { customerId } = await deps.payments.ensureCustomer({
      contactId,
      email,
      name: request.customer.name,
      existingCustomerId: mayUpdate ? (existing?.stripe_customer_id ?? null) : null,
      idempotencyKey: mayUpdate
        ? `contact:${contactId}:customer`
        : `membership-purchase:${request.idempotencyKey}:customer`,
    });
    if (mayUpdate && customerId !== existing?.stripe_customer_id) stripeCustomerId = customerId;
    const charge = await deps.payments.chargeOffSession({
      amountMinor: plan.price_minor,
      currency,
      customerId,
      paymentMethodId: request.paymentMethodId,
      description: `Membership: ${plan.name}`,
      idempotencyKey: `membership-purchase:${request.idempotencyKey}`,
      metadata: { kind: 'membership', planId: plan.id, contactId },
    });
    if (charge.status !== 'succeeded') {
      throw new MembershipError(402, 'payment_declined', 'paymentMethodId', charge.message);
    }
    payment = { paymentId: charge.paymentId };
  }

  const membershipId = randomUUID();
  const workflowId = membershipWorkflowId(membershipId);
  let certificateNumber = '';
  for (let attempt = 0; ; attempt += 1) {
    certificateNumber = certificateFromRandom(randomBytes(12));
    try {
      await db.transaction().execute(async (trx) => {
        // The terms as they stand at the sale, with the plan locked: an admin's change of terms waits
        // for this sale and then finds the plan sold (and refuses); one that committed since the plan
        // was read above is what this membership gets.
        const terms = await trx
          .selectFrom('membership_plans')
          .select(['visits_total', 'validity_days'])
          .where('id', '=', plan.id)
          .forShare()
          .executeTakeFirstOrThrow();
        // To the end of the day in the membership's zone, not the time of day of the purchase.
        const validUntil = validityEnd(now, terms.validity_days, request.timeZone);
        if (mayUpdate) {
          await upsertContact(
            trx,
            request.customer,
            request.timeZone,
            request.channel,
            now,
            contactId,
            stripeCustomerId,
          );
        }
        await trx
          .insertInto('memberships')
          .values({
            id: membershipId,
            plan_id: plan.id,
            contact_id: contactId,
            certificate_number: certificateNumber,
            visits_total: terms.visits_total,
            valid_from: new Date(now),
            valid_until: new Date(validUntil),
            workflow_id: workflowId,
            time_zone: request.timeZone,
            purchase_key: request.idempotencyKey,
            // What it was sold with: a later rename or new price of the plan applies to new purchases.
            plan_name: plan.name,
            price_minor: plan.price_minor,
            currency,
          })
          .execute();
        const invoice = await trx
          .insertInto('invoices')
          .values({
            membership_id: membershipId,
            contact_id: contactId,
            currency,
            lines: JSON.stringify([
              {
                description: `Membership: ${plan.name}`,
                quantity: 1,
                unitMinor: plan.price_minor,
                amountMinor: plan.price_minor,
              },
            ]),
            subtotal_minor: plan.price_minor,
            total_minor: plan.price_minor,
            status: 'paid',
            issued_at: new Date(now),
            paid_at: new Date(now),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (plan.price_minor > 0) {
          await trx
            .insertInto('payment_attempts')
            .values({
              invoice_id: invoice.id,
              attempt: 1,
              amount_minor: plan.price_minor,
              currency,
              status: 'succeeded',
              gateway: deps.payments.name,
              provider_payment_id: payment.paymentId,
              idempotency_key: `membership-purchase:${request.idempotencyKey}`,
            })
            .execute();
        }
        await appendTimeline(trx, {
          membershipId,
          contactId,
          kind: 'membership:paid',
          actor: request.actor.name,
          channel: request.channel,
          summary: `Bought ${plan.name} for ${formatMoney(Number(plan.price_minor), currency)}${deps.payments.simulated ? ' (simulated gateway)' : ''}`,
          data: { planId: plan.id, paymentId: payment.paymentId },
          idempotencyKey: `${workflowId}:paid`,
        });
        await recordMembershipEvent(trx, {
          type: 'membership.purchased',
          membershipId,
          change: {
            kind: 'membership:purchased',
            actor: request.actor.name,
            channel: request.channel,
            invoiceId: invoice.id,
            paymentId: payment.paymentId,
            amountMinor: plan.price_minor,
            currency,
          },
          key: `membership:${membershipId}:purchased`,
        });
        if (plan.price_minor > 0) {
          // The charge as a payment event too (subject the membership: there is no appointment), so a
          // `payment.*` subscriber sees membership revenue like appointment payments.
          await recordMembershipEvent(trx, {
            type: 'payment.succeeded',
            membershipId,
            change: {
              kind: 'membership:payment_succeeded',
              actor: request.actor.name,
              channel: request.channel,
              invoiceId: invoice.id,
              paymentId: payment.paymentId,
              gateway: deps.payments.name,
              amountMinor: plan.price_minor,
              currency,
            },
            key: `membership-purchase:${request.idempotencyKey}:payment.succeeded`,
          });
        }
      });
      break;
    } catch (error) {
      if (isUniqueViolation(error, 'purchase_key')) {
        // The same purchase, made concurrently: answer with that one (the charge was the same too).
        return purchaseMembership(deps, request, now);
      }
      if (isUniqueViolation(error, 'certificate_number') && attempt < 5) continue;
      // Another request created this email's contact meanwhile: buy again, now for that contact
      // (the charge's idempotency key is the same, so the card is not charged twice).
      if (isUniqueViolation(error, 'contacts_email_key') && attempt < 5) return purchaseMembership(deps, request, now);
      throw error;
    }
  }
  await startMembershipWorkflow(deps, membershipId).catch(() => undefined); // the reconciler retries
  return { membershipId, certificateNumber, workflowId, created: true };
}

/** Starts (or finds) the workflow of a membership row and marks the row. Idempotent. */
export async function startMembershipWorkflow(
  deps: Pick<MembershipDeps, 'db' | 'temporal' | 'config'>,
  membershipId: string,
): Promise<void> {
  const m = await loadMembership(deps.db, { id: membershipId });
  if (!m) throw new Error(`Membership ${membershipId} does not exist`);
  await deps.temporal.workflow.start<typeof membershipWorkflow>(MEMBERSHIP_WORKFLOW_TYPE, {
    workflowId: m.workflowId,
    taskQueue: deps.config.temporal.taskQueue,
    args: [
      {
        membership: {
          membershipId: m.id,
          contactId: m.contactId,
          planName: m.planName,
          certificateNumber: m.certificateNumber,
          visitsTotal: m.visitsTotal,
          validFrom: m.validFrom.getTime(),
          validUntil: m.validUntil.getTime(),
          timeZone: m.timeZone,
          policy: m.policy,
        },
      },
    ],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: MembershipId, value: m.id },
      { key: MembershipStage, value: m.stage },
      { key: ContactId, value: m.contactId },
      { key: CertificateNumber, value: m.certificateNumber },
    ],
    staticSummary: `${m.planName} — certificate ${m.certificateNumber}`,
    staticDetails: `Membership ${m.id}, ${m.visitsTotal ?? 'unlimited'} visits, valid until ${m.validUntil.toISOString()} (${m.timeZone}).`,
  });
  await deps.db
    .updateTable('memberships')
    .set({ workflow_started_at: new Date() })
    .where('id', '=', membershipId)
    .where('workflow_started_at', 'is', null)
    .execute();
}

/** Starts the workflow of every membership row left without one (crash or Temporal unreachable). */
export async function startPendingMembershipWorkflows(
  deps: Pick<MembershipDeps, 'db' | 'temporal' | 'config'>,
  olderThanMs = 5_000,
  now = Date.now(),
): Promise<string[]> {
  const rows = await deps.db
    .selectFrom('memberships')
    .select('id')
    .where('workflow_started_at', 'is', null)
    .where('created_at', '<=', new Date(now - olderThanMs))
    .limit(100)
    .execute();
  for (const row of rows) await startMembershipWorkflow(deps, row.id);
  return rows.map((r) => r.id);
}

// --- booking a visit ---------------------------------------------------------------------------------

/**
 * The membership a booking names (by id or certificate number), checked before the booking
 * transaction: it exists, has not expired, is valid at the visit's start, and covers the service. A
 * plan that lists no services covers every service.
 */
export async function resolveVisitMembership(
  db: Kysely<Database>,
  request: {
    membershipId?: string | undefined;
    certificateNumber?: string | undefined;
    serviceId: string;
    startsAt: number;
  },
  now: number,
): Promise<MembershipWithPlan> {
  const field = request.membershipId ? 'membershipId' : 'certificateNumber';
  let membership: MembershipWithPlan | undefined;
  if (request.membershipId) {
    membership = await loadMembership(db, { id: request.membershipId });
  } else {
    const normalized = normalizeCertificate(request.certificateNumber ?? '');
    if (!normalized) {
      throw new MembershipError(
        422,
        'invalid_certificate',
        field,
        'That certificate number is not valid; check it and try again.',
      );
    }
    membership = await loadMembership(db, { certificateNumber: normalized });
  }
  if (!membership)
    throw new MembershipError(422, 'unknown_reference', field, 'No membership has that certificate number.');
  if (membership.stage === 'Membership Expired' || membership.expiredAt || membership.validUntil.getTime() <= now) {
    throw new MembershipError(409, 'membership_expired', field, 'This membership has expired.');
  }
  if (request.startsAt >= membership.validUntil.getTime()) {
    throw new MembershipError(
      409,
      'membership_expired',
      field,
      `This membership is valid until ${membership.validUntil.toISOString()}; choose an earlier time.`,
    );
  }
  if (membership.serviceIds.length > 0 && !membership.serviceIds.includes(request.serviceId)) {
    throw new MembershipError(422, 'service_not_covered', 'serviceId', 'This membership does not cover that service.');
  }
  return membership;
}

/** Outcomes of every visit booked against a membership, from its appointment rows. */
async function visitOutcomes(db: Kysely<Database>, membership: MembershipWithPlan) {
  const rows = await db
    .selectFrom('appointments')
    .select(['id', 'status', 'starts_at', 'cancelled_at'])
    .where('membership_id', '=', membership.id)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    outcome: visitOutcome(
      { status: r.status, startsAt: r.starts_at.getTime(), cancelledAt: r.cancelled_at?.getTime() ?? null },
      membership.policy,
    ),
  }));
}

/**
 * Inside the booking transaction: locks the membership row (two bookings of the last visit are
 * serialised) and refuses when no visit is left to book.
 */
export async function reserveVisit(
  trx: Transaction<Database>,
  membership: MembershipWithPlan,
  field: string,
): Promise<void> {
  // FOR NO KEY UPDATE: serialises bookings of the same membership without blocking the foreign-key
  // share locks of rows that merely reference it (a membership message being stored meanwhile), which
  // FOR UPDATE would — a deadlock with this transaction's lock on the contact.
  await trx.selectFrom('memberships').select('id').where('id', '=', membership.id).forNoKeyUpdate().executeTakeFirst();
  if (membership.visitsTotal === null) return;
  const counts = countVisits(
    membership.visitsTotal,
    (await visitOutcomes(trx, membership)).map((v) => v.outcome),
  );
  if ((counts.bookable ?? 1) <= 0) {
    throw new MembershipError(
      409,
      'no_visits_left',
      field,
      counts.left === 0
        ? 'All visits of this membership have been used.'
        : 'Every visit left on this membership is already booked.',
    );
  }
}

// --- the card ----------------------------------------------------------------------------------------

export async function membershipCard(
  db: Kysely<Database>,
  config: Config,
  membershipId: string,
  audience: 'staff' | 'customer',
) {
  const m = await loadMembership(db, { id: membershipId });
  if (!m) return undefined;
  const [plan, services, rows, timeline] = await Promise.all([
    db.selectFrom('membership_plans').selectAll().where('id', '=', m.planId).executeTakeFirstOrThrow(),
    db
      .selectFrom('membership_plan_services as ps')
      .innerJoin('services as s', 's.id', 'ps.service_id')
      .select(['s.id', 's.name'])
      .where('ps.plan_id', '=', m.planId)
      .orderBy('s.name')
      .execute(),
    db
      .selectFrom('appointments as a')
      .innerJoin('services as s', 's.id', 'a.service_id')
      .select(['a.id', 'a.status', 'a.stage', 'a.starts_at', 'a.ends_at', 'a.cancelled_at', 's.name as service_name'])
      .where('a.membership_id', '=', m.id)
      .orderBy('a.starts_at')
      .execute(),
    db
      .selectFrom('timeline_events')
      .select(['occurred_at', 'kind', 'actor', 'channel', 'summary', 'appointment_id'])
      .where('membership_id', '=', m.id)
      .orderBy('id')
      .execute(),
  ]);
  const visits = rows.map((r) => ({
    appointmentId: r.id,
    service: r.service_name,
    startsAt: r.starts_at.getTime(),
    status: r.status,
    stage: r.stage,
    outcome: visitOutcome(
      { status: r.status, startsAt: r.starts_at.getTime(), cancelledAt: r.cancelled_at?.getTime() ?? null },
      m.policy,
    ) as VisitOutcome,
  }));
  const counts = countVisits(
    m.visitsTotal,
    visits.map((v) => v.outcome),
  );
  const next = nextVisit(visits);
  const local = (instant: number) => DateTime.fromMillis(instant, { zone: m.timeZone });
  return {
    id: m.id,
    certificateNumber: m.certificateNumber,
    stage: m.stage,
    plan: {
      id: plan.id,
      // The name and price the membership was sold with (the plan may have been renamed or repriced
      // since, for new purchases); visits, validity, services and policy cannot change once sold.
      name: m.planName,
      visitsTotal: plan.visits_total,
      validityDays: plan.validity_days,
      price: { amountMinor: m.priceMinor, currency: m.currency },
      services: services.map((s) => ({ id: s.id, name: s.name })),
      policy: m.policy,
    },
    visits: {
      total: m.visitsTotal,
      used: counts.used,
      forfeited: counts.forfeited,
      returned: counts.returned,
      booked: counts.booked,
      left: counts.left,
      bookable: counts.bookable,
    },
    validFrom: m.validFrom.toISOString(),
    validUntil: m.validUntil.toISOString(),
    expiredAt: m.expiredAt?.toISOString() ?? null,
    timeZone: m.timeZone,
    nextVisit: next
      ? {
          appointmentId: next.appointmentId,
          service: next.service,
          startsAt: new Date(next.startsAt).toISOString(),
          date: local(next.startsAt).toISODate(),
          time: local(next.startsAt).toFormat('HH:mm'),
          stage: next.stage,
        }
      : null,
    history: visits.map((v) => ({ ...v, startsAt: new Date(v.startsAt).toISOString() })),
    timeline: timeline.map((t) => ({
      at: t.occurred_at.toISOString(),
      kind: t.kind,
      actor: t.actor,
      channel: t.channel,
      summary: t.summary,
      appointmentId: t.appointment_id,
    })),
    ...(audience === 'staff'
      ? {
          workflowId: m.workflowId,
          temporalUrl: `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(m.workflowId)}`,
        }
      : {}),
  };
}
