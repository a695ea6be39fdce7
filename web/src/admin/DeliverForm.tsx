/**
 * "Service delivered": the billable time for hourly services (h:mm or hours, rounded to the increment
 * and shown before saving), never asked for fixed-price ones; work notes; the service report for the
 * customer (ServiceReportFields). When the card says delivery
 * is early (`confirm`), it asks first. Completing it is the deliver task's workflow update.
 */
import { type SubmitEvent, useState } from 'react';
import { BillableTimeField, billableMinutes } from './BillableTimeField';
import { ConfirmDialog } from './ConfirmDialog';
import { EMPTY_REPORT, reportOf, ServiceReportFields } from './ServiceReportFields';

export interface DeliverTerms {
  pricing: 'fixed' | 'hourly';
  incrementMinutes: number;
}

export function DeliverForm(props: {
  task: { id: string; appointmentId: string | null };
  terms: DeliverTerms | null;
  confirm?: string | undefined;
  onSubmit: (form: Record<string, unknown>) => Promise<boolean>;
}) {
  const [time, setTime] = useState('');
  const [notes, setNotes] = useState('');
  const [report, setReport] = useState(EMPTY_REPORT);
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const hourly = props.terms?.pricing !== 'fixed';
  const increment = props.terms?.incrementMinutes ?? 1;
  const id = props.task.id.slice(0, 8);

  function form(): Record<string, unknown> | null {
    const written = reportOf(report);
    const extra = { ...(notes.trim() ? { notes: notes.trim() } : {}), ...(written ? { report: written } : {}) };
    if (!hourly) return extra;
    const read = billableMinutes(time, increment);
    if ('problem' in read) {
      setProblem(read.problem);
      document.getElementById(`time-${id}`)?.focus();
      return null;
    }
    return { minutes: read.minutes, ...extra };
  }
  async function send() {
    const body = form();
    if (body && (await props.onSubmit(body))) {
      setTime('');
      setNotes('');
      setReport(EMPTY_REPORT);
    }
  }
  function submit(event: SubmitEvent) {
    event.preventDefault();
    setProblem(null);
    if (props.confirm) {
      if (form()) setAsking(true);
      return;
    }
    void send();
  }
  return (
    <form onSubmit={submit} aria-label="Service delivered">
      {hourly ? (
        <BillableTimeField
          id={`time-${id}`}
          value={time}
          incrementMinutes={increment}
          problem={problem}
          onChange={(v) => {
            setTime(v);
            setProblem(null);
          }}
        />
      ) : (
        <p className="hint">Fixed price: no time to enter.</p>
      )}
      <label htmlFor={`notes-${id}`}>Work notes (optional)</label>
      <textarea id={`notes-${id}`} rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      <ServiceReportFields id={id} appointmentId={props.task.appointmentId} value={report} onChange={setReport} />
      <div className="actions">
        <button type="submit" className="primary">
          Service delivered
        </button>
      </div>
      <ConfirmDialog
        open={asking}
        title="Deliver before the start?"
        text={props.confirm ?? ''}
        confirmLabel="Record it as delivered"
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          setAsking(false);
          await send();
        }}
      />
    </form>
  );
}
