/**
 * The business's identity for the customer pages (public) and its editing by admins (issue 14), plus
 * the favicon: the logo when it is an image on this site, else the business's initial on its colour.
 */
import { Router } from 'express';
import { businessProfilePatch, loadBusinessProfile, updateBusinessProfile } from '../../business/profile';
import { both, callerActor, requireAdminRole, requireApiKey, requireOfficeRole } from '../auth';
import { HttpError } from '../errors';
import type { AppDeps } from '../app';
import { parseInput } from '../validate';

/** An SVG monogram: the first letter of the name, white on the brand colour. */
export function monogramSvg(name: string, color: string): string {
  const letter = (name.trim().match(/\p{L}|\p{N}/u)?.[0] ?? '•').toUpperCase();
  const escaped = letter.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const fill = /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#1a5fb4';
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
    `<rect width="64" height="64" rx="14" fill="${fill}"/>` +
    '<text x="32" y="44" font-family="Arial,Helvetica,sans-serif" font-size="36" font-weight="bold" ' +
    `text-anchor="middle" fill="#ffffff">${escaped}</text></svg>`
  );
}

export function businessRouter(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps.database;

  router.get('/api/business', async (_req, res) => {
    const business = await loadBusinessProfile(db);
    if (!business) throw new HttpError(404, 'not_found', 'The business profile has not been set up yet.');
    // Whether payments are simulated (no Stripe key): the purchase page then shows its test-mode form.
    res.set('cache-control', 'no-cache').json({ business, paymentsSimulated: deps.config.stripe === undefined });
  });

  router.get('/favicon.svg', async (_req, res) => {
    const business = await loadBusinessProfile(db);
    res
      .type('image/svg+xml')
      .set('cache-control', 'public, max-age=300')
      .send(monogramSvg(business?.name ?? 'appointflow', business?.brandColor ?? '#1a5fb4'));
  });

  router.patch(
    '/api/admin/business',
    ...both(requireApiKey(db), requireOfficeRole, requireAdminRole),
    async (req, res) => {
      const patch = parseInput(businessProfilePatch, req.body, 'body');
      const business = await updateBusinessProfile(db, patch, callerActor(res).name);
      res.json({ business });
    },
  );

  return router;
}
