/**
 * The template registry: every lifecycle, billing and staff event has email and SMS defaults; staff
 * overrides (Handlebars) are validated against the variables their event provides, keep SMS within
 * two segments and never ask for CANCEL/STOP; HTML is escaped, text is not; times are in the
 * recipient's zone with the zone named.
 */
import {
  TEMPLATE_REGISTRY,
  renderTemplate,
  sampleMessageContext,
  validateOverride,
  variablePaths,
} from '../../../src/messaging/template-registry';
import { CUSTOMER_EVENTS, STAFF_EVENTS } from '../../../src/messaging/templates';
import { MEMBERSHIP_CUSTOMER_EVENTS } from '../../../src/messaging/membership-templates';

const entry = (event: string) => TEMPLATE_REGISTRY.get(event)!;

it('has an entry with both channels for every customer, staff and membership event', () => {
  expect([...TEMPLATE_REGISTRY.keys()].sort()).toEqual(
    [...CUSTOMER_EVENTS, ...STAFF_EVENTS, ...MEMBERSHIP_CUSTOMER_EVENTS].sort(),
  );
  for (const e of TEMPLATE_REGISTRY.values()) {
    expect(e.channels).toEqual(['email', 'sms']);
    expect(renderTemplate(e, 'email', e.sample(), null).source).toBe('default');
  }
});

it('offers customer links to customers only: the manage link (a bearer credential) never to staff', () => {
  expect(variablePaths(entry('confirmation').variables(sampleMessageContext()))).toEqual(
    expect.arrayContaining(['contact.firstName', 'appointment.when', 'links.manage', 'slots.when', 'replyPrompt']),
  );
  const staff = variablePaths(entry('staffBrief').variables(sampleMessageContext()));
  expect(staff).not.toContain('links.manage');
  expect(staff).toContain('contact.notes');
  expect(validateOverride(entry('staffBrief'), 'sms', { subject: null, body: 'Brief {{links.manage}}' })).toEqual([
    { field: 'body', message: 'unknown variable: links.manage' },
  ]);
});

it('offers the feedback link only where one is minted: the feedback request', () => {
  const body = 'How did it go? {{links.feedback}}';
  expect(validateOverride(entry('feedbackRequest'), 'sms', { subject: null, body })).toEqual([]);
  expect(variablePaths(entry('feedbackRequest').variables(sampleMessageContext()))).toContain('links.feedback');
  for (const event of ['confirmation', 'receipt', 'rebookFollowUp']) {
    expect(variablePaths(entry(event).variables(sampleMessageContext()))).not.toContain('links.feedback');
    expect(validateOverride(entry(event), 'sms', { subject: null, body })).toEqual([
      { field: 'body', message: 'unknown variable: links.feedback' },
    ]);
  }
});

it('shows times in the recipient zone with the zone named (customer New York, staff Chicago)', () => {
  const ctx = sampleMessageContext();
  expect((entry('reminder48h').variables(ctx).appointment as { when: string }).when).toBe(
    'Tuesday, March 10, 2026 at 9:30 AM EDT',
  );
  expect((entry('staffBrief').variables(ctx).appointment as { when: string }).when).toBe(
    'Tuesday, March 10, 2026 at 8:30 AM CDT',
  );
});

