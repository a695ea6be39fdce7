/**
 * The service editor's model: the service as the API answers it, the form's fields (numbers and the
 * lifecycle policy as typed), the request body made from them, and which control an API field names.
 */
import type { LifecyclePolicy } from '../../../src/domain/lifecycle-policy-defaults';
import type { ServiceView } from '../../../src/services/repository';
import type { Wire } from '../wire';
import {
  type CancellationForm,
  cancellationBodyOf,
  cancellationControlId,
  cancellationFormOf,
} from './CancellationPolicyFields';
import { minorToText, moneyOf, numberOrText } from './form-values';
import { type DepositForm, depositBodyOf, depositFormOf } from './DepositFields';

/** The lifecycle policy, the server's own type (src/domain/lifecycle-policy-defaults.ts). */
export type Policy = LifecyclePolicy;

/** A service as GET /api/admin/services[/{id}] answers it: the server's view (src/services/repository.ts). */
export type Service = Omit<Wire<ServiceView>, 'lifecyclePolicy'> & {
  /** What is stored: only the keys that differ from the defaults. */
  lifecyclePolicy: Partial<Policy>;
};

export interface HistoryEntry {
  occurredAt: string;
  kind: string;
  actor: string;
  summary: string;
}

/** The numeric fields of the form: API field, label, unit, and the value a new service starts with. */
export const NUMBER_FIELDS = [
  ['durationMinutes', 'Duration', 'minutes', '60'],
  ['bufferBeforeMinutes', 'Buffer before', 'minutes', '0'],
  ['bufferAfterMinutes', 'Buffer after', 'minutes', '0'],
  ['slotIntervalMinutes', 'Slot interval (a start every …)', 'minutes', '15'],
  ['minNoticeMinutes', 'Minimum notice', 'minutes', '120'],
  ['bookingHorizonDays', 'Booking horizon', 'days ahead', '60'],
  ['billingIncrementMinutes', 'Billing increment (hourly)', 'minutes', '15'],
] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number][0];

export const POLICY_FIELDS: Array<[keyof Policy, string, string]> = [
  ['tomorrowHoursBefore', 'First reminder — Appointment Tomorrow', 'hours before the start'],
  ['todayHoursBefore', 'Second reminder — Appointment Today, staff brief', 'hours before the start'],
  ['closeOutHoursAfterEnd', 'Close-out', 'hours after the end'],
  ['rebookWindowHours', 'Rebooking follow-up after a cancel', 'hours later'],
  ['rebookSuggestions', 'Rebooking suggestions', 'slots'],
  ['manageLinkGraceHours', 'Manage link keeps working', 'hours after the start'],
  ['feedbackDelayHours', 'Feedback request', 'hours after payment'],
  ['paymentRetryDays', 'Payment retries after a decline', 'days, comma-separated'],
  ['lateReminderHours', 'A late reminder still goes out', 'hours after its time at most'],
  ['deliverOpensHoursBefore', 'Service can be marked delivered', 'hours before the start'],
  ['bookAgainWeeks', '"Book again" invitation (empty: off)', 'weeks after the visit'],
];

export type Form = Record<NumberField, string> & {
  name: string;
  slug: string;
  description: string;
  currency: string;
  pricing: 'fixed' | 'hourly';
  price: string;
  hourlyRate: string;
  billingPolicy: 'manual' | 'auto';
  taxPercent: string;
  active: boolean;
  staffIds: string[];
  policy: Record<keyof Policy, string>;
  cancellation: CancellationForm;
  deposit: DepositForm;
  /** What the customer is asked to send before the visit; empty: nothing. */
  filesRequest: string;
};

export function formOf(s: Service | null, currency: string): Form {
  const policy = Object.fromEntries(
    POLICY_FIELDS.map(([key]) => {
      const stored = s?.lifecyclePolicy[key];
      return [key, stored === undefined ? '' : Array.isArray(stored) ? stored.join(', ') : String(stored)];
    }),
  ) as Record<keyof Policy, string>;
  const numbers = Object.fromEntries(
    NUMBER_FIELDS.map(([field, , , initial]) => [field, s ? String(s[field]) : initial]),
  ) as Record<NumberField, string>;
  return {
    ...numbers,
    name: s?.name ?? '',
    slug: s?.slug ?? '',
    description: s?.description ?? '',
    currency: s?.currency ?? currency,
    pricing: s?.pricing ?? 'fixed',
    price: s ? minorToText(s.priceMinor) : '0.00',
    hourlyRate: s ? minorToText(s.hourlyRateMinor) : '0.00',
    billingPolicy: s?.billingPolicy ?? 'manual',
    taxPercent: s?.taxRateBps === null || s?.taxRateBps === undefined ? '' : String(s.taxRateBps / 100),
    active: s?.active ?? true,
    staffIds: s?.staffIds ?? [],
    policy,
    cancellation: cancellationFormOf(s?.cancellationPolicy),
    deposit: depositFormOf(s?.depositPolicy),
    filesRequest: s?.filesRequest ?? '',
  };
}

export function bodyOf(form: Form): Record<string, unknown> {
  const lifecyclePolicy: Record<string, unknown> = {};
  for (const [key] of POLICY_FIELDS) {
    const text = form.policy[key].trim();
    if (text === '') continue;
    lifecyclePolicy[key] =
      key === 'paymentRetryDays' ? text.split(',').map((d) => numberOrText(d)) : numberOrText(text);
  }
  const tax = numberOrText(form.taxPercent);
  const slug = form.slug.trim();
  return {
    name: form.name,
    // Left empty on a new service: the server makes one from the name.
    ...(slug ? { slug } : {}),
    description: form.description,
    ...Object.fromEntries(NUMBER_FIELDS.map(([field]) => [field, numberOrText(form[field])])),
    currency: form.currency.trim().toUpperCase(),
    pricing: form.pricing,
    priceMinor: moneyOf(form.price),
    hourlyRateMinor: moneyOf(form.hourlyRate),
    billingPolicy: form.billingPolicy,
    cancellationPolicy: cancellationBodyOf(form.cancellation),
    depositPolicy: depositBodyOf(form.deposit),
    filesRequest: form.filesRequest.trim() || null,
    taxRateBps: tax === '' ? null : typeof tax === 'number' ? Math.round(tax * 100) : tax,
    active: form.active,
    staffIds: form.staffIds,
    lifecyclePolicy,
  };
}

/** API field → the form control's id (the money and tax fields are entered in major units / percent). */
export function controlId(field: string): string {
  const top = field.split('.')[0] ?? field;
  if (top === 'lifecyclePolicy') return `svc-policy-${field.split('.')[1] ?? ''}`;
  if (top === 'staffIds') return 'svc-staff';
  if (top === 'cancellationPolicy') return cancellationControlId(field);
  if (top === 'depositPolicy') return field === 'depositPolicy' ? 'svc-deposit-kind' : 'svc-deposit';
  const map: Record<string, string> = { priceMinor: 'price', hourlyRateMinor: 'hourlyRate', taxRateBps: 'taxPercent' };
  return `svc-${map[top] ?? top}`;
}
