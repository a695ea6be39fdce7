/**
 * The booking page's first step: the chosen service as one line (with "change") or the service cards,
 * its description, a membership visit's certificate (with "not a membership visit"), and the staff choice.
 */
import { useT } from '../i18n';
import { durationText, priceText, type Service, ServiceCards, StaffChoice } from './ServiceCards';

export function ServiceStep(props: {
  services: Service[] | null;
  service: Service | undefined;
  serviceId: string | undefined;
  onPick: (service: Service) => void;
  onChange: () => void;
  certificate: string;
  onClearCertificate: () => void;
  staffId: string;
  onStaff: (staffId: string) => void;
}) {
  const { t, locale } = useT();
  const { services, service, certificate } = props;
  return (
    <section aria-labelledby="step-service" className="step">
      <h2 id="step-service">{t('book.service')}</h2>
      {service ? (
        <p className="summary-row">
          <span>
            <strong>{service.name}</strong> · {durationText(service.durationMinutes, t)} ·{' '}
            {priceText(service, locale, t)}
          </span>
          {services && services.length > 1 && (
            <button type="button" className="link-button" onClick={props.onChange}>
              {t('book.change')}
            </button>
          )}
        </p>
      ) : (
        services && <ServiceCards services={services} selected={props.serviceId} onPick={props.onPick} />
      )}
      {service?.description && <p className="hint">{service.description}</p>}
      {certificate && (
        <p className="notice summary-row" data-testid="membership-visit">
          <span>{t('book.membershipVisit', { certificate })}</span>
          <button type="button" className="link-button" onClick={props.onClearCertificate}>
            {t('book.notMembershipVisit')}
          </button>
        </p>
      )}
      {service && <StaffChoice service={service} value={props.staffId} onChange={props.onStaff} />}
    </section>
  );
}
