/**
 * After a 409 (someone took the time first): the next free times, right above the Book button and
 * focused, so the customer sees them without scrolling; their details stay in the form.
 */
import { useT } from '../i18n';
import { shortDateTimeOf } from '../i18n/format';
import type { TimeChoice } from '../picker/types';

export function TakenTimes(props: { times: TimeChoice[]; timeZone: string; onPick: (choice: TimeChoice) => void }) {
  const { t, locale } = useT();
  return (
    <div className="taken" id="taken" tabIndex={-1} role="alert">
      <p>{props.times.length ? t('book.takenPick') : t('book.takenNone')}</p>
      <div className="times">
        {props.times.map((c) => (
          <button
            type="button"
            key={c.startsAt}
            className="time"
            data-starts-at={c.startsAt}
            onClick={() => props.onPick(c)}
          >
            <span className="time-at">{shortDateTimeOf(c.startsAt, props.timeZone, locale)}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
