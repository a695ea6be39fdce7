/**
 * The service editor's deposit (issue 13): none, a fixed amount (at most the price) or a percent of
 * the price, taken at booking and credited on the invoice. Like the rest of the editor it holds no
 * rules: it sends what was typed and shows the API's refusals (`depositPolicy.amountMinor`).
 */
import type { DepositPolicy } from '../../../src/domain/deposit-policy';
import { numberOrText } from './form-values';
import { TextField } from './SaveAction';

export interface DepositForm {
  kind: DepositPolicy['kind'];
  value: string;
}

export function depositFormOf(policy: DepositPolicy | null | undefined): DepositForm {
  if (!policy || policy.kind === 'none') return { kind: 'none', value: '' };
  return policy.kind === 'fixed'
    ? { kind: 'fixed', value: (policy.amountMinor / 100).toFixed(2) }
    : { kind: 'percent', value: String(policy.percent) };
}

/** The API's `depositPolicy`. */
export function depositBodyOf(form: DepositForm): unknown {
  if (form.kind === 'none') return { kind: 'none' };
  const value = numberOrText(form.value);
  if (form.kind === 'percent') return { kind: 'percent', percent: value };
  return { kind: 'fixed', amountMinor: typeof value === 'number' ? Math.round(value * 100) : value };
}

export function DepositFields(props: {
  form: DepositForm;
  currency: string;
  onChange: (form: DepositForm) => void;
  problemsFor: (id: string) => string[];
}) {
  const { form, currency, onChange, problemsFor } = props;
  return (
    <fieldset>
      <legend>Deposit at booking</legend>
      <p className="hint">
        Paid on the booking page and credited on the invoice: after the visit only the rest is charged. Refunded when
        the appointment is cancelled without a fee; kept against a late-cancel or no-show fee.
      </p>
      <label htmlFor="svc-deposit-kind">Deposit</label>
      <select
        id="svc-deposit-kind"
        value={form.kind}
        onChange={(e) => onChange({ ...form, kind: e.target.value as DepositForm['kind'] })}
      >
        <option value="none">No deposit</option>
        <option value="fixed">A fixed amount</option>
        <option value="percent">A percent of the price</option>
      </select>
      {problemsFor('svc-deposit-kind').map((p) => (
        <p key={p} role="alert" className="error">
          {p}
        </p>
      ))}
      {form.kind !== 'none' && (
        <TextField
          id="svc-deposit"
          label={form.kind === 'fixed' ? `Deposit: amount (${currency})` : 'Deposit: percent of the price'}
          value={form.value}
          onChange={(value) => onChange({ ...form, value })}
          problems={problemsFor('svc-deposit')}
          inputMode="decimal"
        />
      )}
    </fieldset>
  );
}
