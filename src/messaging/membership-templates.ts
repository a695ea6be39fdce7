/**
 * Customer messages of a membership: purchase confirmation (with the certificate number), the expiry
 * reminder while visits remain, and the expiry notice with a renewal offer. These are the built-in
 * defaults of the membership entries of the template registry (src/messaging/template-registry.ts),
 * with the variables a staff override may use and a sample context; the registry renders them (or the
 * override). SMS are GSM-7 and fit two segments (names are shortened first). Pure.
 */
import { formatMoney } from '../billing/invoice';
import { type Block, oneLine, renderEmail, type RenderedEmail } from './layout';
import { type SmsPart, fitSms } from './sms';
import { formatWhen, formatWhenShort } from './templates';
import type { Locale } from '../i18n/locales';
import { rich, textFor, type Tr } from './customer-text';

export const MEMBERSHIP_CUSTOMER_EVENTS = ['membershipPurchased', 'membershipExpiring', 'membershipExpired'] as const;
export type MembershipCustomerEvent = (typeof MEMBERSHIP_CUSTOMER_EVENTS)[number];

export const MEMBERSHIP_DESCRIPTIONS: Readonly<Record<MembershipCustomerEvent, string>> = {
  membershipPurchased: 'Membership bought: confirmation with the certificate number',
  membershipExpiring: 'Membership ends soon while visits remain',
  membershipExpired: 'Membership ended, with a renewal offer',
};

