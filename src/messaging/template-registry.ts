/**
 * Message templates: one entry per event, with its built-in defaults (the renderers in templates.ts,
 * kept in the repository and tested for GSM-7, two SMS segments and HTML escaping) and the variables a
 * staff override may use. Overrides are Handlebars templates stored in `message_templates` (edited
 * through /api/message-templates): HTML is rendered with Handlebars' escaping, text and SMS without it;
 * an override may only name the variables its event provides (checked on the template's syntax tree),
 * and an SMS must stay within two GSM-7 segments. Pure apart from the Handlebars instance.
 *
 * A new event is one `defineTemplate` entry: its audience, the renderers for its default, a sample
 * context for previews and validation, and `variables(ctx)` — the flat, already formatted values
 * (times in the recipient's zone, zone named) an override can show. Entries for other contexts (e.g.
 * membership messages) use the same shape with their own context type.
 */
import Handlebars from 'handlebars';
import { oneLine, type RenderedEmail, escapeHtml } from './layout';
import { SMS_MAX_SEPTETS, gsm7Length, toGsm7 } from './sms';
import {
  BILLING_CUSTOMER_EVENTS,
  BILLING_STAFF_EVENTS,
  CUSTOMER_EVENTS,
  type CustomerEvent,
  type MessageContext,
  SMS_REPLY_PROMPT,
  STAFF_EVENTS,
  type StaffEvent,
  describeCard,
  formatBillableMinutes,
  formatDuration,
  formatTime,
  formatWhen,
  formatWhenShort,
  renderCustomerEmail,
  renderCustomerSms,
  renderStaffEmail,
  renderStaffSms,
} from './templates';
import { formatMoney } from '../billing/invoice';
import {
  MEMBERSHIP_CUSTOMER_EVENTS,
  MEMBERSHIP_DESCRIPTIONS,
  type MembershipMessageContext,
  membershipVariables,
  renderMembershipEmail,
  renderMembershipSms,
  sampleMembershipContext,
} from './membership-templates';

export type TemplateChannel = 'email' | 'sms';
export type TemplateVariables = Record<string, unknown>;

export interface TemplateEntry<C = unknown> {
  event: string;
  audience: 'customer' | 'staff';
  description: string;
  channels: readonly TemplateChannel[];
  /** The built-in default, rendered from the context. */
  defaults: { email?: (ctx: C) => RenderedEmail; sms?: (ctx: C) => string };
  /** The values an override can use, formatted for the recipient. */
  variables: (ctx: C) => TemplateVariables;
  /** A realistic context for previews and for validating overrides. */
  sample: () => C;
}

export function defineTemplate<C>(entry: TemplateEntry<C>): TemplateEntry<unknown> {
  return entry as unknown as TemplateEntry<unknown>;
}

// ---------------------------------------------------------------------------------------------------
// Variables of the appointment and billing events

const BILLING_EVENTS: ReadonlySet<string> = new Set([...BILLING_CUSTOMER_EVENTS, ...BILLING_STAFF_EVENTS]);

