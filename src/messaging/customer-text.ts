/**
 * The words of customer messages (email, SMS, .ics) in the contact's language, through i18next — the
 * same library and the same shape of resources as the customer pages. `textFor(locale)` gives the
 * translate function; `<b>…</b>` in a message marks the part an email emphasises (`rich`). Values are
 * never escaped here (the email layout escapes HTML) and never re-interpolated, so a customer's name
 * containing `{{…}}` stays as typed. Pure and synchronous: the resources are in the bundle.
 */
import type { Locale } from '../i18n/locales';
import { createI18n, type Translate, translator } from '../i18n/translator';
import type { Inline } from './layout';
import { en } from './locales/en';
import { es } from './locales/es';

const instance = createI18n({ en, es });

export type Tr = Translate;

export function textFor(locale: Locale = 'en'): Tr {
  return translator(instance, locale);
}

/** "Your visit is on <b>Tuesday</b>." → ['Your visit is on ', { strong: 'Tuesday' }, '.'] */
export function rich(text: string): Inline[] {
  return text
    .split(/(<b>.*?<\/b>)/s)
    .filter((part) => part !== '')
    .map((part) => (part.startsWith('<b>') && part.endsWith('</b>') ? { strong: part.slice(3, -4) } : part));
}