export interface MembershipMessageContext {
  /** The customer's language (default en). */
  locale?: Locale;
  business: { name: string; email: string; phone: string | null };
  contact: { name: string };
  plan: { name: string; priceMinor: number; currency: string; services: string[] };
  membership: {
    certificateNumber: string;
    /** null: unlimited within the validity. */
    visitsTotal: number | null;
    visitsLeft: number | null;
    validUntil: number;
    /** The customer's zone (IANA). */
    timeZone: string;
    expiredReason?: 'visits_used' | 'validity_ended';
  };
  /** Where to book a visit with the certificate number. */
  bookingUrl: string;
  /** Where to buy the plan again. */
  renewUrl: string;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

function words(ctx: MembershipMessageContext): { locale: Locale; tr: Tr } {
  const locale = ctx.locale ?? 'en';
  return { locale, tr: textFor(locale) };
}

function price(ctx: MembershipMessageContext, locale: Locale): string {
  return formatMoney(ctx.plan.priceMinor, ctx.plan.currency, locale === 'es' ? 'es' : 'en-US');
}

function visitsLine(ctx: MembershipMessageContext, lower = false): string {
  const { tr } = words(ctx);
  const m = ctx.membership;
  if (m.visitsTotal === null) return tr(lower ? 'membership.unlimitedLower' : 'membership.unlimited');
  return tr(lower ? 'membership.leftLower' : 'membership.left', {
    left: m.visitsLeft ?? m.visitsTotal,
    total: m.visitsTotal,
  });
}

function details(ctx: MembershipMessageContext): Block {
  const { locale, tr } = words(ctx);
  return {
    kind: 'details',
    rows: [
      [tr('membership.rows.membership'), ctx.plan.name],
      [tr('membership.rows.certificate'), ctx.membership.certificateNumber],
      [tr('membership.rows.visits'), visitsLine(ctx)],
      [tr('membership.rows.validUntil'), formatWhen(ctx.membership.validUntil, ctx.membership.timeZone, locale)],
      ...(ctx.plan.services.length ? [[tr('membership.rows.covers'), ctx.plan.services.join(', ')] as const] : []),
    ],
  };
}

function signOff(ctx: MembershipMessageContext): Block {
  return {
    kind: 'p',
    parts: [`${ctx.business.name}${ctx.business.phone ? ` · ${ctx.business.phone}` : ''} · ${ctx.business.email}`],
  };
}

export function renderMembershipEmail(event: MembershipCustomerEvent, ctx: MembershipMessageContext): RenderedEmail {
  const { locale, tr } = words(ctx);
  const hi: Block = { kind: 'p', parts: [tr('membership.hi', { first: firstName(ctx.contact.name) })] };
  const values = { plan: ctx.plan.name, cert: ctx.membership.certificateNumber, price: price(ctx, locale) };
  const p = (key: string, extra: Record<string, unknown> = {}): Block => ({
    kind: 'p',
    parts: rich(tr(key, { ...values, ...extra })),
  });
  const book: Block = { kind: 'button', label: tr('membership.book'), href: ctx.bookingUrl };
  switch (event) {
    case 'membershipPurchased':
      return renderEmail(
        tr('membership.purchased.subject', values),
        [hi, p('membership.purchased.intro'), details(ctx), book, signOff(ctx)],
        locale,
      );
    case 'membershipExpiring':
      return renderEmail(
        tr('membership.expiring.subject', values),
        [
          hi,
          p('membership.expiring.intro', {
            until: formatWhen(ctx.membership.validUntil, ctx.membership.timeZone, locale),
            visits: visitsLine(ctx, true),
          }),
          details(ctx),
          book,
          signOff(ctx),
        ],
        locale,
      );
    case 'membershipExpired':
      return renderEmail(
        tr('membership.expired.subject', values),
        [
          hi,
          p(ctx.membership.expiredReason === 'visits_used' ? 'membership.expired.used' : 'membership.expired.ended'),
          p('membership.expired.renew'),
          { kind: 'button', label: tr('membership.renewButton'), href: ctx.renewUrl },
          signOff(ctx),
        ],
        locale,
      );
  }
}

/** The SMS a customer receives: GSM-7 only, at most two segments (business and plan names shortened first). */
export function renderMembershipSms(event: MembershipCustomerEvent, ctx: MembershipMessageContext): string {
  const { locale, tr } = words(ctx);
  const parts = {
    biz: { text: ctx.business.name, min: 12 },
    plan: { text: ctx.plan.name, min: 12 },
  } satisfies Record<string, SmsPart>;
  const cert = ctx.membership.certificateNumber;
  const until = formatWhenShort(ctx.membership.validUntil, ctx.membership.timeZone, locale);
  switch (event) {
    case 'membershipPurchased':
      return fitSms(parts, (t) =>
        tr('membership.sms.purchased', { ...t, cert, visits: visitsLine(ctx), url: ctx.bookingUrl }),
      ).text;
    case 'membershipExpiring':
      return fitSms(parts, (t) =>
        tr('membership.sms.expiring', { ...t, cert, until, visits: visitsLine(ctx, true), url: ctx.bookingUrl }),
      ).text;
    case 'membershipExpired':
      return fitSms(parts, (t) => tr('membership.sms.expired', { ...t, cert, url: ctx.renewUrl })).text;
  }
}

/** The values a staff override of a membership message can use, formatted for the customer. */
export function membershipVariables(ctx: MembershipMessageContext): Record<string, unknown> {
  const m = ctx.membership;
  return {
    business: { name: ctx.business.name, email: ctx.business.email, phone: ctx.business.phone ?? '' },
    contact: { name: ctx.contact.name, firstName: oneLine(ctx.contact.name).split(' ')[0] || 'there' },
    plan: {
      name: ctx.plan.name,
      price: formatMoney(ctx.plan.priceMinor, ctx.plan.currency),
      services: ctx.plan.services.join(', '),
    },
    membership: {
      certificateNumber: m.certificateNumber,
      visitsTotal: m.visitsTotal === null ? 'unlimited' : String(m.visitsTotal),
      visitsLeft: m.visitsTotal === null ? 'unlimited' : String(m.visitsLeft ?? m.visitsTotal),
      visits: visitsLine(ctx),
      validUntil: formatWhen(m.validUntil, m.timeZone),
      validUntilShort: formatWhenShort(m.validUntil, m.timeZone),
      timeZone: m.timeZone,
      allVisitsUsed: m.expiredReason === 'visits_used',
      validityEnded: m.expiredReason === 'validity_ended',
    },
    links: { booking: ctx.bookingUrl, renew: ctx.renewUrl },
  };
}

/** A realistic context for previews and for validating overrides. */
export function sampleMembershipContext(): MembershipMessageContext {
  return {
    business: { name: 'Harbor Wellness Studio', email: 'hello@harbor.example.com', phone: '+1 212 555 0100' },
    contact: { name: 'Sam Rivera' },
    plan: { name: 'Massage 5-pack', priceMinor: 49500, currency: 'USD', services: ['Deep Tissue Massage'] },
    membership: {
      certificateNumber: '7K3Q-9TXM-2HD42',
      visitsTotal: 5,
      visitsLeft: 2,
      validUntil: Date.UTC(2026, 8, 1, 4),
      timeZone: 'America/New_York',
      expiredReason: 'visits_used',
    },
    bookingUrl: 'https://book.example.com/book?certificate=7K3Q-9TXM-2HD42',
    renewUrl: 'https://book.example.com/memberships/plans/00000000-0000-4000-8000-000000000000',
  };
}
