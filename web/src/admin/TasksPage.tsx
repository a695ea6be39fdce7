/**
 * Task inbox: mine or all, overdue first (the server orders them). The deliver form takes the billable
 * time; the charge form confirms the charge, optionally with an adjusted amount. Both are workflow
 * updates through /api/tasks/:id/complete.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime } from '../format';
import { useLoad } from '../useLoad';
import { useStaff } from './session';
import { DeliverForm } from './DeliverForm';

interface Task {
  id: string;
  kind: string;
  title: string;
  status: string;
  due_at: string | null;
  appointment_id: string | null;
  assignee_staff_id: string | null;
  assignee_name: string | null;
  overdue: boolean;
  appointment_starts_at: string | null;
  appointment_status: string | null;
  pricing: 'fixed' | 'hourly' | null;
  increment_minutes: number | null;
  /** For an open deliver task: whether it can be completed now (the appointment card's rule), and why not. */
  deliver: { open: boolean; reason?: string; confirm?: string } | null;
}

export function TasksPage() {
  const me = useStaff();
  const [scope, setScope] = useState<'mine' | 'all'>(me.role === 'technician' || me.staffId ? 'mine' : 'all');
  const [actionError, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const timeZone = detectedTimeZone();

  const q = new URLSearchParams({ status: 'open', timeZone });
  if (scope === 'mine' && me.staffId) q.set('assignee', me.staffId);
  const loaded = useLoad<{ tasks: Task[] }>(`/api/tasks?${q}`, 'Tasks');
  const { reload: load } = loaded;
  const tasks = loaded.data?.tasks ?? null;
  const error = actionError ?? loaded.error;
  useEffect(() => {
    // Workflows open tasks in the background (a charge after the hours, a reach-out after a no-show):
    // keep the inbox current without a page reload.
    const timer = window.setInterval(load, 15_000);
    return () => window.clearInterval(timer);
  }, [load]);

  async function complete(task: Task, form: Record<string, unknown>): Promise<boolean> {
    setError(null);
    setNotice(null);
    try {
      await api('POST', `/api/tasks/${task.id}/complete`, { form, channel: 'admin' });
      setNotice(`Done: ${task.title}`);
      load();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  }

  return (
    <>
      <h1>Tasks</h1>
      <div className="row" role="group" aria-label="Whose tasks">
        <button type="button" aria-pressed={scope === 'mine'} onClick={() => setScope('mine')} disabled={!me.staffId}>
          My tasks
        </button>
        {me.role !== 'technician' && (
          <button type="button" aria-pressed={scope === 'all'} onClick={() => setScope('all')}>
            All tasks
          </button>
        )}
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {tasks?.length === 0 && <p>No open tasks.</p>}
      {tasks?.map((task) => (
        <article key={task.id} className="task" aria-label={task.title}>
          <h2 style={{ fontSize: '1.05rem', margin: 0 }}>{task.title}</h2>
          <p>
            {task.due_at && (
              <span className={task.overdue ? 'overdue' : ''}>
                {task.overdue ? 'Overdue — was due ' : 'Due '}
                {formatDateTime(task.due_at, timeZone)}
              </span>
            )}
            {task.assignee_name && <> · {task.assignee_name}</>}
            {task.appointment_id && (
              <>
                {' · '}
                <Link to={`/admin/appointments/${task.appointment_id}`}>Appointment</Link>
              </>
            )}
          </p>
          {task.kind === 'deliver_service' && task.deliver?.open === false && (
            <p className="why-not">{task.deliver.reason}</p>
          )}
          {task.kind === 'deliver_service' && task.deliver?.open !== false && (
            <DeliverForm
              task={{ id: task.id, appointmentId: task.appointment_id }}
              terms={task.pricing ? { pricing: task.pricing, incrementMinutes: task.increment_minutes ?? 1 } : null}
              confirm={task.deliver?.confirm}
              onSubmit={(form) => complete(task, form)}
            />
          )}
          {task.kind === 'charge_customer' && <ChargeForm task={task} onSubmit={complete} />}
          {task.kind !== 'deliver_service' && task.kind !== 'charge_customer' && (
            <button type="button" onClick={() => void complete(task, {})}>
              Mark done
            </button>
          )}
        </article>
      ))}
    </>
  );
}

function ChargeForm(props: { task: Task; onSubmit: (task: Task, form: Record<string, unknown>) => Promise<boolean> }) {
  const [amount, setAmount] = useState('');
  const id = props.task.id;
  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const minor = Math.round(Number(amount) * 100);
    await props.onSubmit(props.task, amount.trim() && Number.isFinite(minor) ? { amountMinor: minor } : {});
  }
  return (
    <form onSubmit={submit} aria-label="Charge the customer">
      <label htmlFor={`amount-${id}`}>Adjusted amount (optional; leave empty to charge the invoice total)</label>
      <input
        id={`amount-${id}`}
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        style={{ maxWidth: '10rem' }}
      />
      <div className="actions">
        <button type="submit" className="primary">
          Charge the saved card
        </button>
      </div>
    </form>
  );
}
