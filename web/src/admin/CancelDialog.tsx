/**
 * Cancel an appointment: a reason, who asked, and the cancellation policy's late-cancel fee (a staff
 * cancel is free unless staff charge it; src/domain/cancellation-policy.ts), confirmed in a dialog.
 */
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
  const [fee, setFee] = useState<'' | 'charge' | 'waive'>('');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Give a reason for the cancellation.');
      return;
    }
    props.onClose();
    await props.onSubmit({ reason: reason.trim(), channel, ...(fee ? { cancellationFee: fee } : {}) });
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
        <label htmlFor="cx-fee">Late-cancel fee (if the service's policy has one)</label>
        <select id="cx-fee" value={fee} onChange={(e) => setFee(e.target.value as typeof fee)}>
          <option value="">Not charged (staff cancel)</option>
          <option value="charge">Charge it: the customer asked to cancel late</option>
          <option value="waive">Waive it</option>
        </select>
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
