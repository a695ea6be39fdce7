/** A staff member signed in through `POST /api/session`: the session cookie and the CSRF token, as request headers. */
import type { System } from './system';

export async function staffSession(system: System, email: string, password: string): Promise<Record<string, string>> {
  const response = await fetch(`${system.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in refused: ${response.status}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
}
