/**
 * One i18next instance over the given resources, for the customer pages and the customer messages
 * alike: no escaping (React and the email layout escape), values never re-interpolated, resources
 * bundled so it is ready synchronously. `translator(i18n, locale)` is its translate function.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Locale } from './locales';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

export function createI18n(resources: Record<Locale, Record<string, unknown>>): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(resources).map(([lng, translation]) => [lng, { translation }])),
    lng: 'en',
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false, skipOnVariables: true },
    returnNull: false,
  });
  return instance;
}

export function translator(instance: I18n, locale: Locale): Translate {
  const fixed = instance.getFixedT(locale);
  return (key, values) => fixed(key, values ?? {});
}
