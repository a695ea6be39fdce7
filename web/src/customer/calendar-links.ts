/**
 * "Add to calendar" links: Google Calendar's and Outlook's event templates (public URL formats), and
 * the .ics file from the manage link (`GET /api/manage/{token}/calendar.ics`). The manage link is a
 * credential, so it never goes into the Google / Outlook event text.
 */
export interface CalendarEvent {
  title: string;
  startsAt: string;
  endsAt: string;
  details: string;
  location: string;
}

/** 2026-12-08T14:30:00.000Z → 20261208T143000Z */
function compact(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function googleCalendarUrl(e: CalendarEvent): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: e.title,
    dates: `${compact(e.startsAt)}/${compact(e.endsAt)}`,
    details: e.details,
    location: e.location,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

export function outlookCalendarUrl(e: CalendarEvent): string {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: e.title,
    startdt: new Date(e.startsAt).toISOString(),
    enddt: new Date(e.endsAt).toISOString(),
    body: e.details,
    location: e.location,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params}`;
}

/** The token of a manage URL ("…/manage/<token>"). */
export function manageToken(manageUrl: string): string {
  return new URL(manageUrl, window.location.href).pathname.split('/').filter(Boolean)[1] ?? '';
}

export function icsUrl(token: string, locale: string): string {
  return `/api/manage/${encodeURIComponent(token)}/calendar.ics?lang=${locale}`;
}
