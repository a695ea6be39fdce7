/**
 * Settings → message templates (admin): every event and channel, whether staff overrode it; the editor
 * for one (variables offered, preview with sample data, save, reset to the built-in default). The
 * server validates: a refusal (unknown variable, an SMS over two segments, a disallowed helper) is
 * shown in its words, next to the field it names.
 */
import { type SubmitEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, errorText, type FieldProblem } from '../api';
import { detectedTimeZone, formatDateTime } from '../format';
import { useLoad } from '../useLoad';
import { SettingsNav } from './SettingsNav';

interface ListedTemplate {
  event: string;
  channel: 'email' | 'sms';
  audience: 'customer' | 'staff';
  description: string;
  overridden: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

type Preview =
  | { source: string; subject: string; text: string; html: string }
  | { source: string; text: string; septets: number; segments: number };

interface TemplateDetail {
  event: string;
  channel: 'email' | 'sms';
  audience: string;
  description: string;
  variables: string[];
  override: { subject: string | null; body: string; updatedAt: string; updatedBy: string } | null;
  default: Preview;
  current: Preview;
}

export function TemplatesPage() {
  const timeZone = detectedTimeZone();
  const { data, error } = useLoad<{ templates: ListedTemplate[] }>('/api/message-templates', 'Message templates');
  const rows = data?.templates ?? null;
  return (
    <>
      <h1>Message templates</h1>
      <SettingsNav />
      <p className="hint">
        Every email and SMS has a built-in text. Override one to use your own words; reset it to go back to the default.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows && (
        <table>
          <thead>
            <tr>
              <th scope="col">Message</th>
              <th scope="col">Channel</th>
              <th scope="col">To</th>
              <th scope="col">Text</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={`${t.event}-${t.channel}`}>
                <td>
                  <Link
                    to={`/admin/settings/templates/${t.event}/${t.channel}`}
                    aria-label={`${t.description} (${t.channel === 'sms' ? 'SMS' : 'email'})`}
                  >
                    {t.description}
                  </Link>
                </td>
                <td>{t.channel === 'sms' ? 'SMS' : 'Email'}</td>
                <td>{t.audience}</td>
                <td>
                  {t.overridden
                    ? `Your own (${t.updatedBy ?? 'staff'}${t.updatedAt ? `, ${formatDateTime(t.updatedAt, timeZone)}` : ''})`
                    : 'Default'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function PreviewView({ preview, label }: { preview: Preview; label: string }) {
  return (
    <section aria-label={label}>
      {'subject' in preview && (
        <p>
          <strong>Subject:</strong> {preview.subject}
        </p>
      )}
      <pre className="preview">{preview.text}</pre>
      {'segments' in preview && (
        <p className="hint">
          {preview.septets} GSM-7 characters · {preview.segments} SMS segment{preview.segments === 1 ? '' : 's'}
        </p>
      )}
    </section>
  );
}

export function TemplateEditorPage() {
  const { event = '', channel = 'sms' } = useParams();
  const path = `/api/message-templates/${encodeURIComponent(event)}/${encodeURIComponent(channel)}`;
  const [detail, setDetail] = useState<TemplateDetail | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  // After a refusal, keyboard and screen-reader users land on the field the server named.
  useEffect(() => {
    if (problems.some((p) => p.field === 'subject')) subjectRef.current?.focus();
    else if (problems.some((p) => p.field === 'body')) bodyRef.current?.focus();
  }, [problems]);

  const load = useCallback(() => {
    api<TemplateDetail>('GET', path)
      .then((d) => {
        setDetail(d);
        setSubject(d.override?.subject ?? '');
        setBody(d.override?.body ?? '');
        setPreview(d.current);
        document.title = `${d.description} (${d.channel}) — Maple Street`;
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [path]);
  useEffect(load, [load]);

  const draft = () => ({ ...(channel === 'email' ? { subject } : {}), body });

  function refused(e: unknown) {
    if (e instanceof ApiError && e.fields.length > 0) {
      setProblems(e.fields);
      setError(`Not saved: ${e.fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.`);
    } else {
      setError(errorText(e));
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

  const showPreview = () =>
    run(async () => {
      setPreview(null); // a refused draft leaves no earlier preview looking current
      setPreview(await api<Preview>('POST', `${path}/preview`, draft()));
      setNotice('Preview updated with your business and a sample appointment (not saved).');
    });
  const save = (e: SubmitEvent) => {
    e.preventDefault();
    return run(async () => {
      const r = await api<{ preview: Preview }>('PUT', path, draft());
      setPreview(r.preview);
      setNotice('Saved. Messages sent from now on use your text.');
      load();
    });
  };
  const reset = () =>
    run(async () => {
      await api('DELETE', path);
      setNotice('Reset to the default text.');
      load();
    });

  if (!detail)
    return error ? (
      <p role="alert" className="error">
        {error}
      </p>
    ) : (
      <p>Loading…</p>
    );
  const problemFor = (field: string) => problems.filter((p) => p.field === field).map((p) => p.message);
  const bodyProblems = problemFor('body');
  const subjectProblems = problemFor('subject');
  return (
    <>
      <h1>
        {detail.description} ({detail.channel === 'sms' ? 'SMS' : 'email'})
      </h1>
      <SettingsNav />
      <p>
        <Link to="/admin/settings/templates">All templates</Link>
      </p>
      <p>
        {detail.override
          ? `Your own text, saved by ${detail.override.updatedBy}.`
          : 'The built-in default is in use. Write your own below to override it.'}
      </p>
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
      <form onSubmit={save} aria-label="Edit template">
        {detail.channel === 'email' && (
          <>
            <label htmlFor="tpl-subject">Subject</label>
            <input
              ref={subjectRef}
              id="tpl-subject"
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              aria-invalid={subjectProblems.length > 0}
              aria-describedby={subjectProblems.length ? 'tpl-subject-problem' : undefined}
            />
            {subjectProblems.length > 0 && (
              <p className="field-error" id="tpl-subject-problem">
                {subjectProblems.join('; ')}
              </p>
            )}
          </>
        )}
        <label htmlFor="tpl-body">
          Text (Handlebars: {'{{contact.firstName}}'}, {'{{#if …}}…{{/if}}'})
        </label>
        <textarea
          ref={bodyRef}
          id="tpl-body"
          className="template"
          rows={detail.channel === 'sms' ? 4 : 10}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-invalid={bodyProblems.length > 0}
          aria-describedby={`tpl-variables${bodyProblems.length ? ' tpl-body-problem' : ''}`}
        />
        {bodyProblems.length > 0 && (
          <p className="field-error" id="tpl-body-problem">
            {bodyProblems.join('; ')}
          </p>
        )}
        <p className="hint" id="tpl-variables">
          Variables: {detail.variables.map((v) => `{{${v}}}`).join(', ')}
        </p>
        <div className="actions">
          <button type="button" onClick={showPreview} disabled={busy || !body.trim()}>
            Preview
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save override
          </button>
          {detail.override && (
            <button type="button" onClick={reset} disabled={busy}>
              Reset to default
            </button>
          )}
        </div>
      </form>
      <h2>Preview with sample data</h2>
      {preview && <PreviewView preview={preview} label="Preview" />}
      <details>
        <summary>The built-in default</summary>
        <PreviewView preview={detail.default} label="Default" />
      </details>
    </>
  );
}
