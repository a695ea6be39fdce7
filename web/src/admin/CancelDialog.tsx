/** Cancel an appointment: a reason and who asked, confirmed in a dialog (it cannot be undone). */
import { type SubmitEvent, useState } from 'react';
import { Dialog } from '../Dialog';
import { RequestedBy } from './RequestedBy';

export function CancelDialog(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (body: Record<string, unknown>) => Promise<boolean>;
}) {
  const [reason, setReason] = useState('');
  const [channel, setChannel] = useState('phone');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Give a reason for the cancellation.');
      return;
    }
    props.onClose();
    await props.onSubmit({ reason: reason.trim(), channel });
  }
  return (
    <Dialog open={props.open} title="Cancel this appointment?" onClose={props.onClose}>
      <form onSubmit={submit}>
        <p>The customer is told it is cancelled. This cannot be undone.</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <label htmlFor="cx-reason">Reason</label>
        <textarea id="cx-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        <RequestedBy id="cx-channel" value={channel} onChange={setChannel} />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Keep it
          </button>
          <button type="submit" className="danger">
            Cancel appointment
          </button>
        </div>
      </form>
    </Dialog>
  );
}
