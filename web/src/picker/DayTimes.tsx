/**
 * One day's free times as a compact grid of buttons (one tab stop: arrow keys move through the times,
 * up and down by a row, Home / End to the first and last; Enter or Space picks). A time offered by
 * several staff members is one button when the customer left the staff choice open.
 */
import { type KeyboardEvent, useRef, useState } from 'react';
import { useT } from '../i18n';
import { timeOf } from '../i18n/format';
import type { TimeChoice } from './types';

function columns(list: HTMLElement | null): number {
  const buttons = list ? [...list.querySelectorAll<HTMLElement>('button')] : [];
  const top = buttons[0]?.offsetTop;
  const n = buttons.filter((b) => b.offsetTop === top).length;
  return Math.max(1, n);
}

export function DayTimes(props: {
  times: TimeChoice[];
  timeZone: string;
  selected: string | undefined;
  onPick: (choice: TimeChoice) => void;
  /** Name who offers each time (a staff member was not chosen and only one offers it). */
  showStaff: boolean;
  label: string;
}) {
  const { t, locale } = useT();
  const list = useRef<HTMLDivElement>(null);
  const selectedIndex = props.times.findIndex((c) => c.startsAt === props.selected);
  const [focus, setFocus] = useState(Math.max(0, selectedIndex));
  const focusIndex = Math.min(focus, props.times.length - 1);

  function onKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const cols = columns(list.current);
    const last = props.times.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      ArrowDown: index + cols,
      ArrowUp: index - cols,
      Home: 0,
      End: last,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(last, target));
    setFocus(next);
    list.current?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
  }

  return (
    <div className="times" role="group" aria-label={props.label} ref={list}>
      {props.times.map((choice, i) => {
        const selected = choice.startsAt === props.selected;
        const who = props.showStaff && choice.staff.length === 1 ? choice.staff[0]!.name : '';
        return (
          <button
            type="button"
            key={choice.startsAt}
            className={`time${selected ? ' selected' : ''}`}
            data-starts-at={choice.startsAt}
            aria-pressed={selected}
            tabIndex={i === focusIndex ? 0 : -1}
            onKeyDown={(e) => onKey(e, i)}
            onFocus={() => setFocus(i)}
            onClick={() => props.onPick(choice)}
          >
            <span className="time-at">{timeOf(choice.startsAt, props.timeZone, locale)}</span>
            {who && <span className="time-who">{t('times.with', { name: who })}</span>}
          </button>
        );
      })}
    </div>
  );
}
