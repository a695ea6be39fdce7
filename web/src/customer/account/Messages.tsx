/** The customer's conversation with the business: read, write, attach a photo or a PDF. */
import { type SubmitEvent, useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, errorText } from '../../api';
import { detectedTimeZone, formatDateTime } from '../../format';
import type { PortalAppointments } from './types';
import { Thread, type ThreadMessage } from '../../conversation/Thread';

async function upload(file: File): Promise<string> {
  const csrf = (await api<{ csrfToken: string }>('GET', '/api/portal/session')).csrfToken;
  const response = await fetch(`/api/portal/attachments?filename=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': csrf },
    body: file,
    credentials: 'same-origin',
  });
  const json = (await response.json()) as { attachment?: { id: string }; error?: { message: string } };
  if (!response.ok || !json.attachment)
    throw new Error(json.error?.message ?? `The upload failed (${response.status}).`);
  return json.attachment.id;
}

export function Messages() {
  const [messages, setMessages] = useState<ThreadMessage[] | null>(null);
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [about, setAbout] = useState('');
  const [upcoming, setUpcoming] = useState<PortalAppointments['upcoming']>([]);
  const timeZone = detectedTimeZone();
  // `?appointment=<id>` (a message's "Send files" link): about that appointment when it is one of theirs.
  const [params] = useSearchParams();
  const asked = params.get('appointment');
  useEffect(() => {
    api<PortalAppointments>('GET', '/api/portal/appointments')
      .then((r) => {
        setUpcoming(r.upcoming);
        const linked = r.upcoming.find((a) => a.id === asked)?.id;
        setAbout((a) => linked ?? (a || (r.upcoming[0]?.id ?? '')));
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [asked]);
  const filesRequest = upcoming.find((a) => a.id === about)?.filesRequest;
  const load = useCallback(() => {
    api<{ messages: ThreadMessage[] }>('GET', '/api/portal/messages')
      .then((r) => setMessages(r.messages))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);

  async function send(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      const attachmentIds = file ? [await upload(file)] : [];
      await api('POST', '/api/portal/messages', {
        body: body.trim(),
        attachmentIds,
        ...(about ? { appointmentId: about } : {}),
      });
      setBody('');
      setFile(null);
      form.reset();
      load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Messages</h1>
      {messages ? <Thread messages={messages} timeZone={timeZone} mine="from_customer" /> : <p>Loading…</p>}
      <form onSubmit={(e) => void send(e)}>
        <label htmlFor="message-about">About</label>
        <select id="message-about" value={about} onChange={(e) => setAbout(e.target.value)}>
          {upcoming.map((a) => (
            <option key={a.id} value={a.id}>
              {a.service.name}, {formatDateTime(a.startsAt, timeZone)}
            </option>
          ))}
          <option value="">Something else</option>
        </select>
        {filesRequest && (
          <p className="notice" data-testid="files-request">
            <strong>Please send us before your visit:</strong> {filesRequest}
          </p>
        )}
        <label htmlFor="message-body">Your message</label>
        <textarea id="message-body" rows={3} required value={body} onChange={(e) => setBody(e.target.value)} />
        <label htmlFor="message-file">Photo or PDF (optional, up to 10 MB)</label>
        <input
          id="message-file"
          type="file"
          accept="image/jpeg,image/png,image/webp,application/pdf"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="submit" className="primary" disabled={busy}>
          Send
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
