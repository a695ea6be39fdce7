/**
 * The zone times are shown in: detected from the browser, changeable by typing to search every IANA
 * zone (a native datalist, so it works with any keyboard and screen reader). When it differs from the
 * business's zone, that zone is named, so nobody turns up an hour early.
 */
import { useId, useMemo, useState } from 'react';
import { useT } from '../i18n';
import { zoneCity, zoneLongName } from '../i18n/format';

function allZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

export function TimeZonePicker(props: {
  value: string;
  onChange: (zone: string) => void;
  businessZone: string | undefined;
  businessName: string | undefined;
}) {
  const { t, locale } = useT();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const zones = useMemo(allZones, []);
  const now = new Date();

  function choose(value: string) {
    setTyped(value);
    const zone = zones.find((z) => z === value || z.replace(/_/g, ' ') === value);
    if (zone) {
      props.onChange(zone);
      setOpen(false);
      setTyped('');
    }
  }

  return (
    <div className="zone">
      <p className="zone-line">
        {t('zone.shownIn', { zone: zoneLongName(props.value, locale, now), city: zoneCity(props.value) })}{' '}
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {t('zone.change')}
        </button>
      </p>
      {props.businessZone && props.businessZone !== props.value && (
        <p className="hint" data-testid="business-zone">
          {t('zone.business', {
            name: props.businessName ?? '',
            city: zoneCity(props.businessZone),
            zone: zoneLongName(props.businessZone, locale, now),
          })}
        </p>
      )}
      {open && (
        <div className="field">
          <label htmlFor={id}>{t('zone.search')}</label>
          <input
            id={id}
            list={`${id}-list`}
            value={typed}
            autoComplete="off"
            placeholder={zoneCity(props.value)}
            onChange={(e) => choose(e.target.value)}
          />
          <datalist id={`${id}-list`}>
            {zones.map((z) => (
              <option key={z} value={z.replace(/_/g, ' ')} />
            ))}
          </datalist>
        </div>
      )}
    </div>
  );
}
