/**
 * Customer messages of a membership: purchase confirmation (with the certificate number), the expiry
 * reminder while visits remain, and the expiry notice with a renewal offer. Self-contained (it only
 * borrows the formatting helpers and the email layout), so it can move into a rebuilt template system
 * as one piece. Pure.
 */
import { formatMoney } from '../billing/invoice';
import { type Block, renderEmail, type RenderedEmail } from './layout';
import { formatWhen } from './templates';

export const MEMBERSHIP_CUSTOMER_EVENTS = ['membershipPurchased', 'membershipExpiring', 'membershipExpired'] as const;
export type MembershipCustomerEvent = (typeof MEMBERSHIP_CUSTOMER_EVENTS)[number];

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

export function renderMembershipSms(event: MembershipCustomerEvent, ctx: MembershipMessageContext): string {
  const b = ctx.business.name;
  const cert = ctx.membership.certificateNumber;
  switch (event) {
    case 'membershipPurchased':
      return `${b}: your ${ctx.plan.name} membership is active. Certificate ${cert}. ${visitsLine(ctx)}. Book: ${ctx.bookingUrl}`;
    case 'membershipExpiring':
      return `${b}: your membership ${cert} ends ${formatWhen(ctx.membership.validUntil, ctx.membership.timeZone)}; ${visitsLine(ctx).toLowerCase()}. Book: ${ctx.bookingUrl}`;
    case 'membershipExpired':
      return `${b}: your membership ${cert} has ended. Renew: ${ctx.renewUrl}`;
  }
}
