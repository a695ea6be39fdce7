/** The customer's saved cards (brand, last four, expiry) with "Remove"; the card on file is the one charged after visits. */
import { useCallback, useEffect, useState } from 'react';
import type { PortalCardView } from '../../../../src/portal/cards';
import { api, errorText } from '../../api';

type SavedCard = PortalCardView;

const brandName = (brand: string) => brand.charAt(0).toUpperCase() + brand.slice(1);

export function SavedCards() {
  const [cards, setCards] = useState<SavedCard[] | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ cards: SavedCard[] }>('GET', '/api/portal/cards')
      .then((r) => setCards(r.cards))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  async function remove(id: string) {
    setAsking(null);
    try {
      await api('DELETE', `/api/portal/cards/${encodeURIComponent(id)}`);
      load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section aria-labelledby="cards-heading">
      <h2 id="cards-heading">Saved cards</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cards?.length === 0 && <p>No saved cards.</p>}
      <ul className="account-list">
        {cards?.map((c) => (
          <li key={c.id}>
            <p>
              {brandName(c.brand)} ending in {c.last4}
              {c.expMonth && c.expYear ? `, expires ${String(c.expMonth).padStart(2, '0')}/${c.expYear}` : ''}
              {c.onFile ? ' — charged after your visits' : ''}
            </p>
            {asking === c.id ? (
              <div className="account-actions">
                <button type="button" onClick={() => void remove(c.id)}>
                  Yes, remove the card ending in {c.last4}
                </button>
                <button type="button" onClick={() => setAsking(null)}>
                  Keep it
                </button>
              </div>
            ) : (
              <button type="button" onClick={() => setAsking(c.id)}>
                Remove the card ending in {c.last4}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
