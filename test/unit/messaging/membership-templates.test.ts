import {
  MEMBERSHIP_CUSTOMER_EVENTS,
  type MembershipMessageContext,
  renderMembershipEmail,
  renderMembershipSms,
} from '../../../src/messaging/membership-templates';

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
});
