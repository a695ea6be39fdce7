/**
 * Staff members as admins manage them (issue 15): add, edit (name, email, phone, role, time zone,
 * services, colour), deactivate and reactivate — each one timeline entry (`staff:created`,
 * `staff:updated`, `staff:deactivated`, `staff:reactivated`) with the actor and the fields changed
 * (from → to), written in the transaction that makes the change. A staff member's sign-in account (if
 * any) follows their name, role and active flag; deactivating ends its sessions (lookupSession only
 * accepts active accounts). Their booked appointments stay theirs and are listed for reassignment.
 */
import type { Kysely, Transaction } from 'kysely';
import { appendTimeline, auditTrail } from '../appointments/repository';
import type { Database, StaffRole } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface StaffFields {
  name: string;
  email: string;
  phone: string | null;
  role: StaffRole;
  timeZone: string;
  colour: string | null;
  serviceIds: string[];
}

export interface StaffView extends StaffFields {
  id: string;
  active: boolean;
  /** The sign-in account linked to this staff member, if any. */
  account: { email: string; active: boolean } | null;
  /** The latest invitation to set a password. */
  invitation: { sentAt: string; expiresAt: string; acceptedAt: string | null } | null;
}

export interface FutureAppointment {
  id: string;
  startsAt: string;
  endsAt: string;
  contactName: string;
  serviceName: string;
}

/** A change refused for a reason the caller can fix; `fields` name the inputs. */
export class StaffChangeRefused extends Error {
  constructor(
    readonly code: 'not_found' | 'email_taken' | 'unknown_reference' | 'own_account',
    message: string,
    readonly fields: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'StaffChangeRefused';
  }
}

export async function staffView(db: Db, id: string): Promise<StaffView | undefined> {
  const row = await db
    .selectFrom('staff')
    .select(['id', 'name', 'email', 'phone', 'role', 'time_zone', 'colour', 'active'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const [services, account, invitation] = await Promise.all([
    db.selectFrom('staff_services').select('service_id').where('staff_id', '=', id).orderBy('service_id').execute(),
    db.selectFrom('staff_accounts').select(['email', 'active']).where('staff_id', '=', id).executeTakeFirst(),
    db
      .selectFrom('staff_invitations')
      .select(['created_at', 'expires_at', 'accepted_at'])
      .where('staff_id', '=', id)
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
  ]);
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    role: row.role,
    timeZone: row.time_zone,
    colour: row.colour,
    active: row.active,
    serviceIds: services.map((s) => s.service_id),
    account: account ?? null,
    invitation: invitation
      ? {
          sentAt: invitation.created_at.toISOString(),
          expiresAt: invitation.expires_at.toISOString(),
          acceptedAt: invitation.accepted_at?.toISOString() ?? null,
        }
      : null,
  };
}

/** Everyone, active first, by name (the settings list). */
export async function listStaff(db: Db): Promise<StaffView[]> {
  const rows = await db.selectFrom('staff').select('id').orderBy('active', 'desc').orderBy('name').execute();
  return (await Promise.all(rows.map((r) => staffView(db, r.id)))).filter((s): s is StaffView => Boolean(s));
}

/** The staff member's appointments from `now` on that still hold their time: to reassign. */
export async function futureAppointments(db: Db, staffId: string, now: Date): Promise<FutureAppointment[]> {
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .select(['a.id', 'a.starts_at', 'a.ends_at', 'c.name as contactName', 's.name as serviceName'])
    .where('a.staff_id', '=', staffId)
    .where('a.status', 'in', ['scheduled', 'in_progress'])
    .where('a.ends_at', '>', now)
    .orderBy('a.starts_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    contactName: r.contactName,
    serviceName: r.serviceName,
  }));
}

/** The history of one staff member: their `staff:*` timeline entries, newest first. */
export async function staffHistory(db: Db, staffId: string) {
  return auditTrail(db, 'staff', 'staffId', staffId);
}

const FIELDS: ReadonlyArray<keyof StaffFields> = ['name', 'email', 'phone', 'role', 'timeZone', 'colour', 'serviceIds'];

/** The fields whose value differs, as { field: { from, to } }. */
export function staffChanges(
  before: Partial<StaffFields> | undefined,
  after: StaffFields,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of FIELDS) {
    const from = before?.[field] ?? null;
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

async function checkEmailFree(db: Db, email: string, staffId: string | null): Promise<void> {
  let q = db
    .selectFrom('staff')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()));
  if (staffId) q = q.where('id', '!=', staffId);
  if (await q.executeTakeFirst()) {
    throw new StaffChangeRefused('email_taken', `Another staff member already has the email ${email}.`, [
      { field: 'email', message: 'already used by another staff member' },
    ]);
  }
}