function appointmentVariables(ctx: MessageContext, audience: 'customer' | 'staff', event: string): TemplateVariables {
  const tz = audience === 'customer' ? ctx.appointment.timeZone : ctx.staff.timeZone;
  const a = ctx.appointment;
  const first = oneLine(ctx.contact.name).split(' ')[0] || 'there';
  const b = ctx.billing;
  const vars: TemplateVariables = {
    business: {
      name: ctx.business.name,
      email: ctx.business.email,
      phone: ctx.business.phone ?? '',
      address: ctx.business.address ?? '',
    },
    contact: { name: ctx.contact.name, firstName: first, email: ctx.contact.email, phone: ctx.contact.phone ?? '' },
    staff: { name: ctx.staff.name },
    service: {
      name: ctx.service.name,
      duration: formatDuration(Math.round((a.endsAt - a.startsAt) / 60_000)),
      // What the service asks the customer to send before the visit (empty: nothing).
      filesRequest: ctx.files?.request ?? '',
    },
    appointment: {
      when: formatWhen(a.startsAt, tz),
      whenShort: formatWhenShort(a.startsAt, tz),
      endTime: formatTime(a.endsAt, tz),
      previousWhen: a.previousStartsAt !== undefined ? formatWhen(a.previousStartsAt, tz) : '',
      timeZone: tz,
      location: a.address ?? ctx.business.address ?? '',
      cancelReason: a.cancelReason ?? '',
      publicNotes: a.publicNotes,
      clientNote: a.clientNote,
    },
    links: {
      booking: ctx.bookingUrl,
      ...(audience === 'customer'
        ? {
            manage: ctx.manageUrl,
            // Into the portal conversation about this appointment, when the service asks for files.
            files: ctx.files?.url ?? '',
            invoice: ctx.links?.invoiceUrl ?? '',
            updateCard: ctx.links?.updateCardUrl ?? '',
            pay: ctx.links?.payUrl ?? '',
            // Minted for the feedback request only, so only its templates may use it.
            ...(event === 'feedbackRequest' ? { feedback: ctx.links?.feedbackUrl ?? '' } : {}),
            // The rebooking messages offer the waitlist (the booking page opened on it).
            ...(event === 'rebookFollowUp' || event === 'noShowPrompt' ? { waitlist: ctx.waitlistUrl ?? '' } : {}),
          }
        : { task: ctx.links?.taskUrl ?? '' }),
    },
    slots: (ctx.suggestedSlots ?? []).map((s) => ({ when: formatWhenShort(s.startsAt, tz), url: s.url })),
    replyPrompt: audience === 'customer' ? SMS_REPLY_PROMPT : '',
  };
  if (audience === 'staff') (vars.contact as Record<string, string>).notes = ctx.contact.notes;
  if (BILLING_EVENTS.has(event)) {
    vars.billing = {
      invoiceNumber: b ? String(b.invoiceNumber) : '',
      total: b ? formatMoney(b.totalMinor, b.currency) : '',
      subtotal: b ? formatMoney(b.subtotalMinor, b.currency) : '',
      tax: b ? formatMoney(b.taxMinor, b.currency) : '',
      card: (b && describeCard(b.card)) ?? '',
      billableTime: b && b.billableMinutes !== null ? formatBillableMinutes(b.billableMinutes) : '',
      declineMessage: b?.declineMessage ?? '',
      nextAttempt: b?.nextAttemptAt !== undefined ? formatWhen(b.nextAttemptAt, tz) : '',
    };
  }
  return vars;
}

const START = Date.UTC(2026, 2, 10, 13, 30);

/** A realistic context: a New York customer, a staff member in Chicago, an invoice and every link. */
export function sampleMessageContext(): MessageContext {
  return {
    business: {
      name: 'Harbor Wellness Studio',
      email: 'hello@harbor.example.com',
      phone: '+1 212 555 0100',
      address: '210 Water Street, New York, NY 10038',
      timeZone: 'America/New_York',
    },
    contact: {
      name: 'Sam Rivera',
      email: 'sam.rivera@example.com',
      phone: '+12125550123',
      address: '48 Pine Avenue, Brooklyn, NY 11205',
      notes: 'Prefers morning appointments.',
    },
    staff: {
      name: 'Avery Chen',
      email: 'avery@harbor.example.com',
      phone: '+12125550101',
      timeZone: 'America/Chicago',
    },
    service: { name: 'Deep Tissue Massage', durationMinutes: 60 },
    appointment: {
      id: '00000000-0000-4000-8000-000000000000',
      startsAt: START,
      endsAt: START + 3_600_000,
      timeZone: 'America/New_York',
      previousStartsAt: START - 86_400_000,
      cancelReason: 'Feeling unwell',
      clientNote: 'Sore left shoulder',
      publicNotes: 'Please arrive 10 minutes early.',
      address: null,
    },
    manageUrl: 'https://book.example.com/manage/sample-token',
    bookingUrl: 'https://book.example.com/book/deep-tissue-massage',
    waitlistUrl: 'https://book.example.com/book/deep-tissue-massage?staff=sample&waitlist=1',
    suggestedSlots: [1, 2, 3].map((i) => ({
      startsAt: START + i * 86_400_000,
      url: `https://book.example.com/book/deep-tissue-massage?slot=${i}`,
    })),
    billing: {
      invoiceNumber: 1042,
      currency: 'USD',
      lines: [{ description: 'Deep Tissue Massage', quantity: 1, unitMinor: 12000, amountMinor: 12000 }],
      subtotalMinor: 12000,
      taxRateBps: 875,
      taxMinor: 1050,
      totalMinor: 13050,
      billableMinutes: 60,
      card: { brand: 'visa', last4: '4242' },
      simulated: false,
      declineMessage: 'Your card was declined.',
      attempt: 1,
      maxAttempts: 3,
      nextAttemptAt: START + 2 * 86_400_000,
    },
    files: {
      request: 'Please send photos of the device and its model label.',
      url: 'https://book.example.com/account/from/sample-token?next=messages',
      received: 0,
    },
    links: {
      invoiceUrl: 'https://book.example.com/manage/sample-token/invoice',
      updateCardUrl: 'https://book.example.com/manage/sample-token/card',
      payUrl: 'https://book.example.com/manage/sample-token/pay',
      feedbackUrl: 'https://book.example.com/feedback/sample',
      taskUrl: 'https://book.example.com/admin/appointments/sample',
    },
  };
}

