/**
 * Staff calendars (src/calendars/): connect / disconnect a staff member's Google Calendar or Outlook,
 * the OAuth redirect back from the vendor, and the vendors' push notifications that mark the cached
 * busy blocks stale. Admins manage anyone's; other staff their own.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { graphBody } from '../../integrations/inbound/adapters/microsoft-graph';
import { externalBusy } from '../../calendars/busy';
import { CALENDAR_PROVIDERS } from '../../calendars/providers';
import { listConnections } from '../../calendars/repository';
import {
  CalendarConnectError,
  completeConnection,
  disconnect,
  markStale,
  startConnection,
} from '../../calendars/service';
import { registerBusySource } from '../../availability/service';
import { callerActor, requireApiKey, sessionStaff } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { uuid } from '../schemas';
import { parseInput } from '../validate';
import { text } from '../text';

export const callbackQuery = z.object({
  code: text(2048).optional(),
  state: text(256).optional(),
  error: text(256).optional(),
});

const params = z.object({
  id: uuid,
  provider: z.enum(CALENDAR_PROVIDERS, { error: 'expected google or microsoft' }),
});

function mayManage(res: Response, staffId: string): void {
  const me = sessionStaff(res);
  if (me && me.role !== 'admin' && me.staffId !== staffId) {
    throw new HttpError(403, 'forbidden', 'Only an admin can connect or disconnect another staff member’s calendar.');
  }
}

function asHttp(error: unknown): never {
  if (error instanceof CalendarConnectError) {
    throw new HttpError(error.status, 'calendar_connect_failed', error.message, {}, [
      { field: error.field, message: error.message },
    ]);
  }
  throw error;
}

export function calendarConnectionsRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const calendarDeps = { db, config: deps.config };
  // Availability everywhere in this process counts the connected calendars' busy blocks.
  registerBusySource(db, (staffIds, window, now) => externalBusy(calendarDeps, staffIds, window, now));

  router.get('/api/admin/calendar-connections', requireApiKey(db), async (_req, res) => {
    const me = sessionStaff(res);
    const rows = await listConnections(db);
    res.json({
      providers: CALENDAR_PROVIDERS.filter((p) => deps.config.calendars[p] !== undefined),
      connections: rows
        .filter((r) => !me || me.role !== 'technician' || r.staff_id === me.staffId)
        .map((r) => ({
          id: r.id,
          staffId: r.staff_id,
          staffName: r.staff_name,
          provider: r.provider,
          status: r.status,
          account: r.account,
          busyFetchedAt: r.busy_fetched_at?.toISOString() ?? null,
          pushUntil: r.watch_expires_at?.toISOString() ?? null,
          lastError: r.last_error,
        })),
    });
  });

  router.post('/api/admin/staff/:id/calendar/:provider/connect', requireApiKey(db), async (req, res) => {
    const { id, provider } = parseInput(params, req.params, 'params');
    mayManage(res, id);
    const started = await startConnection(calendarDeps, {
      staffId: id,
      provider,
      actor: callerActor(res).name,
    }).catch(asHttp);
    res.status(201).json(started);
  });

  router.delete('/api/admin/staff/:id/calendar/:provider', requireApiKey(db), async (req, res) => {
    const { id, provider } = parseInput(params, req.params, 'params');
    mayManage(res, id);
    const done = await disconnect(calendarDeps, { staffId: id, provider }, Date.now());
    if (!done) throw new HttpError(404, 'not_found', `No ${provider} calendar is connected for this staff member.`);
    res.status(204).end();
  });

  // The vendor sends the browser back here; the answer is a page of the admin app saying what happened.
  router.get('/oauth/calendar/callback', async (req, res) => {
    const query = parseInput(callbackQuery, req.query, 'query');
    const target = new URLSearchParams();
    try {
      const done = await completeConnection(
        calendarDeps,
        { code: query.code, state: query.state, error: query.error },
        Date.now(),
      );
      target.set('connected', done.provider);
      target.set('account', done.account);
    } catch (error) {
      target.set(
        'error',
        error instanceof CalendarConnectError ? error.message : 'The calendar could not be connected.',
      );
      if (!(error instanceof CalendarConnectError)) deps.logger.warn({ err: error }, 'calendar connection failed');
    }
    res.redirect(302, `/admin/settings/calendars?${target.toString()}`);
  });

  // Google: an empty body, the channel in X-Goog-* headers; `sync` opens the channel.
  router.post('/webhooks/calendar-busy/google', async (req, res) => {
    const channel = req.get('x-goog-channel-id');
    const state = req.get('x-goog-resource-state');
    if (!channel) throw new HttpError(400, 'validation_failed', 'X-Goog-Channel-ID is missing.');
    const outcome = await markStale(calendarDeps, { watchId: channel, secret: req.get('x-goog-channel-token') });
    if (outcome === 'unknown') throw new HttpError(404, 'not_found', 'Unknown channel.');
    if (outcome === 'forged') throw new HttpError(401, 'unauthenticated', 'Channel token mismatch.');
    res.status(200).json({ ok: true, state });
  });

  // Microsoft Graph: the subscription handshake echoes validationToken; notifications carry clientState.
  router.post('/webhooks/calendar-busy/microsoft', async (req, res) => {
    const token = req.query.validationToken;
    if (typeof token === 'string') {
      res.status(200).type('text/plain').send(token);
      return;
    }
    const body = parseInput(graphBody, req.body, 'body');
    const outcomes = await Promise.all(
      body.value.map((n) => markStale(calendarDeps, { watchId: n.subscriptionId, secret: n.clientState ?? undefined })),
    );
    if (outcomes.includes('forged')) throw new HttpError(401, 'unauthenticated', 'clientState mismatch.');
    res.status(202).end();
  });

  return router;
}
