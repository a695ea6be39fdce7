/**
 * Membership plans managed from the admin app (Settings → Membership plans): the staff list of every
 * plan, retired ones included, with memberships sold and still active; one plan with its audit trail;
 * creating a plan; and changing one (`PATCH`: name, description and price for new purchases, `active`
 * to retire it or offer it again, and the terms only while it has sold nothing — see
 * src/memberships/plans.ts). Reading is for office staff; changes need the admin role (API keys are
 * issued by admins and pass). The public list of plans for sale stays in routes/memberships.ts.
 */
import { Router } from 'express';
import { z } from 'zod';
import { createPlan, listPlans, planHistory, planView, updatePlan } from '../../memberships/plans';
import { MembershipError } from '../../memberships/service';
import { both, callerActor, requireAdminRole, requireApiKey, requireOfficeRole } from '../auth';
import { HttpError, fieldsOf } from '../errors';
import type { AppDeps } from '../app';
import { membershipPlanBody, membershipPlanUpdateBody, uuid } from '../schemas';
import { parseInput } from '../validate';

function planHttpError(error: unknown): unknown {
  if (error instanceof MembershipError) {
    return new HttpError(error.status, error.code, error.message, {}, [{ field: error.field, message: error.message }]);
  }
  return error;
}

/** Like parseInput, but an unknown key is named on its own (`colour: not a known field`). */
function parseUpdate(value: unknown) {
  const result = membershipPlanUpdateBody.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: key, message: 'not a known field' }))
      : fieldsOf(new z.ZodError([issue])),
  );
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new HttpError(400, 'validation_failed', `Invalid body: ${summary}`, {}, fields);
}

export function membershipPlansRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;
  const staff = both(requireApiKey(db), requireOfficeRole);
  const admin = both(staff, requireAdminRole);

  router.get('/api/admin/membership-plans', ...staff, async (_req, res) => {
    res.json({ plans: await listPlans(db) });
  });

  router.get('/api/admin/membership-plans/:id', ...staff, async (req, res) => {
    const { id } = parseInput(z.object({ id: uuid }), req.params, 'params');
    const plan = await planView(db, id);
    if (!plan) throw new HttpError(404, 'not_found', `Membership plan ${id} does not exist.`);
    res.json({ plan, history: await planHistory(db, id) });
  });

  router.post('/api/membership-plans', ...admin, async (req, res) => {
    const body = parseInput(membershipPlanBody, req.body, 'body');
    const plan = await createPlan(db, body, callerActor(res)).catch((error: unknown) => {
      throw planHttpError(error);
    });
    res.status(201).json({ plan });
  });

  router.patch('/api/membership-plans/:id', ...admin, async (req, res) => {
    const { id } = parseInput(z.object({ id: uuid }), req.params, 'params');
    const body = parseUpdate(req.body);
    const result = await updatePlan(db, id, body, callerActor(res)).catch((error: unknown) => {
      throw planHttpError(error);
    });
    res.json(result);
  });

  return router;
}
