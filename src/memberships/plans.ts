/**
 * Membership plans as a business owner manages them (admin app, Settings → Membership plans): every
 * plan with how many memberships it has sold and how many are still running, creating one, and
 * changing one.
 *
 * What a change may touch: the name, description and price apply to new purchases only — a membership
 * keeps the name and price it was sold with (copied to its row at purchase, migration 0013), so its
 * card, messages and invoices do not change. Retiring (`active: false`) stops sales; memberships
 * already sold run on. The terms a customer bought — visits, validity, covered services and the visit
 * policy — are read from the plan by every membership of it, so once a plan has sold a membership they
 * are refused (409 naming the field: create a new plan instead); while it has sold nothing they may
 * change freely.
 *
 * Every change is one append-only timeline entry (`membership_plan:created` / `:updated` / `:retired`
 * / `:offered`) with the actor and the fields changed (from → to), written in the transaction that
 * makes the change, like the services' audit (src/http/routes/admin-services.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline, auditTrail } from '../appointments/repository';
import type { Database } from '../db/schema';
import { MembershipError } from './service';

type Db = Kysely<Database> | Transaction<Database>;

export interface PlanActor {
  kind: string;
  name: string;
  id?: string;
}

export interface PlanInput {
  name?: string | undefined;
  description?: string | undefined;
  visitsTotal?: number | null | undefined;
  validityDays?: number | undefined;
  priceMinor?: number | undefined;
  currency?: string | undefined;
  serviceIds?: string[] | undefined;
  lateCancelHours?: number | undefined;
  lateCancelForfeits?: boolean | undefined;
  noShowForfeits?: boolean | undefined;
  expiryReminderDays?: number | undefined;
  active?: boolean | undefined;
}

/** The fields that are a customer's terms: fixed once the plan has sold a membership. */
export const PLAN_TERMS = [
  'visitsTotal',
  'validityDays',
  'serviceIds',
  'lateCancelHours',
  'lateCancelForfeits',
  'noShowForfeits',
  'expiryReminderDays',
] as const;

const COLUMNS = {
  name: 'name',
  description: 'description',
  visitsTotal: 'visits_total',
  validityDays: 'validity_days',
  priceMinor: 'price_minor',
  currency: 'currency',
  lateCancelHours: 'late_cancel_hours',
  lateCancelForfeits: 'late_cancel_forfeits',
  noShowForfeits: 'no_show_forfeits',
  expiryReminderDays: 'expiry_reminder_days',
  active: 'active',
} as const;

/** The plan as the admin app shows and edits it, with its sales. */
export async function planView(db: Db, id: string, now = Date.now()) {
  const row = await db.selectFrom('membership_plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [services, counts] = await Promise.all([
    db
      .selectFrom('membership_plan_services as ps')
      .innerJoin('services as s', 's.id', 'ps.service_id')
      .select(['s.id', 's.name'])
      .where('ps.plan_id', '=', id)
      .orderBy('s.name')
      .execute(),
    db
      .selectFrom('memberships')
      .select((eb) => [
        eb.fn.countAll<string>().as('sold'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) =>
            w.and([
              w('expired_at', 'is', null),
              w('stage', '!=', 'Membership Expired'),
              w('valid_until', '>', new Date(now)),
            ]),
          )
          .as('active'),
      ])
      .where('plan_id', '=', id)
      .executeTakeFirstOrThrow(),
  ]);
  const sold = Number(counts.sold);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    visitsTotal: row.visits_total,
    validityDays: row.validity_days,
    priceMinor: Number(row.price_minor),
    currency: row.currency.trim(),
    serviceIds: services.map((s) => s.id),
    services: services.map((s) => ({ id: s.id, name: s.name })),
    lateCancelHours: row.late_cancel_hours,
    lateCancelForfeits: row.late_cancel_forfeits,
    noShowForfeits: row.no_show_forfeits,
    expiryReminderDays: row.expiry_reminder_days,
    active: row.active,
    createdAt: row.created_at,
    memberships: { sold, active: Number(counts.active) },
    /** The terms that can no longer change, because memberships were sold with them. */
    lockedFields: sold > 0 ? [...PLAN_TERMS] : [],
  };
}
export type PlanView = NonNullable<Awaited<ReturnType<typeof planView>>>;

/** Every plan, for sale first, then retired ones. */
export async function listPlans(db: Db): Promise<PlanView[]> {
  const rows = await db.selectFrom('membership_plans').select('id').orderBy('active', 'desc').orderBy('name').execute();
  const views = await Promise.all(rows.map((r) => planView(db, r.id)));
  return views.filter((v): v is PlanView => v !== undefined);
}

function columnsOf(input: PlanInput): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = input[field as keyof typeof COLUMNS];
    if (value !== undefined) values[column] = value;
  }
  return values;
}

