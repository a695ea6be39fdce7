import {
  MEMBERSHIP_CUSTOMER_EVENTS,
  type MembershipMessageContext,
  renderMembershipEmail,
  renderMembershipSms,
} from '../../../src/messaging/membership-templates';
import { TEMPLATE_REGISTRY, renderTemplate, validateOverride } from '../../../src/messaging/template-registry';
import { SMS_MAX_SEPTETS, gsm7Length, isGsm7 } from '../../../src/messaging/sms';

const ctx: MembershipMessageContext = {
  business: { name: 'Maple Street Studio', email: 'hello@maplestreet.example', phone: '+12125550100' },
  contact: { name: 'Dana <b>Park</b>' },
  plan: { name: 'Massage 5-pack', priceMinor: 49500, currency: 'USD', services: ['Deep Tissue Massage'] },
  membership: {
    certificateNumber: '7K3Q-9TXM-2HD42',
    visitsTotal: 5,
    visitsLeft: 2,
    validUntil: Date.UTC(2026, 8, 1, 4),
    timeZone: 'America/Chicago',
  },
  bookingUrl: 'https://book.example/book?certificate=7K3Q-9TXM-2HD42',
  renewUrl: 'https://book.example/memberships/plans/p1',
};

describe('membership messages', () => {
  it('every message names the certificate number, in both parts of the email and in the SMS', () => {
    for (const event of MEMBERSHIP_CUSTOMER_EVENTS) {
      const email = renderMembershipEmail(event, ctx);
      expect(email.text).toContain('7K3Q-9TXM-2HD42');
      expect(email.html).toContain('7K3Q-9TXM-2HD42');
      expect(renderMembershipSms(event, ctx)).toContain('7K3Q-9TXM-2HD42');
    }
  });

  it('the purchase confirmation shows price, visits and the validity end in the customer zone', () => {
    const email = renderMembershipEmail('membershipPurchased', ctx);
    expect(email.subject).toBe('Your Massage 5-pack membership — certificate 7K3Q-9TXM-2HD42');
    expect(email.text).toContain('$495.00');
    expect(email.text).toContain('2 of 5 visits left');
    expect(email.text).toContain('Monday, August 31, 2026 at 11:00 PM CDT');
    expect(email.html).toContain('href="https://book.example/book?certificate=7K3Q-9TXM-2HD42"');
  });

  it('the reminder urges booking the visits left; the expiry offers a renewal and says why it ended', () => {
    expect(renderMembershipEmail('membershipExpiring', ctx).text).toContain('still have 2 of 5 visits left');
    const used = renderMembershipEmail('membershipExpired', {
      ...ctx,
      membership: { ...ctx.membership, visitsLeft: 0, expiredReason: 'visits_used' },
    });
    expect(used.text).toContain('used all the visits');
    expect(used.text).toContain('Renew my membership: https://book.example/memberships/plans/p1');
    const ended = renderMembershipEmail('membershipExpired', {
      ...ctx,
      membership: { ...ctx.membership, expiredReason: 'validity_ended' },
    });
    expect(ended.text).toContain('end of its validity');
  });

  it('escapes what the customer typed in the HTML part', () => {
    const email = renderMembershipEmail('membershipPurchased', ctx);
    expect(email.html).toContain('Dana');
    expect(email.html).not.toContain('<b>Park</b>');
  });

  it('keeps every SMS GSM-7 within two segments, shortening long names', () => {
    const long: MembershipMessageContext = {
      ...ctx,
      business: { ...ctx.business, name: 'The Extraordinarily Long Named Wellness & Massage Studio of Maple Street' },
      plan: { ...ctx.plan, name: 'Premium Deep Tissue and Hot Stone Massage Ten-Visit Annual Membership Bundle' },
      bookingUrl: `https://book.example/book?certificate=7K3Q-9TXM-2HD42&utm=${'x'.repeat(80)}`,
    };
    for (const event of MEMBERSHIP_CUSTOMER_EVENTS) {
      const sms = renderMembershipSms(event, long);
      expect(isGsm7(sms)).toBe(true);
      expect(gsm7Length(sms)).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
      expect(sms).toContain('7K3Q-9TXM-2HD42');
    }
  });
});

describe('membership messages in the template registry', () => {
  it('are customer entries with both channels whose default is the renderer above', () => {
    for (const event of MEMBERSHIP_CUSTOMER_EVENTS) {
      const entry = TEMPLATE_REGISTRY.get(event)!;
      expect(entry).toMatchObject({ audience: 'customer', channels: ['email', 'sms'] });
      expect(renderTemplate(entry, 'email', ctx, null)).toEqual({
        email: renderMembershipEmail(event, ctx),
        source: 'default',
      });
      expect(renderTemplate(entry, 'sms', ctx, null)).toEqual({
        sms: renderMembershipSms(event, ctx),
        source: 'default',
      });
    }
  });

  it('validates an override against the membership variables and renders it for the customer', () => {
    const entry = TEMPLATE_REGISTRY.get('membershipExpired')!;
    expect(
      validateOverride(entry, 'sms', {
        subject: null,
        body: 'Ended {{membership.certificateNumber}} {{appointment.when}}',
      }),
    ).toEqual([{ field: 'body', message: 'unknown variable: appointment.when' }]);
    expect(
      validateOverride(entry, 'sms', { subject: null, body: 'Reply STOP to stop. {{links.renew}}' })[0]?.message,
    ).toContain('never ask customers to reply CANCEL or STOP');
    const override = {
      subject: 'Time to renew, {{contact.firstName}}',
      body: '{{#if membership.allVisitsUsed}}All {{membership.visitsTotal}} visits used.{{else}}Validity over.{{/if}} Renew {{plan.name}} ({{plan.price}}): {{links.renew}}',
    };
    expect(validateOverride(entry, 'email', override)).toEqual([]);
    const rendered = renderTemplate(
      entry,
      'email',
      { ...ctx, membership: { ...ctx.membership, visitsLeft: 0, expiredReason: 'visits_used' } },
      override,
    );
    expect(rendered.source).toBe('override');
    expect(rendered.email!.subject).toBe('Time to renew, Dana');
    expect(rendered.email!.text).toBe(
      'All 5 visits used. Renew Massage 5-pack ($495.00): https://book.example/memberships/plans/p1\n',
    );
  });
});
