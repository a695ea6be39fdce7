/**
 * Services and their policies, edited from the admin app (issue 6): list, create, update, archive.
 * Admin only (a session needs the admin role; API keys are issued by admins and pass). Every field is
 * validated here — the lifecycle policy by the domain's own strict zod schema, so a misspelt key or a
 * bad value is refused naming `lifecyclePolicy.<key>` — and every change is one timeline entry
 * (`service:created` / `service:updated` / `service:archived` / `service:deleted`) with the actor and
 * the fields changed (from → to), written in the transaction that makes the change.
 *
 * What changes affect: availability and booking read the service row, so new bookings and the free
 * slots follow at once. A booked appointment keeps its own times, blocked interval, price and currency
 * (copied to its row at booking). Its lifecycle and billing policy are NOT copied: the appointment
 * workflow reloads the service's policy with every snapshot an activity returns (each mark's stage
 * change, reschedule, status change), so a running workflow follows a changed policy after its next
 * activity — the mark it is sleeping towards fires at the old time, the later ones follow the new
 * policy; marks already fired are not re-run. See docs/architecture.md (Services and their policies).
 */
import { Router } from 'express';
import { z } from 'zod';
import { appendTimeline } from '../../appointments/repository';
import { MAX_LATE_CANCEL_HOURS } from '../../domain/cancellation-policy';
import { depositProblem } from '../../domain/deposit-policy';
import { DEFAULT_LIFECYCLE_POLICY, lifecyclePolicySchema } from '../../domain/lifecycle-policy';
import {
  businessCurrency,
  columnsOf,
  type Db,
  deleteService,
  insertService,
  lockService,
  serviceHistory,
  serviceIds,
  serviceReferences,
  serviceView,
  type ServiceView,
  setServiceStaff,
  retireSlug,
  unknownStaff,
  updateService,
} from '../../services/repository';
import { callerActor, requireAdminRole, requireApiKey, requireOfficeRole } from '../auth';
import { HttpError, type FieldProblem } from '../errors';
import type { AppDeps } from '../app';
import { currencyCode, uuid } from '../schemas';
import { text } from '../text';

const whole = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int(`expected a whole number of ${what}`)
    .min(min, `must be at least ${min} ${what}`)
    .max(max, `must be at most ${max} ${what}`);
const money = z
  .number({ error: 'expected an amount in minor units (cents)' })
  .int('expected a whole amount in minor units (cents)')
  .min(0, 'must be 0 or more')
  .max(100_000_000_00, 'at most 100,000,000.00');

/** A cancellation fee: a fixed amount in minor units, or a whole percent of the booked price. */
const feeRule = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('fixed'), amountMinor: money.min(1, 'must be more than 0') }),
    z.strictObject({ kind: z.literal('percent'), percent: whole('percent', 1, 100) }),
  ],
  { error: 'expected { kind: "fixed", amountMinor } or { kind: "percent", percent }' },
);

/** The cancellation policy (src/domain/cancellation-policy.ts); null: cancelling is free, no no-show fee. */
const cancellationPolicy = z
  .strictObject({
    lateCancelHours: whole('hours', 0, MAX_LATE_CANCEL_HOURS),
    lateCancelFee: feeRule.nullable(),
    noShowFee: feeRule.nullable(),
  })
  .refine((p) => p.lateCancelFee === null || p.lateCancelHours > 0, {
    path: ['lateCancelHours'],
    message: 'set how many hours before the start the late-cancel fee applies (more than 0)',
  })
  .nullable();

/** The deposit taken at booking (src/domain/deposit-policy.ts); a fixed amount is checked against the price. */
const depositPolicy = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('fixed'), amountMinor: money.min(1, 'must be more than 0') }),
    z.strictObject({ kind: z.literal('percent'), percent: whole('percent', 1, 100) }),
  ],
  { error: 'expected { kind: "none" }, { kind: "fixed", amountMinor } or { kind: "percent", percent }' },
);

