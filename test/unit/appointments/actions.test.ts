import { cardActions, type CardFacts, DELIVER_EARLY_WINDOW_MS } from '../../../src/appointments/actions';
import { cardProgress } from '../../../src/appointments/progress';

/** Intl puts a narrow no-break space before AM/PM: compare with plain spaces. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/\u202f|\u00a0/g, ' ')) as T;
}

const START = Date.parse('2030-03-05T15:00:00Z'); // Tue, 10:00 AM EST
const MIN = 60_000;

function facts(change: Partial<CardFacts> = {}): CardFacts {
  return {
    status: 'scheduled',
    startsAt: START,
    endsAt: START + 60 * MIN,
    now: START - 3 * 60 * MIN,
    deliverTask: { status: 'open' },
    workflowRunning: true,
    timeZone: 'America/New_York',
    ...change,
  };
}

describe('cardActions', () => {
  it('a future scheduled appointment: move, cancel (confirmed), start early with a warning; no no-show; no delivery yet', () => {
    const a = plain(cardActions(facts()));
    expect(a.reschedule).toEqual({ open: true });
    expect(a.cancel).toMatchObject({ open: true, irreversible: true });
    expect(a.cancel.confirm).toMatch(/cannot be undone/);
    expect(a.start.open).toBe(true);
    expect(a.start.confirm).toBe('It starts Tue, 10:00 AM EST, in 3 h. Start the service early?');
    expect(a.noShow).toEqual({ open: false, reason: 'Possible from the start time, Tue, 10:00 AM EST.' });
    expect(a.deliver.open).toBe(false);
    expect(a.deliver.reason).toMatch(/^Start the service first/);
  });

  it('starting within the grace period asks nothing', () => {
    expect(cardActions(facts({ now: START - 10 * MIN })).start).toEqual({ open: true });
  });

  it('from the start time: no-show opens, irreversible and confirmed', () => {
    const a = cardActions(facts({ now: START }));
    expect(a.noShow).toMatchObject({ open: true, irreversible: true });
    expect(a.noShow.confirm).toMatch(/cannot be undone/);
    expect(a.deliver).toEqual({ open: true, irreversible: true });
  });

  it('within the delivery window before the start, delivery asks for confirmation', () => {
    const a = plain(cardActions(facts({ now: START - DELIVER_EARLY_WINDOW_MS + 5 * MIN })));
    expect(a.deliver.open).toBe(true);
    expect(a.deliver.confirm).toMatch(/has not started and starts Tue, 10:00 AM EST, in 55 min/);
  });

  it('once started: start is closed (once), no-show closed, delivery open without confirmation, no move', () => {
    const a = cardActions(facts({ status: 'in_progress', now: START - 2 * 60 * MIN }));
    expect(a.start).toEqual({ open: false, reason: 'The service has already started.' });
    expect(a.noShow).toEqual({ open: false, reason: 'The service has started, so the customer came.' });
    expect(a.deliver).toEqual({ open: true, irreversible: true });
    expect(a.reschedule.open).toBe(false);
    expect(a.cancel.open).toBe(true);
  });

  it('done, cancelled and no-show close everything, with the status in words', () => {
    for (const [status, words] of [
      ['done', 'done'],
      ['cancelled', 'cancelled'],
      ['no_show', 'a no-show'],
    ] as const) {
      const a = cardActions(facts({ status, deliverTask: { status: status === 'done' ? 'done' : 'cancelled' } }));
      for (const action of Object.values(a)) expect(action.open).toBe(false);
      expect(a.cancel.reason).toBe(`This appointment is ${words}.`);
    }
    expect(cardActions(facts({ status: 'done', deliverTask: { status: 'done' } })).deliver.reason).toBe(
      'The service has been delivered.',
    );
  });

  it('a workflow that does not answer closes every action with the reason', () => {
    const a = cardActions(facts({ workflowRunning: false }));
    expect(Object.values(a).every((x) => !x.open && /not answering/.test(x.reason ?? ''))).toBe(true);
  });

  it('no deliver task: delivery closed with the reason', () => {
    expect(cardActions(facts({ now: START, deliverTask: null })).deliver.reason).toBe(
      'There is no deliver task for this appointment.',
    );
  });
});

describe('cardProgress', () => {
  const base = {
    stage: 'Appointment Tomorrow',
    status: 'scheduled' as const,
    price: { amountMinor: 9000, currency: 'USD' },
    pricing: 'fixed' as const,
    hourlyRateMinor: null,
    invoice: null,
  };
  it('keeps the stage and booked price before delivery', () => {
    expect(cardProgress(base)).toEqual({
      stage: 'Appointment Tomorrow',
      price: { amountMinor: 9000, currency: 'USD', basis: 'booked' },
    });
  });
  it('in progress, then delivered with an open invoice: the stage follows and the price is the invoice total', () => {
    expect(cardProgress({ ...base, status: 'in_progress' }).stage).toBe('In progress');
    expect(
      cardProgress({ ...base, status: 'done', invoice: { status: 'open', totalMinor: 9720, currency: 'USD' } }),
    ).toEqual({
      stage: 'Delivered — awaiting payment',
      price: { amountMinor: 9720, currency: 'USD', basis: 'invoiced' },
    });
    expect(
      cardProgress({ ...base, status: 'done', invoice: { status: 'paid', totalMinor: 9720, currency: 'USD' } }).stage,
    ).toBe('Paid Won');
  });
  it('hourly services show the rate until invoiced', () => {
    expect(cardProgress({ ...base, pricing: 'hourly', hourlyRateMinor: 12000 }).price).toEqual({
      amountMinor: 12000,
      currency: 'USD',
      basis: 'hourly',
    });
  });
});
