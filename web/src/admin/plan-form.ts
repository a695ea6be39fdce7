/**
 * The membership-plan editor's model: the plan as the API answers it, the form as typed, the request
 * body (locked terms left out), which control an API field names and the words for each field.
 */
import { minorToText, moneyOf, numberOrText } from './form-values';

export interface Plan {
  id: string;
  name: string;
  description: string;
  visitsTotal: number | null;
  validityDays: number;
  priceMinor: number;
  currency: string;
  serviceIds: string[];
  services: Array<{ id: string; name: string }>;
  lateCancelHours: number;
  lateCancelForfeits: boolean;
  noShowForfeits: boolean;
  expiryReminderDays: number;
  active: boolean;
  memberships: { sold: number; active: number };
  lockedFields: string[];
}

export interface HistoryEntry {
  occurredAt: string;
  kind: string;
  actor: string;
  summary: string;
}

export interface Form {
  name: string;
  description: string;
  visitsTotal: string;
  validityDays: string;
  price: string;
  currency: string;
  serviceIds: string[];
  lateCancelHours: string;
  lateCancelForfeits: boolean;
  noShowForfeits: boolean;
  expiryReminderDays: string;
}

export const formOf = (p: Plan | null, currency: string): Form => ({
  name: p?.name ?? '',
  description: p?.description ?? '',
  visitsTotal: p ? (p.visitsTotal === null ? '' : String(p.visitsTotal)) : '5',
  validityDays: p ? String(p.validityDays) : '180',
  price: p ? minorToText(p.priceMinor) : '',
  currency: p?.currency ?? currency,
  serviceIds: p?.serviceIds ?? [],
  lateCancelHours: p ? String(p.lateCancelHours) : '24',
  lateCancelForfeits: p?.lateCancelForfeits ?? true,
  noShowForfeits: p?.noShowForfeits ?? true,
  expiryReminderDays: p ? String(p.expiryReminderDays) : '14',
});

/** The request body: a locked term is not sent (it cannot change). */
export function bodyOf(form: Form, locked: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: form.name,
    description: form.description,
    priceMinor: moneyOf(form.price),
    currency: form.currency.trim().toUpperCase(),
    visitsTotal: form.visitsTotal.trim() === '' ? null : numberOrText(form.visitsTotal),
    validityDays: numberOrText(form.validityDays),
    serviceIds: form.serviceIds,
    lateCancelHours: numberOrText(form.lateCancelHours),
    lateCancelForfeits: form.lateCancelForfeits,
    noShowForfeits: form.noShowForfeits,
    expiryReminderDays: numberOrText(form.expiryReminderDays),
  };
  for (const field of locked) delete body[field];
  return body;
}

/** API field → the form control's id (the price is entered in major units). */
export function controlId(field: string): string {
  const top = field.split('.')[0] ?? field;
  if (top === 'serviceIds') return 'plan-services';
  return `plan-${top === 'priceMinor' ? 'price' : top}`;
}

/** API field → the words the form uses for it, for the "Saved: … changed" notice. */
export const LABELS: Record<string, string> = {
  name: 'name',
  description: 'description',
  priceMinor: 'price',
  currency: 'currency',
  visitsTotal: 'visits',
  validityDays: 'validity',
  serviceIds: 'services',
  lateCancelHours: 'late cancellation hours',
  lateCancelForfeits: 'late cancellation rule',
  noShowForfeits: 'no-show rule',
  expiryReminderDays: 'expiry reminder',
};

export const visitsText = (p: Plan) => (p.visitsTotal === null ? 'unlimited' : String(p.visitsTotal));
export const servicesText = (p: Plan) =>
  p.services.length ? p.services.map((s) => s.name).join(', ') : 'every service';
