/**
 * Rate limits at the HTTP edge (issue 12), counted in the database so replicas share them
 * (src/rate-limits/counters.ts), keyed by the client address Express derives under TRUST_PROXY (a
 * rotated X-Forwarded-For counts only through a configured proxy):
 * - sign-in: per account (email), per client address, and across all accounts (against spraying);
 * - public booking and membership purchase: per client address and per contact (email);
 * - link endpoints (manage, feedback, certificate lookup): per client address, and changes through one
 *   manage link per contact; a future portal-code endpoint takes `portal.*` the same way.
 * Over a limit: 429 `rate_limited` with `Retry-After` (seconds). Limits are configured by RATE_LIMITS.
 */
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { RateLimitName, RateLimits } from '../config';
import type { Database } from '../db/schema';
import { countHit } from '../rate-limits/counters';
import { HttpError } from './errors';

export class RateLimiter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: RateLimits,
  ) {}

  /**
   * Counts one hit on each named limit for its subject and refuses (429 with Retry-After, set on `res`)
   * when any is over. A subject of undefined skips that limit.
   */
  async hit(res: Response, hits: Array<[RateLimitName, string | undefined]>): Promise<void> {
    if (this.limits === 'off') return;
    let retryAfter = 0;
    for (const [name, subject] of hits) {
      const limit = this.limits[name];
      if (subject === undefined) continue;
      const counted = await countHit(this.db, `${name}:${subject.toLowerCase()}`, limit.windowMs);
      if (counted.hits > limit.max) {
        retryAfter = Math.max(retryAfter, Math.ceil((counted.resetAt.getTime() - Date.now()) / 1000));
      }
    }
    if (retryAfter > 0) {
      res.set('retry-after', String(retryAfter));
      throw new HttpError(
        429,
        'rate_limited',
        `Too many requests. Please try again in ${retryAfter < 120 ? `${retryAfter} seconds` : `${Math.ceil(retryAfter / 60)} minutes`}.`,
      );
    }
  }
}

/** The client address as Express derives it under TRUST_PROXY (the TCP peer unless a proxy is trusted). */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