async function checkServices(db: Db, serviceIds: string[]): Promise<void> {
  if (!serviceIds.length) return;
  const found = await db.selectFrom('services').select('id').where('id', 'in', serviceIds).execute();
  const known = new Set(found.map((s) => s.id));
  const unknown = serviceIds.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
  if (unknown.length) {
    throw new StaffChangeRefused(
      'unknown_reference',
      `Unknown service(s): ${unknown.map((u) => u.id).join(', ')}.`,
      unknown.map(({ i }) => ({ field: `serviceIds.${i}`, message: 'unknown service' })),
    );
  }
}

async function setServices(trx: Db, staffId: string, serviceIds: string[]): Promise<void> {
  await trx.deleteFrom('staff_services').where('staff_id', '=', staffId).execute();
  const unique = [...new Set(serviceIds)];
  if (unique.length) {
    await trx
      .insertInto('staff_services')
      .values(unique.map((service_id) => ({ staff_id: staffId, service_id })))
      .execute();
  }
}

function fieldsOf(view: StaffView): StaffFields {
  const { name, email, phone, role, timeZone, colour, serviceIds } = view;
  return { name, email, phone, role, timeZone, colour, serviceIds };
}

export async function createStaff(db: Kysely<Database>, input: StaffFields, actor: string): Promise<StaffView> {
  return db.transaction().execute(async (trx) => {
    await checkEmailFree(trx, input.email, null);
    await checkServices(trx, input.serviceIds);
    const row = await trx
      .insertInto('staff')
      .values({
        name: input.name,
        email: input.email,
        phone: input.phone,
        role: input.role,
        time_zone: input.timeZone,
        colour: input.colour,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setServices(trx, row.id, input.serviceIds);
    const view = (await staffView(trx, row.id))!;
    await appendTimeline(trx, {
      kind: 'staff:created',
      actor,
      channel: 'admin',
      summary: `Staff member ${view.name} added (${view.role})`,
      data: { staffId: row.id, actor, changes: staffChanges(undefined, fieldsOf(view)) },
    });
    return view;
  });
}

export interface StaffPatch extends Partial<StaffFields> {
  active?: boolean;
}

/**
 * Changes the fields given. `self`: the staff member the signed-in admin is, who may neither
 * deactivate themself nor give up the admin role (nobody would be left to undo it).
 */
export async function updateStaff(
  db: Kysely<Database>,
  id: string,
  patch: StaffPatch,
  actor: string,
  self: string | null,
): Promise<{ staff: StaffView; changes: Record<string, { from: unknown; to: unknown }> }> {
  return db.transaction().execute(async (trx) => {
    const before = await staffView(trx, id);
    if (!before) throw new StaffChangeRefused('not_found', `Staff member ${id} does not exist.`);
    if (self === id && patch.active === false)
      throw new StaffChangeRefused('own_account', 'You cannot deactivate yourself.', [
        { field: 'active', message: 'you cannot deactivate yourself' },
      ]);
    if (self === id && patch.role && patch.role !== 'admin' && before.role === 'admin')
      throw new StaffChangeRefused('own_account', 'You cannot take away your own admin role.', [
        { field: 'role', message: 'you cannot take away your own admin role' },
      ]);
    if (patch.email !== undefined) await checkEmailFree(trx, patch.email, id);
    if (patch.serviceIds) await checkServices(trx, patch.serviceIds);
    const now = new Date();
    await trx
      .updateTable('staff')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.colour !== undefined ? { colour: patch.colour } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    if (patch.serviceIds) await setServices(trx, id, patch.serviceIds);
    // The sign-in account follows: name, role, and whether it may sign in.
    if (patch.name !== undefined || patch.role !== undefined || patch.active !== undefined) {
      await trx
        .updateTable('staff_accounts')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          updated_at: now,
        })
        .where('staff_id', '=', id)
        .execute();
    }
    const after = (await staffView(trx, id))!;
    const changes = staffChanges(fieldsOf(before), fieldsOf(after));
    if (before.active !== after.active) changes.active = { from: before.active, to: after.active };
    if (Object.keys(changes).length) {
      const kind =
        changes.active && Object.keys(changes).length === 1
          ? after.active
            ? 'staff:reactivated'
            : 'staff:deactivated'
          : 'staff:updated';
      const summary =
        kind === 'staff:updated'
          ? `Staff member ${after.name} changed: ${Object.keys(changes).join(', ')}`
          : `Staff member ${after.name} ${after.active ? 'reactivated' : 'deactivated'}`;
      await appendTimeline(trx, { kind, actor, channel: 'admin', summary, data: { staffId: id, actor, changes } });
    }
    return { staff: after, changes };
  });
}

/** The staff as the admin app's pickers list them, the active ones first, by name; `includeInactive` adds the deactivated. */
export async function staffRows(db: Db, includeInactive: boolean) {
  let q = db
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'time_zone as timeZone', 'colour', 'active'])
    .orderBy('active', 'desc')
    .orderBy('name');
  if (!includeInactive) q = q.where('active', '=', true);
  return q.execute();
}

/** The staff member's name, or undefined when there is no such staff member. */
export async function staffNameOf(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('staff').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name;
}
