/**
 * The languages customer pages and customer messages are written in. Pure and dependency-free, so the
 * web bundle shares it. A contact's stored language, a page's `?lang=` or the browser's preference is
 * reduced to one of these; anything else falls back (to the business's default language).
 */
export const SUPPORTED_LOCALES = ['en', 'es'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', es: 'Español' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** "es-MX" → "es", "EN" → "en"; an unsupported or missing tag → `fallback`. */
export function resolveLocale(tag: string | null | undefined, fallback: Locale = 'en'): Locale {
  const language = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : fallback;
}

/** The first supported language in a preference list (navigator.languages, Accept-Language order). */
export function preferredLocale(tags: readonly string[], fallback: Locale = 'en'): Locale {
  for (const tag of tags) {
    const language = tag.trim().toLowerCase().split(/[-_;]/)[0];
    if (isLocale(language)) return language;
  }
  return fallback;
}
