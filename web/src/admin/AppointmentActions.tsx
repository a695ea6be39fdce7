/**
 * The appointment card's actions: only those the server says can work now (`actions` on
 * GET /api/appointments/{id}, from src/appointments/actions.ts), the others listed with the reason;
 * irreversible and early ones confirm first. Each is a workflow update through the staff API.
 */
import { type SubmitEvent, useState } from 'react';
import type { ActionName, CardActions } from '../../../src/appointments/actions';
import { Dialog } from '../Dialog';
import { ConfirmDialog } from './ConfirmDialog';

const LABELS: Record<ActionName, string> = {
  reschedule: 'Reschedule',
  start: 'Start service',
  noShow: 'Mark no-show',
  cancel: 'Cancel appointment',
  deliver: 'Service delivered',
};

export type CardAction = (path: string, body: Record<string, unknown>, done: string) => Promise<boolean>;

export function AppointmentActions(props: {
  actions: CardActions;
  channel: string;
  onReschedule: () => void;
  onCancel: () => void;
  act: CardAction;
}) {
  const { actions, act, channel } = props;
  const [asking, setAsking] = useState<'start' | 'noShow' | null>(null);
  const closed = (Object.keys(LABELS) as ActionName[]).filter((a) => !actions[a].open && a !== 'deliver');
  const start = () => act('start', { channel }, 'Service started.');
  return (
    <>
      <div className="actions" role="group" aria-label="Actions">
        {actions.reschedule.open && (
          <button type="button" onClick={props.onReschedule}>
            {LABELS.reschedule}
          </button>
        )}
        {actions.start.open && (
          <button type="button" onClick={() => (actions.start.confirm ? setAsking('start') : void start())}>
            {LABELS.start}
          </button>
        )}
        {actions.noShow.open && (
          <button type="button" onClick={() => setAsking('noShow')}>
            {LABELS.noShow}
          </button>
        )}
        {actions.cancel.open && (
          <button type="button" className="danger" onClick={props.onCancel}>
            {LABELS.cancel}
          </button>
        )}
      </div>
      {closed.length > 0 && (
        <details className="why-not">
          <summary>Why some actions are not offered</summary>
          <ul>
            {closed.map((a) => (
              <li key={a}>
                {LABELS[a]}: {actions[a].reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ConfirmDialog
        open={asking === 'start'}
        title="Start the service early?"
        text={actions.start.confirm ?? ''}
        confirmLabel="Start now"
        onCancel={() => setAsking(null)}
        onConfirm={async () => {
          setAsking(null);
          await start();
        }}
      />
      <NoShowDialog
        open={asking === 'noShow'}
        text={actions.noShow.confirm ?? ''}
        onClose={() => setAsking(null)}
        onSubmit={(note, waiveFee) =>
          act('no-show', { channel, note, ...(waiveFee ? { cancellationFee: 'waive' } : {}) }, 'Marked as a no-show.')
        }
      />
    </>
  );
}

/** No-show or "could not get in" (failed access), with a note; irreversible, so it says so. */
export function NoShowDialog(props: {
  open: boolean;
  text: string;
  onClose: () => void;
  /** `waiveFee`: staff waive the service's no-show fee (src/domain/cancellation-policy.ts). */
  onSubmit: (note: string, waiveFee: boolean) => Promise<boolean>;
}) {
  const [kind, setKind] = useState<'no_show' | 'no_access'>('no_show');
  const [note, setNote] = useState('');
  const [waive, setWaive] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (kind === 'no_access' && !note.trim()) {
      setProblem('Say why you could not get in.');
      return;
    }
    const text =
      kind === 'no_access' ? `Could not get in: ${note.trim()}` : note.trim() ? `No-show: ${note.trim()}` : 'No-show';
    props.onClose();
    await props.onSubmit(text, waive);
  }
  return (
    <Dialog open={props.open} title="Report a no-show?" onClose={props.onClose}>
      <form onSubmit={submit}>
        <p>{props.text}</p>
        <fieldset>
          <legend>What happened</legend>
          <div className="check">
            <input
              type="radio"
              id="ns-no-show"
              name="ns-kind"
              checked={kind === 'no_show'}
              onChange={() => setKind('no_show')}
            />
            <label htmlFor="ns-no-show">The customer did not come</label>
          </div>
          <div className="check">
            <input
              type="radio"
              id="ns-no-access"
              name="ns-kind"
              checked={kind === 'no_access'}
              onChange={() => setKind('no_access')}
            />
            <label htmlFor="ns-no-access">Could not get in (failed access)</label>
          </div>
        </fieldset>
        <div className="check">
          <input type="checkbox" id="ns-waive" checked={waive} onChange={(e) => setWaive(e.target.checked)} />
          <label htmlFor="ns-waive">Waive the no-show fee (if the service's policy has one)</label>
        </div>
        <label htmlFor="ns-note">Note{kind === 'no_access' ? '' : ' (optional)'}</label>
        <textarea
          id="ns-note"
          rows={2}
          value={note}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'ns-note-problem' : undefined}
          onChange={(e) => {
            setNote(e.target.value);
            setProblem(null);
          }}
        />
        {problem && (
          <p className="error" id="ns-note-problem">
            {problem}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Go back
          </button>
          <button type="submit" className="danger">
            Report it
          </button>
        </div>
      </form>
    </Dialog>
  );
}
