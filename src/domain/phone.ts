/**
 * Phone numbers as people type them — national ("(212) 555-0143", "020 7946 0958") or international
 * ("+44 20 7946 0958") — checked and turned into E.164 with libphonenumber-js (Google's numbering
 * metadata), the national form read in the business's country. Pure; the booking pages use the same
 * module, so the customer is told the same thing as they type as the server answers.
 */
import {
  type CountryCode,
  getExampleNumber,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/mobile/examples';

export type PhoneCheck = { ok: true; e164: string } | { ok: false; example: string };

function country(code: string): CountryCode {
  return isSupportedCountry(code) ? code : 'US';
}

/** A mobile number of the country in its national form, e.g. "(201) 555-0123" for US. */
export function examplePhone(countryCode: string): string {
  return getExampleNumber(country(countryCode), examples)?.formatNational() ?? '+1 201 555 0123';
}

export function checkPhone(input: string, countryCode: string): PhoneCheck {
  const parsed = parsePhoneNumberFromString(input.trim(), country(countryCode));
  if (parsed?.isValid()) return { ok: true, e164: parsed.number };
  return { ok: false, example: examplePhone(countryCode) };
}

/** The plain-language refusal (English; the pages say it in the customer's language). */
export function phoneProblem(example: string): string {
  return `this does not look like a phone number: use one such as ${example}, or start with + and the country code`;
}

/** A stored number for display: national form within the country, international otherwise. */
export function displayPhone(e164: string, countryCode: string): string {
  const parsed = parsePhoneNumberFromString(e164, country(countryCode));
  if (!parsed) return e164;
  return parsed.country === country(countryCode) ? parsed.formatNational() : parsed.formatInternational();
}