describe('validateOverride', () => {
  it('accepts known variables, blocks and @index, resolving #each scopes', () => {
    expect(
      validateOverride(entry('rebookFollowUp'), 'email', {
        subject: 'Book again, {{contact.firstName}}',
        body: '{{#each slots}}{{@index}}: {{when}} {{url}} ({{../business.name}})\n{{/each}}{{#if appointment.cancelReason}}Reason: {{appointment.cancelReason}}{{/if}}',
      }),
    ).toEqual([]);
  });

  it('names every unknown variable, disallowed helper and syntax error', () => {
    expect(
      validateOverride(entry('confirmation'), 'email', {
        subject: 'Hi {{contact.nickname}}',
        body: '{{appointment.when}} {{secret}} {{#each slots}}{{price}}{{/each}}',
      }),
    ).toEqual([
      { field: 'subject', message: 'unknown variable: contact.nickname' },
      { field: 'body', message: 'unknown variables: secret, slots.price' },
    ]);
    expect(
      validateOverride(entry('confirmation'), 'sms', { subject: null, body: '{{lookup contact "name"}}' }),
    ).toEqual([{ field: 'body', message: 'helpers other than if, unless, each and with are not allowed: lookup' }]);
    expect(
      validateOverride(entry('confirmation'), 'sms', { subject: null, body: '{{> partial}}' })[0]?.message,
    ).toContain('(partial)');
    expect(validateOverride(entry('confirmation'), 'sms', { subject: null, body: '{{#if x}' })[0]?.message).toMatch(
      /^not a valid template/,
    );
  });

  it('requires a subject for email and none for SMS', () => {
    expect(validateOverride(entry('confirmation'), 'email', { subject: ' ', body: 'x' })).toEqual([
      { field: 'subject', message: 'an email needs a subject' },
    ]);
    expect(validateOverride(entry('confirmation'), 'sms', { subject: 'S', body: 'x' })).toEqual([
      { field: 'subject', message: 'an SMS has no subject' },
    ]);
  });

  it('keeps an SMS within two GSM-7 segments and never asks customers to reply CANCEL or STOP', () => {
    const long = validateOverride(entry('reminder12h'), 'sms', {
      subject: null,
      body: `${'Long text. '.repeat(30)}{{appointment.when}}`,
    });
    expect(long).toHaveLength(1);
    expect(long[0]!.message).toMatch(/renders to \d+ GSM-7 characters with the sample data; two segments hold 306/);
    expect(
      validateOverride(entry('reminder12h'), 'sms', { subject: null, body: 'See you soon. Reply CANCEL to cancel.' }),
    ).toEqual([expect.objectContaining({ field: 'body', message: expect.stringContaining('reply C to cancel') })]);
  });
});

describe('renderTemplate with an override', () => {
  it('escapes values in HTML and leaves the text part as written', () => {
    const ctx = sampleMessageContext();
    ctx.contact.name = 'Sam <b>&</b> "Co"';
    const out = renderTemplate(entry('confirmation'), 'email', ctx, {
      subject: 'Booked: {{service.name}}',
      body: 'Hi {{contact.name}},\n\nSee you {{appointment.whenShort}}.',
    });
    expect(out.source).toBe('override');
    expect(out.email!.subject).toBe('Booked: Deep Tissue Massage');
    expect(out.email!.text).toBe('Hi Sam <b>&</b> "Co",\n\nSee you Tue, Mar 10 at 9:30 AM EDT.\n');
    expect(out.email!.html).toContain(
      '<p style="margin:0 0 16px;">Hi Sam &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;,</p>',
    );
    expect(out.email!.html).not.toContain('<b>&</b>');
  });

  it('falls back to the built-in SMS (which shortens names) when real data makes an override too long', () => {
    const ctx = sampleMessageContext();
    ctx.service.name = 'Signature massage '.repeat(20);
    const out = renderTemplate(entry('reminder12h'), 'sms', ctx, {
      subject: null,
      body: '{{service.name}} at {{appointment.whenShort}}',
    });
    expect(out.source).toBe('default (override too long)');
    expect(out.sms!.length).toBeLessThanOrEqual(306);
    const ok = renderTemplate(entry('reminder12h'), 'sms', sampleMessageContext(), {
      subject: null,
      body: '{{service.name}} at {{appointment.whenShort}}. {{replyPrompt}}',
    });
    expect(ok).toEqual({
      sms: 'Deep Tissue Massage at Tue, Mar 10 at 9:30 AM EDT. Reply C to cancel, R to reschedule.',
      source: 'override',
    });
  });
});
