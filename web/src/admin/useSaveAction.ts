/**
 * The state of a settings editor's save / archive actions: busy while one runs, the server's refusal
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
      setError(`Not saved: ${e.fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.`);
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

  return { problems, problemsFor, error, setError, notice, setNotice, busy, errorRef, run };
}
