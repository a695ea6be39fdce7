/**
 * Staff management (issue 15): a staff member's detail (services, sign-in account, invitation, future
 * appointments, change history) for the office; add, edit, deactivate / reactivate and invite to set a
 * password for admins (API keys pass). Validated here with 4xx naming the field; the changes and their
 * audit entries are in src/staff/management.ts and src/staff/invitations.ts. The invitation page's own
 * endpoints (`/api/staff-invitations/{token}`) are public: the token is the credential.
 */
import { Router } from 'express';
import { z } from 'zod';
import { acceptInvitation, inviteStaff, lookupInvitation } from '../../staff/invitations';
import { MIN_PASSWORD_LENGTH } from '../../staff/accounts';
import {
  createStaff,
  futureAppointments,
  StaffChangeRefused,
  staffHistory,
  staffView,
  updateStaff,
} from '../../staff/management';
import { messageProvidersFromConfig } from '../../messaging/from-config';
import { callerActor, requireAdminRole, requireApiKey, requireOfficeRole, sessionStaff } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { e164, timeZone, uuid } from '../schemas';
import { parseInput } from '../validate';
import { text } from '../text';

const staffFields = {
  name: text(200, { min: 1, error: 'expected a name' }),
  email: z.email({ error: 'expected an email address' }).max(320, 'at most 320 characters'),
  phone: e164.nullable(),
  role: z.enum(['admin', 'staff', 'technician'], { error: 'expected admin, staff or technician' }),
  timeZone,
  colour: z
    .string({ error: 'expected a colour such as #1f77b4' })
    .regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #1f77b4')
    .transform((c) => c.toLowerCase())
    .nullable(),
  serviceIds: z.array(uuid, { error: 'expected a list of service ids' }).max(200, 'at most 200 services'),
};

export const staffCreateBody = z.strictObject({
  ...staffFields,
  phone: staffFields.phone.optional(),
  colour: staffFields.colour.optional(),
  serviceIds: staffFields.serviceIds.optional(),
});

export const staffUpdateBody = z
  .strictObject({
    name: staffFields.name,
    email: staffFields.email,
    phone: staffFields.phone,
    role: staffFields.role,
    timeZone: staffFields.timeZone,
    colour: staffFields.colour,
    serviceIds: staffFields.serviceIds,
    active: z.boolean({ error: 'expected true or false' }),
  })
  .partial();

export const invitationAcceptBody = z.object({
  // Compared byte for byte: neither trimmed nor normalised.
  password: text(1000, { min: MIN_PASSWORD_LENGTH, trim: false, normalize: false, error: 'expected a password' }),
});

const idParams = z.object({ id: uuid });
export const tokenParams = z.object({
  token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,100}$/, 'not an invitation link')
    .describe('The token from the invitation link'),
});

const REFUSAL_STATUS: Record<StaffChangeRefused['code'], number> = {
  not_found: 404,
  email_taken: 409,
  unknown_reference: 422,
  own_account: 422,
};

function httpError(error: unknown): unknown {
  if (!(error instanceof StaffChangeRefused)) return error;
  return new HttpError(REFUSAL_STATUS[error.code], error.code, error.message, {}, error.fields);
}

export function adminStaffRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const office = [requireApiKey(db), requireOfficeRole];
  const admin = [...office, requireAdminRole];

  router.get('/api/admin/staff/:id', ...office, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const staff = await staffView(db, id);
    if (!staff) throw new HttpError(404, 'not_found', `Staff member ${id} does not exist.`);
    const [appointments, history] = await Promise.all([futureAppointments(db, id, new Date()), staffHistory(db, id)]);
    res.json({ staff, futureAppointments: appointments, history });
  });

  router.post('/api/admin/staff', ...admin, async (req, res) => {
    const body = parseInput(staffCreateBody, req.body, 'body');
    try {
      const staff = await createStaff(
        db,
        { ...body, phone: body.phone ?? null, colour: body.colour ?? null, serviceIds: body.serviceIds ?? [] },
        callerActor(res).name,
      );
      res.status(201).json({ staff });
    } catch (error) {
      throw httpError(error);
    }
  });

  router.patch('/api/admin/staff/:id', ...admin, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    const body = parseInput(staffUpdateBody, req.body, 'body');
    try {
      const result = await updateStaff(db, id, body, callerActor(res).name, sessionStaff(res)?.staffId ?? null);
      // Deactivated with appointments still booked: they are listed for reassignment.
      res.json({ ...result, futureAppointments: await futureAppointments(db, id, new Date()) });
    } catch (error) {
      throw httpError(error);
    }
  });

  router.post('/api/admin/staff/:id/invite', ...admin, async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'params');
    try {
      const invitation = await inviteStaff(db, messageProvidersFromConfig(deps.config).email, {
        staffId: id,
        actor: callerActor(res).name,
        publicBaseUrl: deps.config.http.publicBaseUrl,
      });
      res.status(201).json({ invitation: { ...invitation, expiresAt: invitation.expiresAt.toISOString() } });
    } catch (error) {
      throw httpError(error);
    }
  });

  const deadLink = () =>
    new HttpError(
      410,
      'invitation_gone',
      'This invitation link has been used, has expired or was replaced by a newer one. Ask an admin to invite you again.',
    );

  router.get('/api/staff-invitations/:token', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const invitation = await lookupInvitation(db, token);
    if (!invitation) throw deadLink();
    res.set('cache-control', 'no-store');
    res.json({ invitation });
  });

  router.post('/api/staff-invitations/:token', async (req, res) => {
    const { token } = parseInput(tokenParams, req.params, 'params');
    const body = parseInput(invitationAcceptBody, req.body, 'body');
    const accepted = await acceptInvitation(db, token, body.password);
    if (!accepted) throw deadLink();
    res.json({ invitation: accepted });
  });

  return router;
}
