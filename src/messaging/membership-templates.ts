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

export const MEMBERSHIP_CUSTOMER_EVENTS = ['membershipPurchased', 'membershipExpiring', 'membershipExpired'] as const;
export type MembershipCustomerEvent = (typeof MEMBERSHIP_CUSTOMER_EVENTS)[number];

export const MEMBERSHIP_DESCRIPTIONS: Readonly<Record<MembershipCustomerEvent, string>> = {
  membershipPurchased: 'Membership bought: confirmation with the certificate number',
  membershipExpiring: 'Membership ends soon while visits remain',
  membershipExpired: 'Membership ended, with a renewal offer',
};

export interface MembershipMessageContext {
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

function visitsLine(ctx: MembershipMessageContext): string {
  const m = ctx.membership;
  if (m.visitsTotal === null) return 'Unlimited visits';
  return `${m.visitsLeft ?? m.visitsTotal} of ${m.visitsTotal} visits left`;
}

function details(ctx: MembershipMessageContext): Block {
  return {
    kind: 'details',
    rows: [
      ['Membership', ctx.plan.name],
      ['Certificate number', ctx.membership.certificateNumber],
      ['Visits', visitsLine(ctx)],
      ['Valid until', formatWhen(ctx.membership.validUntil, ctx.membership.timeZone)],
      ...(ctx.plan.services.length ? [['Covers', ctx.plan.services.join(', ')] as const] : []),
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
  const hi: Block = { kind: 'p', parts: [`Hi ${firstName(ctx.contact.name)},`] };
  switch (event) {
    case 'membershipPurchased':
      return renderEmail(`Your ${ctx.plan.name} membership — certificate ${ctx.membership.certificateNumber}`, [
        hi,
        {
          kind: 'p',
          parts: [
            `Thank you for buying ${ctx.plan.name} (${formatMoney(ctx.plan.priceMinor, ctx.plan.currency)}). Your certificate number is `,
            { strong: ctx.membership.certificateNumber },
            '; give it when you book a visit, online or by phone.',
          ],
        },
        details(ctx),
        { kind: 'button', label: 'Book a visit', href: ctx.bookingUrl },
        signOff(ctx),
      ]);
    case 'membershipExpiring':
      return renderEmail(`Your ${ctx.plan.name} membership ends soon`, [
        hi,
        {
          kind: 'p',
          parts: [
            'Your membership ends on ',
            { strong: formatWhen(ctx.membership.validUntil, ctx.membership.timeZone) },
            ` and you still have ${visitsLine(ctx).toLowerCase()}. Book them before then so they are not lost.`,
          ],
        },
        details(ctx),
        { kind: 'button', label: 'Book a visit', href: ctx.bookingUrl },
        signOff(ctx),
      ]);
    case 'membershipExpired':
      return renderEmail(`Your ${ctx.plan.name} membership has ended`, [
        hi,
        {
          kind: 'p',
          parts: [
            ctx.membership.expiredReason === 'visits_used'
              ? `You have used all the visits of your ${ctx.plan.name} membership (certificate ${ctx.membership.certificateNumber}). We hope you enjoyed them!`
              : `Your ${ctx.plan.name} membership (certificate ${ctx.membership.certificateNumber}) has reached the end of its validity.`,
          ],
        },
        {
          kind: 'p',
          parts: [
            'Renew it to keep your visits coming: ',
            { strong: `${ctx.plan.name}, ${formatMoney(ctx.plan.priceMinor, ctx.plan.currency)}` },
            '.',
          ],
        },
        { kind: 'button', label: 'Renew my membership', href: ctx.renewUrl },
        signOff(ctx),
      ]);
  }
}

/** The SMS a customer receives: GSM-7 only, at most two segments (business and plan names shortened first). */
export function renderMembershipSms(event: MembershipCustomerEvent, ctx: MembershipMessageContext): string {
  const parts = {
    biz: { text: ctx.business.name, min: 12 },
    plan: { text: ctx.plan.name, min: 12 },
  } satisfies Record<string, SmsPart>;
  const cert = ctx.membership.certificateNumber;
  const until = formatWhenShort(ctx.membership.validUntil, ctx.membership.timeZone);
  switch (event) {
    case 'membershipPurchased':
      return fitSms(
        parts,
        (t) =>
          `${t.biz}: your ${t.plan} membership is active. Certificate ${cert}. ${visitsLine(ctx)}. Book: ${ctx.bookingUrl}`,
      ).text;
    case 'membershipExpiring':
      return fitSms(
        parts,
        (t) =>
          `${t.biz}: your ${t.plan} membership ${cert} ends ${until}; ${visitsLine(ctx).toLowerCase()}. Book: ${ctx.bookingUrl}`,
      ).text;
    case 'membershipExpired':
      return fitSms(parts, (t) => `${t.biz}: your ${t.plan} membership ${cert} has ended. Renew: ${ctx.renewUrl}`).text;
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
