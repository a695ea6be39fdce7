/** The manage page's "call us" button and its dead-link page (the reason in the customer's language). */
import { Link } from 'react-router-dom';
import { useT } from '../i18n';
import { CustomerLayout, useBusiness, usePageTitle } from './business';

export interface DeadLink {
  message: string;
  bookingUrl?: string;
  reason?: string;
}

export function CallUs() {
  const { t } = useT();
  const business = useBusiness();
  if (!business?.phone) return null;
  return (
    <a className="button-link" href={`tel:${business.phone}`}>
      {t('business.call', { phone: business.phoneDisplay ?? business.phone })}
    </a>
  );
}

export function DeadLinkNotice({ dead }: { dead: DeadLink }) {
  const { t } = useT();
  usePageTitle(t('manage.deadTitle'));
  const booking = dead.bookingUrl ? new URL(dead.bookingUrl, window.location.href).pathname : '/book';
  return (
    <CustomerLayout>
      <h1>{t('manage.deadTitle')}</h1>
      <p role="alert" className="error">
        {dead.reason ? t(`dead.${dead.reason}`, { defaultValue: dead.message }) : dead.message}
      </p>
      <p className="actions">
        <a href={booking}>{t('manage.bookNew')}</a> <CallUs />
      </p>
      {(dead.reason === 'completed' || dead.reason === 'past') && (
        <p>
          <Link to="invoice">{t('manage.invoice')}</Link>
        </p>
      )}
    </CustomerLayout>
  );
}
