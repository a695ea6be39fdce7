/**
 * Settings → Calendars: each staff member's Google Calendar / Outlook connection, whose busy times
 * are taken out of their free slots. Connect opens the vendor's consent page (the server answers its
 * URL); the vendor sends the browser back here with `?connected=` or `?error=`. Admins manage everyone,
 * others their own row only.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, errorText } from '../api';
import { detectedTimeZone, formatDateTime } from '../format';
import { useStaff } from './session';
import { useLoad } from '../useLoad';
import { SettingsNav } from './SettingsNav';

type Provider = 'google' | 'microsoft';
const LABEL: Record<Provider, string> = { google: 'Google Calendar', microsoft: 'Outlook' };

interface Connection {
  staffId: string;
  provider: Provider;
  status: 'connected' | 'error';
  account: string | null;
  busyFetchedAt: string | null;
  lastError: string | null;
}

export function CalendarsPage() {
  const me = useStaff();
  const [params] = useSearchParams();
  const [actionError, setError] = useState<string | null>(params.get('error'));
  const loadedStaff = useLoad<{ staff: Array<{ id: string; name: string }> }>('/api/admin/staff', 'Calendars');
  const loaded = useLoad<{ providers: Provider[]; connections: Connection[] }>('/api/admin/calendar-connections');
  const load = loaded.reload;
  const staff = (loadedStaff.data?.staff ?? []).filter((x) => me.role === 'admin' || x.id === me.staffId);
  const providers = loaded.data?.providers ?? [];
  const connections = loaded.data?.connections ?? [];
  const error = actionError ?? loadedStaff.error ?? loaded.error;

  const connect = (staffId: string, provider: Provider) =>
    api<{ authorizationUrl: string }>('POST', `/api/admin/staff/${staffId}/calendar/${provider}/connect`, {})
      .then((r) => window.location.assign(r.authorizationUrl))
      .catch((e: unknown) => setError(errorText(e)));
  const disconnect = (staffId: string, provider: Provider) =>
    api('DELETE', `/api/admin/staff/${staffId}/calendar/${provider}`)
      .then(load)
      .catch((e: unknown) => setError(errorText(e)));

  const connected = params.get('connected') as Provider | null;
  return (
    <section>
      <h1>Settings</h1>
      <SettingsNav />
      <h2>Calendars</h2>
      <p>Busy times in a connected calendar are not offered as free slots.</p>
      {connected && (
        <p role="status">
          {LABEL[connected] ?? connected} connected{params.get('account') ? ` (${params.get('account')})` : ''}.
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {providers.length === 0 && <p>No calendar provider is set up on this server (see the README).</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Staff member</th>
            {providers.map((p) => (
              <th scope="col" key={p}>
                {LABEL[p]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">{s.name}</th>
              {providers.map((p) => {
                const c = connections.find((x) => x.staffId === s.id && x.provider === p);
                return (
                  <td key={p}>
                    {c ? (
                      <>
                        {c.status === 'connected'
                          ? `Connected: ${c.account ?? ''}`
                          : `Needs reconnecting: ${c.lastError ?? ''}`}
                        {c.busyFetchedAt && (
                          <small> — busy times read {formatDateTime(c.busyFetchedAt, detectedTimeZone())}</small>
                        )}{' '}
                        {c.status === 'error' && (
                          <button type="button" onClick={() => void connect(s.id, p)}>
                            Reconnect {LABEL[p]} for {s.name}
                          </button>
                        )}
                        <button type="button" onClick={() => void disconnect(s.id, p)}>
                          Disconnect {LABEL[p]} for {s.name}
                        </button>
                      </>
                    ) : (
                      <button type="button" onClick={() => void connect(s.id, p)}>
                        Connect {LABEL[p]} for {s.name}
                      </button>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
