/**
 * The HTTP API's request schemas (zod), used both to validate requests and to generate the OpenAPI
 * document, so the two cannot drift apart.
 */
import { z } from 'zod';
import { isValidTimeZone } from '../domain/time';
import { serviceReportSchema } from '../appointments/service-report';
import { isStorableText, text } from './text';
import { SUPPORTED_LOCALES } from '../i18n/locales';
import { checkPhone, phoneProblem } from '../domain/phone';

export const uuid = z.uuid({ error: 'expected a UUID' });
export const timeZone = z
  .string({ error: 'expected an IANA time zone such as America/New_York' })
  .min(1, 'expected an IANA time zone such as America/New_York')
  .max(64, 'expected an IANA time zone such as America/New_York')
  // One problem per field: the length checks above speak for empty and overlong values.
  .refine((v) => v.length === 0 || v.length > 64 || isValidTimeZone(v), {
    message: 'expected an IANA time zone such as America/New_York',
  });

/** Dates and instants at the edge lie between these years: far enough for any booking or validity. */
export const YEAR_MIN = 2000;
export const YEAR_MAX = 2100;
const yearInRange = (value: string) => {
  if (!/^\d{4}-/.test(value) || !Number.isFinite(Date.parse(value))) return true; // the format check speaks
  const year = Number(value.slice(0, 4));
  return year >= YEAR_MIN && year < YEAR_MAX;
};
export const instant = z.iso
  .datetime({
    offset: true,
    error: 'expected an ISO 8601 date-time with offset, e.g. 2026-12-01T15:30:00Z',
  })
  .refine(yearInRange, `expected a time from ${YEAR_MIN} to ${YEAR_MAX - 1}`);
export const localDate = z.iso
  .date({ error: 'expected a date as YYYY-MM-DD' })
  .refine(yearInRange, `expected a date from ${YEAR_MIN} to ${YEAR_MAX - 1}`);

/** An ISO 4217 currency code in use (the list the runtime's ICU knows: USD, EUR, …; not ZZZ). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const currencyCode = z
  .string({ error: 'expected a currency code' })
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as USD')
  .refine((c) => !/^[A-Z]{3}$/.test(c) || CURRENCIES.has(c), 'expected an ISO 4217 currency code such as USD');

/** An absolute http(s) URL, storable (no NUL), at most 2000 characters. */
export const httpUrl = (error: string) =>
  z
    .url({ error, protocol: /^https?$/ })
    .max(2000, 'at most 2000 characters')
    .refine(isStorableText, 'must not contain NUL or unpaired surrogate characters');
export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number such as +12125550123');

export const customerSchema = z.object({
  name: text(200, { min: 1 }),
  email: z.email({ error: 'expected an email address' }).max(320),
  phone: e164.optional(),
  smsOptIn: z.boolean({ error: 'expected true or false' }).default(false),
  address: text(500).optional(),
  note: text(2000).optional(),
});

/**
 * A phone number as the customer typed it — national form (read in the business's `country`) or
 * international — checked and normalised to E.164 (src/domain/phone.ts); empty means none.
 */
export function typedPhone(country: string) {
  return text(40, { error: 'expected a phone number' }).transform((typed, ctx) => {
    if (!typed) return undefined;
    const checked = checkPhone(typed, country);
    if (checked.ok) return checked.e164;
    ctx.addIssue({ code: 'custom', message: phoneProblem(checked.example) });
    return z.NEVER;
  });
}

/** The customer as the public pages send them: the phone as typed, and the page's language. */
export function publicCustomerFor(country: string) {
  return customerSchema.extend({
    phone: typedPhone(country).optional(),
    locale: z.enum(SUPPORTED_LOCALES, { error: `expected one of ${SUPPORTED_LOCALES.join(', ')}` }).optional(),
  });
}

/** For the OpenAPI document: the phone is a string as typed (national or international form). */
export const publicCustomerSchema = customerSchema.extend({
  phone: text(40).optional().describe('As typed: national (business country) or international form'),
  locale: z.enum(SUPPORTED_LOCALES).optional().describe("The page's language; the contact's messages use it"),
});

/** A membership visit (issue 5): the membership by id, or its certificate number as the customer reads it. */
const membershipVisitFields = {
  membershipId: uuid.optional(),
  certificateNumber: text(40, { min: 1 }).optional(),
};

