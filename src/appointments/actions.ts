/**
 * Which actions an appointment card offers, and why the others are not (issue 15): from the card's
 * status, times, deliver task and whether its workflow is running, at `now`. Pure, so the API returns
 * it with the card, the admin app shows only what can work, and the rules are tested as a unit. The
 * workflow stays the judge: this only predicts its answers (a refusal still comes back in words).
 */
import type { ServiceStatus } from '../domain/stages';

export const ACTION_NAMES = ['reschedule', 'cancel', 'start', 'noShow', 'deliver'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * `open`: the action can work now. `reason`: why not, in words (when closed). `confirm`: a warning to
 * confirm before doing it (irreversible, or early). `irreversible`: it cannot be undone.
 */
export interface ActionState {
  open: boolean;
  reason?: string;
  confirm?: string;
  irreversible?: boolean;
}

export type CardActions = Record<ActionName, ActionState>;

/** Starting more than this before the start time asks for confirmation. */
export const EARLY_START_GRACE_MS = 15 * 60_000;
/**
 * The deliver task can be completed once the service started, or this long before the start without
 * it (the workflow's rule, `core`): earlier is refused, within it the card asks for confirmation.
 */
export const DELIVER_EARLY_WINDOW_MS = 60 * 60_000;

export interface CardFacts {
  status: ServiceStatus;
  startsAt: number;
  endsAt: number;
  now: number;
  /** The deliver task of the appointment, if one was opened. */
  deliverTask: { status: 'open' | 'done' | 'cancelled' } | null;
  /** Whether the appointment's workflow answered (running); false: not started yet, closed or unreachable. */
  workflowRunning: boolean;
  /** The display zone for times in the reasons, e.g. `America/New_York`. */
  timeZone: string;
}

const STATUS_WORDS: Record<ServiceStatus, string> = {
  scheduled: 'scheduled',
  in_progress: 'in progress',
  done: 'done',
  cancelled: 'cancelled',
  no_show: 'a no-show',
};

function clock(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(at));
}

/** "2 h 5 min", "40 min", "3 days". */
export function spanInWords(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.round(minutes / 1440)} days`;
}

const closed = (reason: string): ActionState => ({ open: false, reason });

export function cardActions(facts: CardFacts): CardActions {
  const { status, startsAt, now, timeZone } = facts;
  const isNow = (s: ServiceStatus) => `This appointment is ${STATUS_WORDS[s]}.`;
  if (!facts.workflowRunning) {
    const reason =
      status === 'done' || status === 'cancelled' || status === 'no_show'
        ? isNow(status)
        : 'Its workflow is not answering yet; try again in a moment.';
    return {
      reschedule: closed(reason),
      cancel: closed(reason),
      start: closed(reason),
      noShow: closed(reason),
      deliver: closed(reason),
    };
  }
  const early = startsAt - now;
  const startsText = clock(startsAt, timeZone);

  const reschedule: ActionState =
    status === 'scheduled' ? { open: true } : closed(`${isNow(status)} Only a scheduled appointment can be moved.`);

  const cancel: ActionState =
    status === 'scheduled' || status === 'in_progress'
      ? { open: true, irreversible: true, confirm: 'The customer is told it is cancelled. This cannot be undone.' }
      : closed(isNow(status));

  let start: ActionState;
  if (status === 'in_progress') start = closed('The service has already started.');
  else if (status !== 'scheduled') start = closed(isNow(status));
  else if (early > EARLY_START_GRACE_MS)
    start = { open: true, confirm: `It starts ${startsText}, in ${spanInWords(early)}. Start the service early?` };
  else start = { open: true };

  let noShow: ActionState;
  if (status === 'in_progress') noShow = closed('The service has started, so the customer came.');
  else if (status !== 'scheduled') noShow = closed(isNow(status));
  else if (now < startsAt) noShow = closed(`Possible from the start time, ${startsText}.`);
  else
    noShow = {
      open: true,
      irreversible: true,
      confirm: 'The customer gets a message to book again and the time is freed. This cannot be undone.',
    };

  let deliver: ActionState;
  if (!facts.deliverTask) deliver = closed('There is no deliver task for this appointment.');
  else if (facts.deliverTask.status === 'done') deliver = closed('The service has been delivered.');
  else if (facts.deliverTask.status === 'cancelled' || (status !== 'scheduled' && status !== 'in_progress'))
    deliver = closed(isNow(status));
  else if (status === 'in_progress') deliver = { open: true, irreversible: true };
  else if (early > DELIVER_EARLY_WINDOW_MS)
    deliver = closed(
      `Start the service first; without it, delivery can be recorded from ${spanInWords(DELIVER_EARLY_WINDOW_MS)} before the start (${startsText}).`,
    );
  else if (early > 0)
    deliver = {
      open: true,
      irreversible: true,
      confirm: `The service has not started and starts ${startsText}, in ${spanInWords(early)}. Record it as delivered anyway?`,
    };
  else deliver = { open: true, irreversible: true };

  return { reschedule, cancel, start, noShow, deliver };
}