const DESCRIPTIONS: Readonly<Record<CustomerEvent | StaffEvent, string>> = {
  confirmation: 'Booking confirmation (with the .ics invitation)',
  reminder48h: 'Reminder 48 hours before',
  reminder12h: 'Reminder 12 hours before',
  rescheduled: 'The appointment moved',
  cancelled: 'The appointment was cancelled',
  rebookFollowUp: 'Follow-up after a cancellation not rebooked',
  noShowPrompt: 'Missed appointment: reschedule prompt with free slots',
  bookAgain: 'Book again: weeks after a visit, the next free times and a one-tap booking link',
  rescheduleRequest: 'Staff unavailable: please choose a new time (open times, manage link)',
  receipt: 'Payment receipt',
  paymentDeclined: 'The card was declined: update it',
  paymentActionRequired: 'The bank asks the customer to confirm the payment',
  paymentLink: 'No card on file: the invoice with a link to pay online',
  feedbackRequest: 'Feedback request after the visit',
  staffBrief: 'Staff: day-of brief',
  staffNoShow: 'Staff: no-show alert',
  staffChargeTask: 'Staff: charge the customer',
  staffDeliverOverdue: 'Staff: deliver task still open',
  staffPaymentFailed: 'Staff: payment failed',
};

const customerEntries = CUSTOMER_EVENTS.map((event) =>
  defineTemplate<MessageContext>({
    event,
    audience: 'customer',
    description: DESCRIPTIONS[event],
    channels: ['email', 'sms'],
    defaults: { email: (ctx) => renderCustomerEmail(event, ctx), sms: (ctx) => renderCustomerSms(event, ctx) },
    variables: (ctx) => appointmentVariables(ctx, 'customer', event),
    sample: sampleMessageContext,
  }),
);

const staffEntries = STAFF_EVENTS.map((event) =>
  defineTemplate<MessageContext>({
    event,
    audience: 'staff',
    description: DESCRIPTIONS[event],
    channels: ['email', 'sms'],
    defaults: { email: (ctx) => renderStaffEmail(event, ctx), sms: (ctx) => renderStaffSms(event, ctx) },
    variables: (ctx) => appointmentVariables(ctx, 'staff', event),
    sample: sampleMessageContext,
  }),
);

/** Membership messages (src/messaging/membership-templates.ts), rendered by sendMembershipMessage. */
const membershipEntries = MEMBERSHIP_CUSTOMER_EVENTS.map((event) =>
  defineTemplate<MembershipMessageContext>({
    event,
    audience: 'customer',
    description: MEMBERSHIP_DESCRIPTIONS[event],
    channels: ['email', 'sms'],
    defaults: { email: (ctx) => renderMembershipEmail(event, ctx), sms: (ctx) => renderMembershipSms(event, ctx) },
    variables: membershipVariables,
    sample: sampleMembershipContext,
  }),
);

/** Every template, by event name. Add an entry to add an event. */
export const TEMPLATE_REGISTRY: ReadonlyMap<string, TemplateEntry> = new Map(
  [...customerEntries, ...staffEntries, ...membershipEntries].map((entry) => [entry.event, entry]),
);

