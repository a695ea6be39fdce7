/**
 * Where a manage link may lead after signing in (`/account/from/<token>?next=…`): only these pages of
 * the portal, never an address taken from the link (no open redirect). `messages`: the conversation
 * about the link's appointment (a message's "Send files" link). Anything else: the appointments.
 */
const NEXT_PAGES: Readonly<Record<string, (appointmentId: string | undefined) => string>> = {
  messages: (id) => (id ? `/account/messages?${new URLSearchParams({ appointment: id })}` : '/account/messages'),
};

export function nextPage(next: string | null, appointmentId: string | undefined): string {
  const page = next !== null && Object.hasOwn(NEXT_PAGES, next) ? NEXT_PAGES[next] : undefined;
  return page ? page(appointmentId) : '/account';
}