/** A public booking; phone numbers are read in the business's `country`. */
export function bookingSchemaFor(country: string) {
  return z
    .object({
      serviceId: uuid,
      staffId: uuid.optional(),
      startsAt: instant,
      timeZone,
      customer: publicCustomerFor(country),
      ...membershipVisitFields,
      /** The SetupIntent the booking page confirmed with the Payment Element (services that ask for a card). */
      setupIntentId: z.string({ error: 'must be text' }).trim().min(1).max(255).optional(),
      /** The deposit's PaymentIntent, confirmed on the page (services that take a deposit). */
      paymentIntentId: z.string({ error: 'must be text' }).trim().min(1).max(255).optional(),
    })
    .refine((b) => !b.customer.smsOptIn || b.customer.phone, {
      message: 'a phone number is needed to receive SMS',
      path: ['customer', 'phone'],
    });
}

/** The booking body as documented (OpenAPI). */
export const bookingSchema = z.object({
  serviceId: uuid,
  staffId: uuid.optional(),
  startsAt: instant,
  timeZone,
  customer: publicCustomerSchema,
  ...membershipVisitFields,
  setupIntentId: text(255)
    .optional()
    .describe('The SetupIntent confirmed on the page (a service that keeps a card; POST /api/payments/setup-intents)'),
  paymentIntentId: text(255)
    .optional()
    .describe(
      "The deposit's PaymentIntent confirmed on the page (a service that takes a deposit; POST /api/payments/deposit-intents)",
    ),
});

export const staffChannel = z.enum(['phone', 'in_person', 'email', 'admin', 'api', 'sms'], {
  error: 'expected one of phone, in_person, email, admin, api, sms',
});

export const actorSchema = z.object({
  kind: z.enum(['staff', 'technician', 'integration'], { error: 'expected staff, technician or integration' }),
  name: text(200, { min: 1 }),
  id: text(100).optional(),
});

export const staffBookingSchema = z
  .object({
    serviceId: uuid,
    staffId: uuid.optional(),
    startsAt: instant,
    timeZone,
    customer: customerSchema,
    channel: staffChannel,
    actor: actorSchema.optional(),
    ...membershipVisitFields,
  })
  .refine((b) => !b.customer.smsOptIn || b.customer.phone, {
    message: 'a phone number is needed to receive SMS',
    path: ['customer', 'phone'],
  });

export const availabilityQuery = z
  .object({
    from: localDate,
    to: localDate,
    timeZone,
    staffId: uuid.optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] });

/** The reschedule message as staff edited it (from the preview); `{manage-link}` becomes the customer's link. */
export const rescheduleMessageSchema = z
  .object({
    email: z
      .object({
        subject: text(300, { min: 1 }),
        body: text(20_000, { min: 1 }),
      })
      .optional(),
    sms: text(1600, { min: 1 }).optional(),
  })
  .refine((m) => m.email !== undefined || m.sms !== undefined, { message: 'give the email, the SMS or both' });

export const rescheduleBody = z.object({
  startsAt: instant,
  staffId: uuid.optional(),
  serviceId: uuid.optional(),
  /** The public note: on the timeline and, shown to the customer, in the reschedule email. */
  note: text(2000).optional(),
  channel: staffChannel,
  actor: actorSchema.optional(),
  /** Staff-edited reschedule message; absent: the template renders. */
  message: rescheduleMessageSchema.optional(),
  /** false: no 48 h / 12 h reminders for the new time. */
  reminders: z.boolean({ error: 'expected true or false' }).optional(),
});

export const reschedulePreviewBody = z.object({
  startsAt: instant,
  staffId: uuid.optional(),
  serviceId: uuid.optional(),
  note: text(2000).optional(),
});

export const manageRescheduleBody = z.object({ startsAt: instant });

/** Staff's choice on the cancellation policy's fee (src/domain/cancellation-policy.ts): charge or waive it. */
const cancellationFeeChoice = z.enum(['charge', 'waive'], {
  error: 'expected charge (the customer asked to cancel late) or waive',
});

export const cancelBody = z.object({
  reason: text(1000, { min: 1 }),
  cancellationFee: cancellationFeeChoice.optional(),
  channel: staffChannel,
  actor: actorSchema.optional(),
});

export const manageCancelBody = z.object({ reason: text(1000).optional() });

export const noShowBody = z.object({
  note: text(2000).optional(),
  cancellationFee: cancellationFeeChoice.optional(),
  channel: staffChannel,
  actor: actorSchema.optional(),
});

export const startBody = z.object({ channel: staffChannel, actor: actorSchema.optional() });

export const taskListQuery = z.object({
  assignee: uuid.optional(),
  status: z.enum(['open', 'done', 'cancelled'], { error: 'expected open, done or cancelled' }).default('open'),
  overdue: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  /** The zone the reasons name times in (otherwise the appointment's). */
  timeZone: timeZone.optional(),
});

