/**
 * Serves the built web bundle: hashed assets under /assets (cached for a year) and index.html for the
 * app's routes (admin app, booking, manage and feedback pages), where React Router takes over.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { type Request, type Response, Router } from 'express';
import { webDistDir } from '../web/bundle';

export const WEB_ROUTES = [
  '/admin',
  '/admin/*splat',
  '/book',
  '/book/*splat',
  '/manage/*splat',
  '/feedback/*splat',
  '/memberships/plans/*splat',
  '/waitlist/*splat',
  '/account',
  '/account/*splat',
];

/** The booking flow as the widget shows it on the business's own website (framed by any site). */
export const EMBED_ROUTES = ['/embed/book', '/embed/book/*splat'];

/** The pages' prefixes: GET only (405 for other methods). */
export const WEB_PAGE_PREFIXES = [
  '/admin',
  '/book',
  '/manage',
  '/feedback',
  '/assets',
  '/memberships/plans',
  '/embed',
  '/waitlist',
  '/account',
];
const TOKEN_PAGE = /^\/(manage|feedback|waitlist|account)(\/|$)/;

/**
 * Headers for the app's pages: scripts and styles only from this origin, no framing (click-jacking),
 * and no Referer, so a manage link's token never leaks to another site.
 */
export function pageHeaders(options: { stripeJsUrl?: string | undefined } = {}) {
  // With Stripe, the Payment Element: Stripe.js from its configured origin, Stripe's iframes and API
  // (https://docs.stripe.com/security/guide#content-security-policy).
  const stripe = options.stripeJsUrl
    ? [...new Set([new URL(options.stripeJsUrl).origin, 'https://js.stripe.com'])].join(' ')
    : '';
  const with_ = (sources: string) => (stripe ? `${sources} ${stripe}` : sources);
  return {
    'content-security-policy':
      `default-src 'self'; script-src ${with_("'self'")}; style-src 'self'; img-src 'self' data:; ` +
      `connect-src ${with_("'self'")}${stripe ? ' https://api.stripe.com' : ''}; ` +
      (stripe ? `frame-src ${stripe} https://hooks.stripe.com; ` : '') +
      "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
}

/**
 * The embedded booking page may be framed by any site (that is its purpose: the widget); it holds no
 * credential of its own (the manage link opens in a new tab, outside the frame) and every other header
 * stays as strict.
 */
function embedHeaders(PAGE_HEADERS: ReturnType<typeof pageHeaders>) {
  return {
    ...Object.fromEntries(Object.entries(PAGE_HEADERS).filter(([name]) => name !== 'x-frame-options')),
    'content-security-policy': PAGE_HEADERS['content-security-policy'].replace(
      "frame-ancestors 'none'",
      'frame-ancestors *',
    ),
  };
}

export function webRouter(options: { stripeJsUrl?: string | undefined } = {}): Router {
  const PAGE_HEADERS = pageHeaders(options);
  const EMBED_HEADERS = embedHeaders(PAGE_HEADERS);
  const router = Router();
  const dir = webDistDir();
  // The bundle compressed on the wire (gzip/brotli per Accept-Encoding): a phone on a slow network
  // downloads a third of it. Only the web files; API answers are small and streamed as they are.
  const compress = compression();
  router.use(['/assets', '/embed.js', ...WEB_ROUTES, ...EMBED_ROUTES], compress);
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  const page = (headers: Record<string, string>) => (req: Request, res: Response) => {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The web app is not built yet: run `npm run build:web`.');
      return;
    }
    // A link-token page is never cached nor indexed (src/http/edge.ts sets the same on its API).
    if (TOKEN_PAGE.test(req.path)) res.set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' });
    else res.set('cache-control', 'no-cache');
    res.set(headers);
    res.sendFile(index);
  };
  router.get(WEB_ROUTES, page(PAGE_HEADERS));
  router.get(EMBED_ROUTES, page(EMBED_HEADERS));
  // The widget's loader, for <script src=".../embed.js"> on other sites.
  router.get('/embed.js', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').type('text/javascript');
    res.sendFile(join(dir, 'embed.js'));
  });
  router.get('/', (_req, res) => res.redirect('/admin'));
  return router;
}
