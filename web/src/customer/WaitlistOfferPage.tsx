/**
 * `/waitlist/offer/:token`: the one-tap link of a waitlist offer — the held time, a claim button, and
 * "No thanks, take me off the waitlist" (the time goes back at once).
 */
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { formatDateTime } from '../format';

interface Offer {
  status: 'open' | 'claimed' | 'expired';
  serviceName: string;
  staffName: string;
  startsAt: string;
  holdUntil: string;
  timeZone: string;
}

export function WaitlistOfferPage() {
  const { token = '' } = useParams();
  const [offer, setOffer] = useState<Offer | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [manageUrl, setManageUrl] = useState<string | null>(null);
  const [left, setLeft] = useState(false);
  useEffect(() => {
    document.title = 'A time opened up';
    api<{ offer: Offer }>('GET', `/api/waitlist/offers/${token}`)
      .then((r) => setOffer(r.offer))
      .catch((e: unknown) => setNote(errorText(e)));
  }, [token]);
  const claim = () =>
    api<{ appointmentId: string; manageUrl?: string }>('POST', `/api/waitlist/offers/${token}/claim`)
      .then((r) => {
        setOffer((o) => (o ? { ...o, status: 'claimed' } : o));
        setManageUrl(r.manageUrl ?? null);
        setNote('Booked! A confirmation is on its way.');
      })
      .catch((e: unknown) => setNote(errorText(e)));
  const leave = () =>
    api('POST', `/api/waitlist/offers/${token}/leave`)
      .then(() => {
        setOffer((o) => (o ? { ...o, status: 'expired' } : o));
        setLeft(true);
        setNote('You are off the waitlist. We will not send you more times.');
      })
      .catch((e: unknown) => setNote(errorText(e)));
  return (
    <main className="customer">
      <h1>A time opened up</h1>
      {offer && (
        <>
          <p>
            {offer.serviceName} with {offer.staffName} on{' '}
            <strong>{formatDateTime(offer.startsAt, offer.timeZone)}</strong>
          </p>
          {offer.status === 'open' && (
            <>
              <p>We are holding it for you until {formatDateTime(offer.holdUntil, offer.timeZone)}.</p>
              <button type="button" className="primary" onClick={() => void claim()}>
                Book this time
              </button>{' '}
              <button type="button" onClick={() => void leave()}>
                No thanks, take me off the waitlist
              </button>
            </>
          )}
          {offer.status === 'expired' && !left && <p>Sorry, this time went to the next person on the waitlist.</p>}
        </>
      )}
      {note && <p role="status">{note}</p>}
      {manageUrl && <a href={manageUrl}>Manage your appointment</a>}
    </main>
  );
}
