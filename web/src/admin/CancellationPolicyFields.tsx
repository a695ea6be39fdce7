/**
 * The service editor's cancellation policy (issue 13): the late-cancel window and fee, and the no-show
 * fee, each none, a fixed amount or a percent of the price. Like the rest of the editor it holds no
 * rules: it sends what was typed and shows the API's refusals (`cancellationPolicy.lateCancelFee.percent`)
 * next to the control they name.
 */
import { TextField } from './SaveAction';

type FeeKind = 'none' | 'fixed' | 'percent';
type FeeRule = { kind: 'fixed'; amountMinor: number } | { kind: 'percent'; percent: number };
export interface CancellationPolicy {
  lateCancelHours: number;
  lateCancelFee: FeeRule | null;
  noShowFee: FeeRule | null;
}

export interface CancellationForm {
  hours: string;
  lateKind: FeeKind;
  late: string;
  noShowKind: FeeKind;
  noShow: string;
}

const ruleText = (rule: FeeRule | null) =>
  !rule ? '' : rule.kind === 'fixed' ? (rule.amountMinor / 100).toFixed(2) : String(rule.percent);

export function cancellationFormOf(policy: CancellationPolicy | null | undefined): CancellationForm {
  return {
    hours: policy ? String(policy.lateCancelHours) : '24',
    lateKind: policy?.lateCancelFee?.kind ?? 'none',
    late: ruleText(policy?.lateCancelFee ?? null),
    noShowKind: policy?.noShowFee?.kind ?? 'none',
    noShow: ruleText(policy?.noShowFee ?? null),
  };
}

/** A number when the text is one; otherwise the text, so the API names what is wrong with it. */
const numberOrText = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
};

function ruleOf(kind: FeeKind, text: string): unknown {
  if (kind === 'none') return null;
  const value = numberOrText(text);
  if (kind === 'percent') return { kind, percent: value };
  return { kind, amountMinor: typeof value === 'number' ? Math.round(value * 100) : value };
}

/** The API's `cancellationPolicy`: null when neither fee is set. */
export function cancellationBodyOf(form: CancellationForm): unknown {
  if (form.lateKind === 'none' && form.noShowKind === 'none') return null;
  return {
    lateCancelHours: form.lateKind === 'none' ? 0 : numberOrText(form.hours),
    lateCancelFee: ruleOf(form.lateKind, form.late),
    noShowFee: ruleOf(form.noShowKind, form.noShow),
  };
}

/** `cancellationPolicy.lateCancelFee.percent` → the control it belongs to. */
export function cancellationControlId(field: string): string {
  const key = field.split('.')[1] ?? '';
  return key === 'lateCancelHours' ? 'svc-cancel-hours' : key === 'noShowFee' ? 'svc-cancel-noShow' : 'svc-cancel-late';
}

export function CancellationPolicyFields(props: {
  form: CancellationForm;
  currency: string;
  onChange: (form: CancellationForm) => void;
  problemsFor: (id: string) => string[];
}) {
  const { form, currency, onChange, problemsFor } = props;
  const set = (patch: Partial<CancellationForm>) => onChange({ ...form, ...patch });
  const fee = (which: 'late' | 'noShow', label: string) => {
    const kindKey = which === 'late' ? 'lateKind' : 'noShowKind';
    const kind = form[kindKey];
    return (
      <>
        <label htmlFor={`svc-cancel-${which}-kind`}>{label}</label>
        <select
          id={`svc-cancel-${which}-kind`}
          value={kind}
          onChange={(e) => set({ [kindKey]: e.target.value as FeeKind })}
        >
          <option value="none">No fee</option>
          <option value="fixed">A fixed amount</option>
          <option value="percent">A percent of the price</option>
        </select>
        {kind !== 'none' && (
          <TextField
            id={`svc-cancel-${which}`}
            label={kind === 'fixed' ? `${label}: amount (${currency})` : `${label}: percent of the price`}
            value={form[which]}
            onChange={(v) => set({ [which]: v })}
            problems={problemsFor(`svc-cancel-${which}`)}
            inputMode="decimal"
          />
        )}
      </>
    );
  };
  return (
    <fieldset>
      <legend>Cancellation policy</legend>
      <p className="hint">
        Charged to the card saved at booking when the customer cancels inside the window or does not show up; staff
        cancelling for the customer choose whether to charge it. Shown on the booking page and in the confirmation;
        booked appointments keep the policy they were booked with.
      </p>
      {fee('late', 'Late-cancel fee')}
      {form.lateKind !== 'none' && (
        <TextField
          id="svc-cancel-hours"
          label="Late from (hours before the start)"
          value={form.hours}
          onChange={(v) => set({ hours: v })}
          problems={problemsFor('svc-cancel-hours')}
          inputMode="numeric"
        />
      )}
      {fee('noShow', 'No-show fee')}
    </fieldset>
  );
}