// ---------------------------------------------------------------------------------------------------
// Overrides: validation and rendering

export interface TemplateOverride {
  subject: string | null;
  body: string;
}

export interface TemplateProblem {
  field: 'subject' | 'body';
  message: string;
}

const hbs = Handlebars.create();
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** Every variable path a value can be read from, e.g. `contact.firstName`, `slots.when`. */
export function variablePaths(vars: TemplateVariables, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(vars)) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (Array.isArray(value)) {
      const first: unknown = value[0];
      if (first && typeof first === 'object') out.push(...variablePaths(first as TemplateVariables, path));
    } else if (value && typeof value === 'object') {
      out.push(...variablePaths(value as TemplateVariables, path));
    }
  }
  return out;
}

type Node = hbs.AST.Node & Record<string, unknown>;

/** The variables and helpers a template names, resolved against `#each` / `#with` scopes. */
function referencedNames(source: string): { variables: string[]; helpers: string[] } {
  const ast = hbs.parse(source);
  const variables = new Set<string>();
  const helpers = new Set<string>();
  const pathOf = (node: hbs.AST.PathExpression, scopes: string[]): string | null => {
    if (node.data) return null; // @index, @first…
    const parts = node.parts.join('.');
    if (node.original === 'this' || node.original === '.') return null;
    const scope = node.original.startsWith('this.') || node.depth === 0 ? scopes.at(-1) : undefined;
    return scope ? `${scope}.${parts}` : parts;
  };
  const visitExpr = (expr: hbs.AST.Expression | undefined, scopes: string[]) => {
    if (!expr) return;
    if (expr.type === 'PathExpression') {
      const p = pathOf(expr as hbs.AST.PathExpression, scopes);
      if (p) variables.add(p);
    } else if (expr.type === 'SubExpression') {
      helpers.add('(subexpression)');
    }
  };
  const visit = (node: Node | undefined, scopes: string[]) => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const s of (node as unknown as hbs.AST.Program).body) visit(s as Node, scopes);
        return;
      case 'MustacheStatement': {
        const m = node as unknown as hbs.AST.MustacheStatement;
        if (m.params.length > 0 || m.hash) helpers.add((m.path as hbs.AST.PathExpression).original ?? '?');
        else visitExpr(m.path, scopes);
        return;
      }
      case 'BlockStatement': {
        const b = node as unknown as hbs.AST.BlockStatement;
        const name = (b.path as hbs.AST.PathExpression).original;
        if (!BLOCK_HELPERS.has(name)) helpers.add(name);
        for (const p of b.params) visitExpr(p, scopes);
        const target =
          b.params[0]?.type === 'PathExpression' ? pathOf(b.params[0] as hbs.AST.PathExpression, scopes) : null;
        const inner = (name === 'each' || name === 'with') && target ? [...scopes, target] : scopes;
        visit(b.program as unknown as Node, inner);
        visit(b.inverse as unknown as Node | undefined, scopes);
        return;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        helpers.add('(partial)');
        return;
      default:
        return;
    }
  };
  visit(ast as unknown as Node, []);
  return { variables: [...variables], helpers: [...helpers] };
}