/** A deposit the service's price cannot carry (a fixed amount above it, a free service): 422 naming the field. */
function checkDeposit(service: ServiceView): void {
  const price =
    service.pricing === 'fixed'
      ? service.priceMinor
      : Math.round((service.hourlyRateMinor * service.durationMinutes) / 60);
  const problem = depositProblem(service.depositPolicy, price);
  if (!problem) return;
  const field = service.depositPolicy.kind === 'fixed' ? 'depositPolicy.amountMinor' : 'depositPolicy';
  throw new HttpError(422, 'invalid_deposit', `The deposit ${problem}.`, {}, [{ field, message: problem }]);
}

/** Every editable field of a service; on create most take the database defaults when left out. */
const serviceFields = {
  name: text(200, { min: 1, error: 'expected a name' }),
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes, e.g. deep-tissue-massage')
    .max(100, 'at most 100 characters'),
  description: text(2000),
  durationMinutes: whole('minutes', 5, 1440),
  bufferBeforeMinutes: whole('minutes', 0, 480),
  bufferAfterMinutes: whole('minutes', 0, 480),
  slotIntervalMinutes: whole('minutes', 5, 240),
  minNoticeMinutes: whole('minutes', 0, 525_600),
  bookingHorizonDays: whole('days', 1, 730),
  currency: currencyCode,
  pricing: z.enum(['fixed', 'hourly'], { error: 'expected fixed or hourly' }),
  priceMinor: money,
  hourlyRateMinor: money,
  billingIncrementMinutes: whole('minutes', 1, 240),
  billingPolicy: z.enum(['manual', 'auto'], { error: 'expected manual or auto' }),
  /** Whether booking asks for a card saved for after the visit (issue 13). */
  cardAtBooking: z.enum(['required', 'optional', 'none'], { error: 'expected required, optional or none' }),
  cancellationPolicy,
  depositPolicy,
  /** What the customer is asked to send before the visit (confirmation, portal conversation); null or empty: nothing. */
  filesRequest: text(500).nullable(),
  taxRateBps: whole('basis points', 0, 10_000).nullable(),
  lifecyclePolicy: lifecyclePolicySchema,
  active: z.boolean({ error: 'expected true or false' }),
  location: z.enum(['business', 'customer'], { error: "expected business or customer (the customer's address)" }),
  staffIds: z.array(uuid, { error: 'expected a list of staff ids' }).max(200),
};

export const serviceCreateBody = z.strictObject({
  ...serviceFields,
  slug: serviceFields.slug.optional(),
  description: serviceFields.description.optional(),
  bufferBeforeMinutes: serviceFields.bufferBeforeMinutes.optional(),
  bufferAfterMinutes: serviceFields.bufferAfterMinutes.optional(),
  slotIntervalMinutes: serviceFields.slotIntervalMinutes.optional(),
  minNoticeMinutes: serviceFields.minNoticeMinutes.optional(),
  bookingHorizonDays: serviceFields.bookingHorizonDays.optional(),
  currency: serviceFields.currency.optional(),
  priceMinor: serviceFields.priceMinor.optional(),
  hourlyRateMinor: serviceFields.hourlyRateMinor.optional(),
  billingIncrementMinutes: serviceFields.billingIncrementMinutes.optional(),
  billingPolicy: serviceFields.billingPolicy.optional(),
  cardAtBooking: serviceFields.cardAtBooking.optional(),
  cancellationPolicy: serviceFields.cancellationPolicy.optional(),
  depositPolicy: serviceFields.depositPolicy.optional(),
  filesRequest: serviceFields.filesRequest.optional(),
  taxRateBps: serviceFields.taxRateBps.optional(),
  lifecyclePolicy: serviceFields.lifecyclePolicy.optional(),
  active: serviceFields.active.optional(),
  location: serviceFields.location.optional(),
  staffIds: serviceFields.staffIds.default([]),
});

