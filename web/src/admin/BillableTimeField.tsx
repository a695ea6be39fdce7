/**
 * Billable time typed as h:mm or hours, with what it bills as (rounded up to the service's increment)
 * shown before saving. The reading is the server's own module (src/billing/billable-time.ts).
 */
import { billableTime } from '../../../src/billing/billable-time';

export function BillableTimeField(props: {
  id: string;
  value: string;
  incrementMinutes: number;
  onChange: (value: string) => void;
  problem?: string | null;
}) {
  const reading = props.value.trim() ? billableTime(props.value, props.incrementMinutes) : null;
  const problem = props.problem ?? (reading && !reading.ok ? reading.message : null);
  return (
    <>
      <label htmlFor={props.id}>Billable time (h:mm or hours, e.g. 1:30 or 1.5)</label>
      <input
        id={props.id}
        inputMode="decimal"
        autoComplete="off"
        value={props.value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${props.id}-result`}
        onChange={(e) => props.onChange(e.target.value)}
        style={{ maxWidth: '10rem' }}
      />
      <p className={problem ? 'error' : 'hint'} id={`${props.id}-result`} aria-live="polite">
        {problem ??
          (reading?.ok
            ? `Billed as ${reading.text}${reading.rounded ? ` (rounded up to ${props.incrementMinutes}-minute steps)` : ''}.`
            : `Billed in ${props.incrementMinutes}-minute steps.`)}
      </p>
    </>
  );
}

/** The minutes to send, or the reason the field cannot be sent. */
export function billableMinutes(value: string, incrementMinutes: number): { minutes: number } | { problem: string } {
  if (!value.trim()) return { problem: 'Enter the billable time.' };
  const reading = billableTime(value, incrementMinutes);
  return reading.ok ? { minutes: reading.minutes } : { problem: reading.message };
}
