/**
 * Serves the built web bundle: hashed assets under /assets (cached for a year) and index.html for the
 * app's routes (admin app, booking, manage and feedback pages), where React Router takes over.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { webDistDir } from '../web/bundle';

export const WEB_ROUTES = [
  '/admin',
  '/admin/*splat',
  '/book',
  '/book/*splat',
  '/manage/*splat',
  '/feedback/*splat',
  '/account',
  '/account/*splat',
];
/** The pages' prefixes: GET only (405 for other methods). */
export const WEB_PAGE_PREFIXES = ['/admin', '/book', '/manage', '/feedback', '/account', '/assets'];
const TOKEN_PAGE = /^\/(manage|feedback|account)(\/|$)/;

/**
 * Headers for the app's pages: scripts and styles only from this origin, no framing (click-jacking),
 * and no Referer, so a manage link's token never leaks to another site.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export function webRouter(): Router {
  const router = Router();
  const dir = webDistDir();
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  router.get(WEB_ROUTES, (req, res) => {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The web app is not built yet: run `npm run build:web`.');
      return;
    }
    // A link-token page is never cached nor indexed (src/http/edge.ts sets the same on its API).
    if (TOKEN_PAGE.test(req.path)) res.set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' });
    else res.set('cache-control', 'no-cache');
    res.set(PAGE_HEADERS);
    res.sendFile(index);
  });
  router.get('/', (_req, res) => res.redirect('/admin'));
  return router;
}