export const serviceUpdateBody = z
  .strictObject(serviceFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

const idParams = z.object({ id: uuid });

/**
 * Zod issues → fields. A strict object's unknown keys are one issue at the object's path; each key is
 * named on its own (`lifecyclePolicy.reminderHours`) so the form can show it next to that key.
 */
function problems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'not a known setting' }));
    }
    return [{ field: path.join('.') || '(body)', message: issue.message }];
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'params'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields = problems(result.error);
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new HttpError(400, 'validation_failed', `Invalid ${where}: ${summary}`, {}, fields);
}

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'service';
}

/** Fields whose value differs between two views, as { field: { from, to } }. */
function changesBetween(
  before: ServiceView | undefined,
  after: ServiceView,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const skip = new Set(['id', 'updatedAt', 'effectiveLifecyclePolicy', 'formerSlugs']);
  for (const [field, to] of Object.entries(after)) {
    if (skip.has(field)) continue;
    const from = before ? (before as Record<string, unknown>)[field] : undefined;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from: from ?? null, to };
  }
  return changes;
}

async function checkStaff(db: Db, staffIds: string[]): Promise<void> {
  const unknown = await unknownStaff(db, staffIds);
  if (unknown.length) {
    throw new HttpError(
      422,
      'unknown_reference',
      `Unknown staff member(s): ${unknown.map((u) => u.id).join(', ')}.`,
      {},
      unknown.map(({ i }) => ({ field: `staffIds.${i}`, message: 'unknown staff member' })),
    );
  }
}

function isUniqueSlug(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === '23505' && /slug/.test(e.message ?? '');
}

const slugTaken = (slug: string) =>
  new HttpError(409, 'slug_taken', `Another service already uses the address name "${slug}".`, {}, [
    { field: 'slug', message: 'already used by another service' },
  ]);

/** The fields as staff read them on the timeline (the API's keys stay in `data.changes`). */
const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  slug: 'address name',
  description: 'description',
  durationMinutes: 'duration',
  bufferBeforeMinutes: 'buffer before',
  bufferAfterMinutes: 'buffer after',
  slotIntervalMinutes: 'slot interval',
  minNoticeMinutes: 'notice',
  bookingHorizonDays: 'booking horizon',
  currency: 'currency',
  pricing: 'pricing',
  priceMinor: 'price',
  hourlyRateMinor: 'hourly rate',
  billingIncrementMinutes: 'billing increment',
  billingPolicy: 'billing policy',
  cardAtBooking: 'card at booking',
  cancellationPolicy: 'cancellation policy',
  depositPolicy: 'deposit',
  filesRequest: 'files asked before the visit',
  taxRateBps: 'tax rate',
  lifecyclePolicy: 'lifecycle policy',
  active: 'offered',
  staffIds: 'staff',
};

function summaryOf(name: string, changes: Record<string, unknown>): string {
  const fields = Object.keys(changes).map((f) => FIELD_WORDS[f] ?? f);
  return `Service ${name} changed: ${fields.join(', ') || 'nothing'}`;
}

