/**
 * Settings editors' save / archive actions. `useSaveAction`: the state: busy while one runs, the server's refusal
 * (in words, and per field), a notice when it worked. A refusal naming fields takes the keyboard to
 * the first field's control (`controlId` maps an API field to it), otherwise to the error line.
 */
import { useRef, useState } from 'react';
import { ApiError, errorText, type FieldProblem } from '../api';

export function useSaveAction(controlId: (field: string) => string) {
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  function refused(e: unknown) {
    if (e instanceof ApiError && e.fields.length > 0) {
      setProblems(e.fields);
      // Each field by the label of its control on screen (not the API's key, e.g. durationMinutes).
      const named = (field: string) =>
        document.querySelector(`label[for="${controlId(field)}"]`)?.textContent?.trim() || field;
      setError(`Not saved: ${e.fields.map((f) => `${named(f.field)}: ${f.message}`).join('; ')}.`);
      const first = document.getElementById(controlId(e.fields[0]!.field));
      setTimeout(() => (first ?? errorRef.current)?.focus(), 0);
    } else {
      setError(errorText(e));
      setTimeout(() => errorRef.current?.focus(), 0);
    }
  }

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setNotice(null);
    setProblems([]);
    try {
      await action();
    } catch (e) {
      refused(e);
    } finally {
      setBusy(false);
    }
  }

  /** The refusals of the field whose control has this id. */
  const problemsFor = (cid: string) => problems.filter((p) => controlId(p.field) === cid).map((p) => p.message);
  /** Refusals of fields with no control on screen (listed above the form). */
  const unplaced = () => problems.filter((p) => !document.getElementById(controlId(p.field)));

  return { problems, problemsFor, unplaced, error, setError, notice, setNotice, busy, errorRef, run };
}

/** The outcome of the last action above a settings form: notice, refusal, and problems of no field on screen. */
export function SaveMessages(props: {
  notice: string | null;
  error: string | null;
  errorRef: React.RefObject<HTMLParagraphElement | null>;
  unplaced: FieldProblem[];
}) {
  return (
    <>
      {props.notice && (
        <p className="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.error && (
        <p role="alert" className="error" tabIndex={-1} ref={props.errorRef}>
          {props.error}
        </p>
      )}
      {props.unplaced.length > 0 && (
        <ul className="field-error">
          {props.unplaced.map((p) => (
            <li key={p.field}>
              {p.field}: {p.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A labelled text input with its hint and its refusals right below it, tied by aria-describedby. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: string[];
  hint?: string | undefined;
  inputMode?: 'numeric' | 'decimal' | 'text';
  readOnly?: boolean;
  /** Ids of other text that describes the field (e.g. why it is read-only). */
  describedBy?: string;
}) {
  const { id, problems } = props;
  const described = [props.describedBy ?? '', props.hint ? `${id}-hint` : '', problems.length ? `${id}-problem` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        value={props.value}
        inputMode={props.inputMode ?? 'text'}
        readOnly={props.readOnly ?? false}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={problems.length > 0}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <span className="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      {problems.length > 0 && (
        <p className="field-error" id={`${id}-problem`}>
          {problems.join('; ')}
        </p>
      )}
    </div>
  );
}