/** Telling people to reply CANCEL or STOP would opt them out at the carrier. */
export const OPT_OUT_PROMPT = /\breply\s+["'“]?(cancel|stop|stopall|unsubscribe|end|quit|revoke|optout)\b/i;

export function validateOverride(
  entry: TemplateEntry,
  channel: TemplateChannel,
  override: TemplateOverride,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const allowed = new Set(variablePaths(entry.variables(entry.sample())));
  const check = (field: 'subject' | 'body', source: string) => {
    let names: { variables: string[]; helpers: string[] };
    try {
      names = referencedNames(source);
    } catch (error) {
      problems.push({ field, message: `not a valid template: ${(error as Error).message.split('\n')[0]}` });
      return;
    }
    const unknown = names.variables.filter((v) => !allowed.has(v));
    if (unknown.length > 0) {
      problems.push({ field, message: `unknown variable${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` });
    }
    if (names.helpers.length > 0) {
      problems.push({
        field,
        message: `helpers other than if, unless, each and with are not allowed: ${names.helpers.join(', ')}`,
      });
    }
  };
  if (channel === 'email') {
    if (!override.subject?.trim()) problems.push({ field: 'subject', message: 'an email needs a subject' });
    else check('subject', override.subject);
  } else if (override.subject) {
    problems.push({ field: 'subject', message: 'an SMS has no subject' });
  }
  if (!override.body.trim()) problems.push({ field: 'body', message: 'the body is empty' });
  else check('body', override.body);
  if (entry.audience === 'customer' && OPT_OUT_PROMPT.test(override.body)) {
    problems.push({
      field: 'body',
      message: 'never ask customers to reply CANCEL or STOP (carrier opt-out keywords); say "reply C to cancel"',
    });
  }
  if (problems.length === 0 && channel === 'sms') {
    const septets = smsSeptets(renderOverrideSms(override, entry.variables(entry.sample())));
    if (septets > SMS_MAX_SEPTETS) {
      problems.push({
        field: 'body',
        message: `the SMS renders to ${septets} GSM-7 characters with the sample data; two segments hold ${SMS_MAX_SEPTETS}`,
      });
    }
  }
  return problems;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
function compile(source: string, escape: boolean): HandlebarsTemplateDelegate {
  const key = `${escape ? 'h' : 't'}:${source}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = hbs.compile(source, {
      noEscape: !escape,
      strict: false,
      knownHelpersOnly: true,
      knownHelpers: { if: true, unless: true, each: true, with: true },
    });
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, fn);
  }
  return fn;
}

export function smsSeptets(text: string): number {
  return gsm7Length(text);
}

export function renderOverrideSms(override: TemplateOverride, vars: TemplateVariables): string {
  return toGsm7(
    compile(
      override.body,
      false,
    )(vars)
      .replace(/[ \t]+\n/g, '\n')
      .trim(),
  );
}

/** Email from an override: text without escaping; HTML with Handlebars' escaping, paragraphs kept. */
export function renderOverrideEmail(override: TemplateOverride, vars: TemplateVariables): RenderedEmail {
  const subject = oneLine(compile(override.subject ?? '', false)(vars));
  const text = compile(override.body, false)(vars).trim() + '\n';
  const escaped = compile(override.body, true)(vars).trim();
  const paragraphs = escaped
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p style="margin:0 0 16px;">${p.trim().replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
  const html =
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(subject)}</title></head>\n` +
    '<body style="margin:0;padding:0;background:#f2f2f2;">\n' +
    '<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#222222;">\n' +
    paragraphs +
    '\n</div>\n</body></html>\n';
  return { subject, text, html };
}

export interface RenderedTemplate {
  email?: RenderedEmail;
  sms?: string;
  /** Which template produced it: the built-in default or the staff override. */
  source: 'default' | 'override' | 'default (override too long)';
}

/** Renders `event` on `channel` for `ctx`: the override when there is one, else the default. */
export function renderTemplate(
  entry: TemplateEntry,
  channel: TemplateChannel,
  ctx: unknown,
  override: TemplateOverride | null | undefined,
): RenderedTemplate {
  if (channel === 'email') {
    if (override) return { email: renderOverrideEmail(override, entry.variables(ctx)), source: 'override' };
    const email = entry.defaults.email?.(ctx);
    if (!email) throw new Error(`${entry.event} has no email template`);
    return { email, source: 'default' };
  }
  if (override) {
    const sms = renderOverrideSms(override, entry.variables(ctx));
    // Real data can be longer than the sample: the built-in default shortens names to fit instead.
    if (smsSeptets(sms) <= SMS_MAX_SEPTETS) return { sms, source: 'override' };
    const fallback = entry.defaults.sms?.(ctx);
    if (fallback !== undefined) return { sms: fallback, source: 'default (override too long)' };
    return { sms: sms.slice(0, SMS_MAX_SEPTETS), source: 'override' };
  }
  const sms = entry.defaults.sms?.(ctx);
  if (sms === undefined) throw new Error(`${entry.event} has no SMS template`);
  return { sms, source: 'default' };
}
