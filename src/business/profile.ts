/**
 * The business as customers see it (issue 14): name, logo, brand colour, address, phone, email, time
 * zone, the country phone numbers default to, the customer-facing policy and the default language.
 * Read by the public pages (`GET /api/business`), changed by admins (`PATCH /api/admin/business`),
 * each change on the timeline with who made it and what changed.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { appendTimeline } from '../appointments/repository';
import type { Database } from '../db/schema';
import { displayPhone, examplePhone } from '../domain/phone';
import { isValidTimeZone } from '../domain/time';
import { text } from '../http/text';
import { resolveLocale, SUPPORTED_LOCALES } from '../i18n/locales';
import type { BusinessProfile } from './types';

export type { BusinessProfile };

type Db = Kysely<Database> | Transaction<Database>;

export async function loadBusinessProfile(db: Db): Promise<BusinessProfile | undefined> {
  const row = await db.selectFrom('business').selectAll().executeTakeFirst();
  if (!row) return undefined;
  return {
    name: row.name,
    email: row.email,
    phone: row.phone,
    phoneDisplay: row.phone ? displayPhone(row.phone, row.country) : null,
    phoneExample: examplePhone(row.country),
    address: row.address,
    timeZone: row.time_zone,
    currency: row.currency.trim(),
    logoUrl: row.logo_url,
    brandColor: row.brand_color,
    country: row.country,
    policy: row.customer_policy,
    defaultLocale: resolveLocale(row.default_locale),
  };
}

/** Only https URLs or a path on this site: the pages' Content-Security-Policy allows images from here. */
const logoUrl = z
  .string()
  .trim()
  .max(2000, 'at most 2000 characters')
  .refine(
    (v) =>
      /^\/[^/\\]/.test(v) ||
      /^https:\/\/[^\s"'<>]+$/i.test(v) ||
      /^data:image\/(png|svg\+xml|jpeg|webp);base64,[A-Za-z0-9+/=]+$/.test(v),
    {
      message: 'expected a path on this site such as /brand/logo.png, an https:// address or a data:image URL',
    },
  );

/** Every field an admin may change; each is optional in a PATCH. */
export const businessProfilePatch = z
  .strictObject({
    name: text(200, { min: 1, error: 'expected a name' }),
    email: z.email({ error: 'expected an email address' }).max(320),
    phone: text(40).nullable(),
    address: text(500).nullable(),
    timeZone: z.string().refine(isValidTimeZone, { message: 'expected an IANA time zone such as America/New_York' }),
    logoUrl: logoUrl.nullable(),
    brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #2f6b3f'),
    country: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code such as US'),
    policy: text(2000),
    defaultLocale: z.enum(SUPPORTED_LOCALES, { error: `expected one of ${SUPPORTED_LOCALES.join(', ')}` }),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export type BusinessProfilePatch = z.output<typeof businessProfilePatch>;

const COLUMNS = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  address: 'address',
  timeZone: 'time_zone',
  logoUrl: 'logo_url',
  brandColor: 'brand_color',
  country: 'country',
  policy: 'customer_policy',
  defaultLocale: 'default_locale',
} as const satisfies Record<keyof BusinessProfilePatch, string>;

/** Applies the change and writes `business:updated` (actor, fields from → to) in one transaction. */
export async function updateBusinessProfile(
  db: Kysely<Database>,
  patch: BusinessProfilePatch,
  actor: string,
): Promise<BusinessProfile> {
  return db.transaction().execute(async (trx) => {
    const before = await loadBusinessProfile(trx);
    if (!before) throw new Error('The business profile is missing');
    const values: Record<string, unknown> = {};
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, column] of Object.entries(COLUMNS)) {
      const to = patch[field as keyof BusinessProfilePatch];
      if (to === undefined) continue;
      values[column] = to;
      const from = before[field as keyof BusinessProfile];
      if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
    }
    await trx
      .updateTable('business')
      .set({ ...values, updated_at: new Date() })
      .execute();
    if (Object.keys(changes).length > 0) {
      await appendTimeline(trx, {
        kind: 'business:updated',
        actor,
        channel: 'admin',
        summary: `Business profile changed: ${Object.keys(changes).join(', ')}`,
        data: { actor, changes },
      });
    }
    return (await loadBusinessProfile(trx))!;
  });
}
