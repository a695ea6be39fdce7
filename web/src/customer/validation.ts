/**
 * The booking form's checks, the same rules the server applies (src/http/schemas.ts and
 * src/domain/phone.ts), in the customer's language. The phone check loads libphonenumber-js only once
 * someone types a number, so the booking page stays light.
 */
import type { Translate } from '../i18n';

export interface Details {
  name: string;
  email: string;
  phone: string;
  smsOptIn: boolean;
  address: string;
  note: string;
}

export type FieldName = keyof Details;
export type Problems = Partial<Record<FieldName, string>>;

/** The order fields appear in, so focus goes to the first problem. */
export const FIELD_ORDER: readonly FieldName[] = ['name', 'email', 'phone', 'smsOptIn', 'address', 'note'];

export interface PhoneResult {
  ok: boolean;
  example: string;
}

export async function checkPhoneNumber(phone: string, country: string): Promise<PhoneResult> {
  const { checkPhone } = await import('../../../src/domain/phone');
  const result = checkPhone(phone, country);
  return { ok: result.ok, example: result.ok ? '' : result.example };
}

export function problemsOf(
  details: Details,
  rules: { addressRequired: boolean; phone: PhoneResult | null },
  t: Translate,
): Problems {
  const problems: Problems = {};
  const name = details.name.trim();
  if (!name) problems.name = t('form.errors.nameRequired');
  else if (name.length > 200) problems.name = t('form.errors.tooLong', { max: 200 });
  const email = details.email.trim();
  if (!email) problems.email = t('form.errors.emailRequired');
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320)
    problems.email = t('form.errors.emailInvalid');
  if (details.phone.trim()) {
    if (rules.phone && !rules.phone.ok)
      problems.phone = t('form.errors.phoneInvalid', { example: rules.phone.example });
  } else if (details.smsOptIn) problems.phone = t('form.errors.phoneForSms');
  if (rules.addressRequired && !details.address.trim()) problems.address = t('form.errors.addressRequired');
  else if (details.address.trim().length > 500) problems.address = t('form.errors.tooLong', { max: 500 });
  if (details.note.trim().length > 2000) problems.note = t('form.errors.tooLong', { max: 2000 });
  return problems;
}

/** The server names fields as `customer.phone`, `startsAt`…; the form's own names where they match. */
export function fieldOf(serverField: string): FieldName | undefined {
  const name = serverField.replace(/^customer\./, '');
  return (FIELD_ORDER as readonly string[]).includes(name) ? (name as FieldName) : undefined;
}