async function checkServices(db: Db, serviceIds: string[]): Promise<void> {
  if (!serviceIds.length) return;
  const known = await db.selectFrom('services').select('id').where('id', 'in', serviceIds).execute();
  const missing = serviceIds.find((id) => !known.some((k) => k.id === id));
  if (missing) throw new MembershipError(422, 'unknown_reference', 'serviceIds', `Service ${missing} does not exist.`);
}

async function setServices(db: Db, planId: string, serviceIds: string[]): Promise<void> {
  await db.deleteFrom('membership_plan_services').where('plan_id', '=', planId).execute();
  const unique = [...new Set(serviceIds)];
  if (unique.length) {
    await db
      .insertInto('membership_plan_services')
      .values(unique.map((service_id) => ({ plan_id: planId, service_id })))
      .execute();
  }
}

/** The audited fields of a plan (not its sales, which change by themselves). */
function audited(view: PlanView | undefined): Record<string, unknown> {
  if (!view) return {};
  const { id: _id, createdAt: _c, memberships: _m, lockedFields: _l, services: _s, ...fields } = view;
  return { ...fields, serviceIds: [...fields.serviceIds].sort() };
}

function changesBetween(before: PlanView | undefined, after: PlanView): Record<string, { from: unknown; to: unknown }> {
  const from = audited(before);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(audited(after))) {
    if (JSON.stringify(from[field]) !== JSON.stringify(to)) changes[field] = { from: from[field] ?? null, to };
  }
  return changes;
}

export async function createPlan(db: Kysely<Database>, input: PlanInput, actor: PlanActor): Promise<PlanView> {
  return db.transaction().execute(async (trx) => {
    await checkServices(trx, input.serviceIds ?? []);
    const created = await trx
      .insertInto('membership_plans')
      .values({ description: '', ...columnsOf(input) } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await setServices(trx, created.id, input.serviceIds ?? []);
    const view = (await planView(trx, created.id))!;
    await appendTimeline(trx, {
      kind: 'membership_plan:created',
      actor: actor.name,
      channel: 'admin',
      summary: `Membership plan ${view.name} created`,
      data: { planId: view.id, actor, changes: changesBetween(undefined, view) },
    });
    return view;
  });
}

function sameValue(field: (typeof PLAN_TERMS)[number], before: PlanView, value: unknown): boolean {
  if (field === 'serviceIds') {
    const given = [...new Set(value as string[])].sort();
    return JSON.stringify(given) === JSON.stringify([...before.serviceIds].sort());
  }
  return JSON.stringify(before[field]) === JSON.stringify(value);
}

/**
 * Changes a plan. Refused: unknown plan (404), a term changed while memberships were sold with the
 * plan (409 naming the field), an unknown service (422). A change to nothing writes no timeline entry.
 */
export async function updatePlan(
  db: Kysely<Database>,
  id: string,
  input: PlanInput,
  actor: PlanActor,
): Promise<{ plan: PlanView; changes: Record<string, { from: unknown; to: unknown }> }> {
  return db.transaction().execute(async (trx) => {
    // Locked, so a purchase cannot slip in between the check below and the change of terms.
    const locked = await trx
      .selectFrom('membership_plans')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw new MembershipError(404, 'not_found', 'id', `Membership plan ${id} does not exist.`);
    const before = (await planView(trx, id))!;
    if (before.memberships.sold > 0) {
      for (const field of PLAN_TERMS) {
        const value = input[field];
        if (value !== undefined && !sameValue(field, before, value)) {
          throw new MembershipError(
            409,
            'plan_terms_locked',
            field,
            `${before.memberships.sold} membership(s) were sold with this plan's ${field}; changing it would change their terms. Create a new plan instead.`,
          );
        }
      }
    }
    if (input.serviceIds !== undefined) await checkServices(trx, input.serviceIds);
    const values = columnsOf(input);
    if (Object.keys(values).length) {
      await trx
        .updateTable('membership_plans')
        .set(values as never)
        .where('id', '=', id)
        .execute();
    }
    if (input.serviceIds !== undefined && before.memberships.sold === 0) await setServices(trx, id, input.serviceIds);
    const after = (await planView(trx, id))!;
    const changes = changesBetween(before, after);
    if (Object.keys(changes).length) {
      const kind = changes.active
        ? after.active
          ? 'membership_plan:offered'
          : 'membership_plan:retired'
        : 'membership_plan:updated';
      await appendTimeline(trx, {
        kind,
        actor: actor.name,
        channel: 'admin',
        summary: `Membership plan ${after.name} changed: ${Object.keys(changes).join(', ')}`,
        data: { planId: id, actor, changes },
      });
    }
    return { plan: after, changes };
  });
}

/** The plan's audit trail, newest first. */
export async function planHistory(db: Db, id: string) {
  return auditTrail(db, 'membership_plan', 'planId', id);
}
