/**
 * The business's identity on every customer page: loaded once from `GET /api/business`, its colour
 * applied as CSS variables (with a text colour that keeps AA contrast), the page title naming it, and
 * the layout — skip link, header with logo (or initial) and name, language choice, footer with the
 * address and a working "call us".
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api } from '../api';
import { useT } from '../i18n';
import { LOCALE_NAMES, SUPPORTED_LOCALES } from '../../../src/i18n/locales';
import type { BusinessProfile } from '../../../src/business/types';

/** What `GET /api/business` answers (the server's own type). */
export type Business = BusinessProfile;

const BusinessContext = createContext<Business | null>(null);

/** Relative luminance (WCAG) of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or near-black, whichever reads better on the brand colour. */
export function textOn(hex: string): string {
  return luminance(hex) > 0.179 ? '#111111' : '#ffffff';
}

export function BusinessProvider({ children }: { children: ReactNode }) {
  const [business, setBusiness] = useState<Business | null>(null);
  useEffect(() => {
    api<{ business: Business }>('GET', '/api/business').then(
      (r) => setBusiness(r.business),
      () => setBusiness(null),
    );
  }, []);
  useEffect(() => {
    if (!business) return;
    const root = document.documentElement.style;
    root.setProperty('--brand', business.brandColor);
    root.setProperty('--brand-text', textOn(business.brandColor));
  }, [business]);
  return <BusinessContext.Provider value={business}>{children}</BusinessContext.Provider>;
}

export function useBusiness(): Business | null {
  return useContext(BusinessContext);
}

/** Sets the tab's title: "<page> · <business>". */
export function usePageTitle(title: string): void {
  const business = useBusiness();
  useEffect(() => {
    document.title = business ? `${title} · ${business.name}` : title;
  }, [title, business]);
}

/** The other language(s), named in themselves ("Español"), one tap to switch. */
export function LanguageChoice() {
  const { t, locale, setLocale } = useT();
  return (
    <div className="languages" role="group" aria-label={t('layout.language')}>
      {SUPPORTED_LOCALES.filter((l) => l !== locale).map((l) => (
        <button key={l} type="button" lang={l} className="link-button" onClick={() => setLocale(l)}>
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

export function CustomerLayout(props: { children: ReactNode; compact?: boolean }) {
  const { t } = useT();
  const business = useBusiness();
  return (
    <div className={`customer-shell${props.compact ? ' compact' : ''}`}>
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <header className="brand-bar">
        <div className="brand">
          {business?.logoUrl ? (
            <img src={business.logoUrl} alt="" className="logo" width="40" height="40" />
          ) : (
            <span className="logo monogram" aria-hidden="true">
              {(business?.name ?? ' ').trim().charAt(0).toUpperCase()}
            </span>
          )}
          <span className="brand-name">{business?.name ?? '\u00a0'}</span>
        </div>
        <LanguageChoice />
      </header>
      <main id="main" className="customer" tabIndex={-1}>
        {props.children}
      </main>
      {!props.compact && business && (
        <footer className="brand-footer">
          <p>
            <strong>{business.name}</strong>
            {business.address && <> · {business.address}</>}
          </p>
          <p>
            {business.phone && (
              <a href={`tel:${business.phone}`}>
                {t('business.call', { phone: business.phoneDisplay ?? business.phone })}
              </a>
            )}
            {business.phone && business.email && ' · '}
            {business.email && <a href={`mailto:${business.email}`}>{business.email}</a>}
          </p>
        </footer>
      )}
    </div>
  );
}