export function adminServicesRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  router.use('/api/admin/services', requireApiKey(db), requireOfficeRole);

  router.get('/api/admin/services', async (_req, res) => {
    const services = await Promise.all((await serviceIds(db)).map((id) => serviceView(db, id)));
    res.json({ services, lifecyclePolicyDefaults: DEFAULT_LIFECYCLE_POLICY });
  });

  router.get('/api/admin/services/:id', async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    const service = await serviceView(db, id);
    if (!service) throw new HttpError(404, 'not_found', `Service ${id} does not exist.`);
    const { history, appointments } = await serviceHistory(db, id);
    res.json({ service, lifecyclePolicyDefaults: DEFAULT_LIFECYCLE_POLICY, appointments, history });
  });

  router.post('/api/admin/services', requireAdminRole, async (req, res) => {
    const body = parse(serviceCreateBody, req.body, 'body');
    const actor = callerActor(res);
    const slug = body.slug ?? slugify(body.name);
    try {
      const service = await db.transaction().execute(async (trx) => {
        await checkStaff(trx, body.staffIds);
        const currency = body.currency ?? (await businessCurrency(trx)) ?? 'USD';
        const id = await insertService(trx, columnsOf({ ...body, slug, currency }), slug);
        await setServiceStaff(trx, id, body.staffIds);
        const view = (await serviceView(trx, id))!;
        checkDeposit(view);
        await appendTimeline(trx, {
          kind: 'service:created',
          actor: actor.name,
          channel: 'admin',
          summary: `Service ${view.name} created`,
          data: { serviceId: id, actor, changes: changesBetween(undefined, view) },
        });
        return view;
      });
      res.status(201).json({ service });
    } catch (error) {
      if (isUniqueSlug(error)) throw slugTaken(slug);
      throw error;
    }
  });

  router.patch('/api/admin/services/:id', requireAdminRole, async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(serviceUpdateBody, req.body, 'body');
    const actor = callerActor(res);
    try {
      const result = await db.transaction().execute(async (trx) => {
        if (!(await lockService(trx, id))) throw new HttpError(404, 'not_found', `Service ${id} does not exist.`);
        const before = (await serviceView(trx, id))!;
        const values = columnsOf(body);
        if (body.slug !== undefined && body.slug !== before.slug) await retireSlug(trx, id, before.slug, body.slug);
        if (Object.keys(values).length) await updateService(trx, id, values);
        if (body.staffIds !== undefined) {
          await checkStaff(trx, body.staffIds);
          await setServiceStaff(trx, id, body.staffIds);
        }
        const after = (await serviceView(trx, id))!;
        checkDeposit(after);
        const changes = changesBetween(before, after);
        if (Object.keys(changes).length) {
          const archived = changes.active && after.active === false;
          await appendTimeline(trx, {
            kind: archived ? 'service:archived' : 'service:updated',
            actor: actor.name,
            channel: 'admin',
            summary: summaryOf(after.name, changes),
            data: { serviceId: id, actor, changes },
          });
        }
        return { service: after, changes };
      });
      res.json(result);
    } catch (error) {
      if (isUniqueSlug(error)) throw slugTaken(body.slug ?? '');
      throw error;
    }
  });

  /**
   * Removes a service: deleted when nothing refers to it, otherwise archived (inactive: no longer
   * offered or bookable; its appointments and membership plans keep it). Archiving twice is harmless.
   */
  router.delete('/api/admin/services/:id', requireAdminRole, async (req, res) => {
    const { id } = parse(idParams, req.params, 'params');
    const actor = callerActor(res);
    const result = await db.transaction().execute(async (trx) => {
      const before = await serviceView(trx, id);
      if (!before) throw new HttpError(404, 'not_found', `Service ${id} does not exist.`);
      const { appointment, plan } = await serviceReferences(trx, id);
      if (appointment || plan) {
        await updateService(trx, id, { active: false });
        if (before.active) {
          await appendTimeline(trx, {
            kind: 'service:archived',
            actor: actor.name,
            channel: 'admin',
            summary: `Service ${before.name} archived (${appointment ? 'appointments' : 'membership plans'} refer to it)`,
            data: { serviceId: id, actor, changes: { active: { from: true, to: false } } },
          });
        }
        return { outcome: 'archived' as const, service: (await serviceView(trx, id))! };
      }
      await deleteService(trx, id);
      await appendTimeline(trx, {
        kind: 'service:deleted',
        actor: actor.name,
        channel: 'admin',
        summary: `Service ${before.name} deleted`,
        data: { serviceId: id, actor, service: before },
      });
      return { outcome: 'deleted' as const, service: null };
    });
    res.json(result);
  });

  return router;
}