export const completeTaskBody = z.object({
  form: z.object({
    minutes: z
      .number({ error: 'expected a number of minutes' })
      .int('expected whole minutes')
      .positive('must be more than 0')
      .optional(),
    notes: text(2000).optional(),
    amountMinor: z
      .number({ error: 'expected an amount in minor units' })
      .int('expected whole minor units')
      .positive('must be more than 0')
      .optional(),
    /** The service report for the customer, sent with the receipt (deliver task only; issue 16). */
    report: serviceReportSchema.optional(),
  }),
  channel: staffChannel,
  actor: actorSchema.optional(),
});

export const reassignTaskBody = z.object({ assigneeStaffId: uuid, actor: actorSchema.optional() });

// --- memberships (issue 5) ---------------------------------------------------------------------------

const planWhole = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int(`expected a whole number of ${what}`)
    .min(min, `must be at least ${min} ${what}`)
    .max(max, `must be at most ${max} ${what}`);

/** Every field of a membership plan, shared by create and edit (membership plans in the admin app). */
export const membershipPlanFields = {
  name: text(200, { min: 1, error: 'expected a name' }),
  description: text(2000),
  visitsTotal: planWhole('visits', 1, 1000).nullable(),
  validityDays: planWhole('days', 1, 3660),
  priceMinor: z
    .number({ error: 'expected an amount in minor units (cents)' })
    .int('expected a whole number of minor units')
    .min(0, 'must be 0 or more')
    .max(100_000_000_00, 'at most 100,000,000.00'),
  currency: currencyCode,
  serviceIds: z.array(uuid, { error: 'expected a list of service ids' }).max(100, 'at most 100 services'),
  lateCancelHours: planWhole('hours', 0, 24 * 30),
  lateCancelForfeits: z.boolean({ error: 'expected true or false' }),
  noShowForfeits: z.boolean({ error: 'expected true or false' }),
  expiryReminderDays: planWhole('days', 0, 365),
  active: z.boolean({ error: 'expected true or false' }),
};

export const membershipPlanBody = z.object({
  ...membershipPlanFields,
  description: membershipPlanFields.description.optional(),
  serviceIds: membershipPlanFields.serviceIds.default([]),
  lateCancelHours: membershipPlanFields.lateCancelHours.optional(),
  lateCancelForfeits: membershipPlanFields.lateCancelForfeits.optional(),
  noShowForfeits: membershipPlanFields.noShowForfeits.optional(),
  expiryReminderDays: membershipPlanFields.expiryReminderDays.optional(),
  active: membershipPlanFields.active.optional(),
});

/**
 * A change to a plan: any of its fields. Name, description, price and `active` may always change (a
 * new name or price applies to new purchases); the terms (visits, validity, services, policy) only
 * while the plan has sold nothing — the route refuses them with 409 otherwise.
 */
export const membershipPlanUpdateBody = z
  .strictObject(membershipPlanFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

/** Buying a membership from a public page; phone numbers are read in the business's `country`. */
export function membershipPurchaseBodyFor(country: string) {
  return z
    .object({
      planId: uuid,
      timeZone,
      customer: publicCustomerFor(country).pick({ name: true, email: true, phone: true, smsOptIn: true, locale: true }),
      paymentMethodId: text(255, { min: 1 }),
      idempotencyKey: text(200, { min: 8 }),
    })
    .refine((b) => !b.customer.smsOptIn || b.customer.phone, {
      message: 'a phone number is needed to receive SMS',
      path: ['customer', 'phone'],
    });
}

/** The purchase body as documented (OpenAPI). */
export const membershipPurchaseBody = z.object({
  planId: uuid,
  timeZone,
  customer: publicCustomerSchema.pick({ name: true, email: true, phone: true, smsOptIn: true, locale: true }),
  paymentMethodId: text(255, { min: 1 }),
  idempotencyKey: text(200, { min: 8 }),
});

/** A new end of validity: an instant, or a date (the end of that day in the membership's time zone). */
export const extendValidityBody = z
  .object({
    validUntil: instant.optional(),
    validUntilDate: localDate.optional(),
    channel: staffChannel,
    actor: actorSchema.optional(),
  })
  .refine((b) => (b.validUntil === undefined) !== (b.validUntilDate === undefined), {
    message: 'give either validUntil (an instant) or validUntilDate (YYYY-MM-DD), not both',
    path: ['validUntil'],
  });
