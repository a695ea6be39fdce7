/**
 * The customer pages' language (i18next, the messages in en.ts / es.ts). The language is, in order:
 * `?lang=` in the address, the one the customer chose before on this device, the browser's preferred
 * languages, the business's default. `useT()` gives the translate function and the locale; changing
 * the language re-renders the pages and sets `<html lang>`.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { isLocale, type Locale, preferredLocale } from '../../../src/i18n/locales';
import { createI18n, type Translate, translator } from '../../../src/i18n/translator';
import { en } from './en';
import { es } from './es';

const STORE_KEY = 'appointflow.lang';

export function initialLocale(fallback: Locale = 'en'): Locale {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (isLocale(asked)) return asked;
  try {
    const stored = localStorage.getItem(STORE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage blocked (a third-party frame): use the browser's languages
  }
  return preferredLocale(navigator.languages ?? [navigator.language], fallback);
}

export type { Translate };

interface I18nValue {
  t: Translate;
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18nValue | null>(null);

/** `fixed`: always this language (the admin app's English, around the shared picker components). */
export function I18nProvider({ children, fixed }: { children: ReactNode; fixed?: Locale }) {
  const instance = useMemo(() => createI18n({ en, es }), []);
  const [locale, setLocaleState] = useState<Locale>(() => fixed ?? initialLocale());
  useEffect(() => {
    void instance.changeLanguage(locale);
    document.documentElement.lang = locale;
  }, [instance, locale]);
  const setLocale = useCallback((next: Locale) => {
    try {
      localStorage.setItem(STORE_KEY, next);
    } catch {
      // not remembered; still switched
    }
    setLocaleState(next);
  }, []);
  const value = useMemo<I18nValue>(
    () => ({ t: translator(instance, locale), locale, setLocale }),
    [instance, locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT() outside <I18nProvider>');
  return value;
}
