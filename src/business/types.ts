/**
 * The business as customers see it: the answer of `GET /api/business`, shared by the server
 * (src/business/profile.ts) and the customer pages (web/src/customer/business.tsx). Dependency-free.
 */
import type { Locale } from '../i18n/locales';

export interface BusinessProfile {
  name: string;
  email: string;
  phone: string | null;
  /** The phone as people in the business's country write it, e.g. "(212) 555-0100". */
  phoneDisplay: string | null;
  /** A mobile number of the country in national form, for the booking form's hint. */
  phoneExample: string;
  address: string | null;
  timeZone: string;
  currency: string;
  logoUrl: string | null;
  brandColor: string;
  country: string;
  policy: string;
  defaultLocale: Locale;
}
